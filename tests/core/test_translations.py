"""`flask translations check` finds every kind of incomplete or inconsistent catalog."""

from pathlib import Path

from app.core.translations import catalog_problems

POT = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Hello"
msgstr ""

msgid "Welcome back, %(name)s."
msgstr ""

msgid "Read the <strong>mission</strong>"
msgstr ""

msgid "New message"
msgstr ""
"""

GOOD = {
    "Hello": "Hallo",
    "Welcome back, %(name)s.": "Welkom terug, %(name)s.",
    "Read the <strong>mission</strong>": "Lees de <strong>missie</strong>",
    "New message": "Nieuw bericht",
}


def _write(directory: Path, locale: str, entries: dict[str, str], fuzzy: set[str] = frozenset()):
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
    for msgid, msgstr in entries.items():
        if msgid in fuzzy:
            lines.append("#, fuzzy")
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    path = directory / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _setup(tmp_path, nl_entries, fuzzy=frozenset()):
    pot = tmp_path / "messages.pot"
    pot.write_text(POT, encoding="utf-8")
    _write(tmp_path, "nl", nl_entries, fuzzy)
    for locale in ("tr", "nb", "ro"):
        _write(tmp_path, locale, GOOD)
    return catalog_problems(pot, tmp_path)


def test_complete_catalogs_have_no_problems(tmp_path):
    assert _setup(tmp_path, GOOD) == []


def test_untranslated_fuzzy_and_missing_messages_are_reported(tmp_path):
    entries = {**GOOD, "Hello": ""}
    del entries["New message"]
    problems = _setup(tmp_path, entries, fuzzy={"Read the <strong>mission</strong>"})
    assert "nl: untranslated: 'Hello'" in problems
    assert "nl: fuzzy: 'Read the <strong>mission</strong>'" in problems
    assert "nl: not in the catalog (run update): 'New message'" in problems


def test_placeholder_and_markup_mismatches_are_reported(tmp_path):
    entries = {
        **GOOD,
        "Welcome back, %(name)s.": "Welkom terug, %(naam)s.",
        "Read the <strong>mission</strong>": "Lees de <em>missie</em>",
    }
    problems = _setup(tmp_path, entries)
    assert any(p.startswith("nl: placeholders differ: 'Welcome back") for p in problems)
    assert any(p.startswith("nl: markup differs: 'Read the") for p in problems)
    assert len(problems) == 2


def test_a_missing_catalog_is_reported(tmp_path):
    pot = tmp_path / "messages.pot"
    pot.write_text(POT, encoding="utf-8")
    problems = catalog_problems(pot, tmp_path)
    assert [p.split(":")[0] for p in problems] == ["nl", "tr", "nb", "ro"]
