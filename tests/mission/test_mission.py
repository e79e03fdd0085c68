"""The pillars' wording is the official mission text, verbatim in every language."""

import pytest
from sqlalchemy import select

from app.core.i18n import LOCALES
from app.core.templating import mission_plain
from app.mission.loading import load_pillars
from app.mission.models import PILLAR_CODES, PillarText
from app.mission.texts import mission, parse_mission
from tests.support.paths import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {"nl": "000", "en": "001", "tr": "002", "nb": "003", "ro": "004"}
DATA = ROOT / "app" / "mission" / "data"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
@pytest.mark.parametrize("locale", LOCALES)
def test_project_copy_is_identical_to_the_seed(locale):
    (seed,) = SEEDS.glob(f"{SEED_FILES[locale]}_*.txt")
    assert (DATA / f"{locale}.md").read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_five_pillars_with_heading_and_paragraph(locale):
    text = (DATA / f"{locale}.md").read_text("utf-8") + "\n"
    parsed = mission(locale)
    assert [p.code for p in parsed.pillars] == list(PILLAR_CODES)
    for pillar in parsed.pillars:
        assert f"# {pillar.title}\n\n{pillar.paragraph}\n" in text
        assert len(pillar.paragraph) > 100
    assert parsed.introduction, "the introduction is shown on the home page"


def test_pillar_titles_in_english_match_the_design():
    titles = [p.title for p in mission("en").pillars]
    assert titles == [
        "eTwinning Schools have a commitment to shared leadership",
        "eTwinning Schools are collaborative",
        "Students in eTwinning Schools are agents of change",
        "eTwinning Schools are models for other schools",
        "eTwinning Schools are inclusive and innovative learning organisations",
    ]


def test_norwegian_and_romanian_skip_their_subtitle_heading():
    assert mission("nb").pillars[0].title == "eTwinning-skolene forplikter seg til felles lederskap"
    assert mission("ro").introduction[0].startswith("Școlile eTwinning sunt liderii")


def test_a_text_without_five_pillars_is_refused():
    with pytest.raises(ValueError, match="too few headings"):
        parse_mission("# Title\n\n## One\n\ntext\n", "en")


def test_loading_is_idempotent_and_stores_every_locale(app_ctx, db_session):
    load_pillars()
    load_pillars()
    rows = db_session.scalars(select(PillarText)).all()
    assert len(rows) == len(PILLAR_CODES) * len(LOCALES)
    stored = {(row.pillar_code, row.locale): row for row in rows}
    for locale in LOCALES:
        for pillar in mission(locale).pillars:
            assert stored[pillar.code, locale].title == pillar.title
            assert stored[pillar.code, locale].paragraph == pillar.paragraph


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_show_titles_and_paragraphs_verbatim(client, locale):
    body = client.get(f"/pillars?lang={locale}").get_data(as_text=True)
    for pillar in mission(locale).pillars:
        assert _html(pillar.title) in body
        assert _html(mission_plain(pillar.paragraph)) in body
    detail = client.get(f"/pillars/{PILLAR_CODES[3]}?lang={locale}").get_data(as_text=True)
    assert _html(mission(locale).pillars[3].title) in detail


def _html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
