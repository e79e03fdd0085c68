"""The files coordinators have: "CSV" from Excel in Windows-1252 (Dutch, Norwegian) and
Windows-1254 (Turkish), "Unicode text" (UTF-16, tab-separated) and Excel's ``sep=;`` first
line give the same schools as the UTF-8 file, on the page and on the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.text_files import decode
from app.schools.alphabets import misread_letters
from app.schools.models import School
from tests.schools import test_school_import as imports
from tests.schools import test_school_import_page as page_flow

run = imports.run
#: The web flow's fixture: a coordinator of Türkiye signed in.
coordinator_tr = page_flow.coordinator_tr

HEADER = ["external_id", "name", "country", "region", "city", "levels", "languages"]
NL_NB = [
    ["NL-0001", "Basisschool De Regenboog – één locatie", "NL", "NL-NB", "Oosterhout",
     "primary", "nl"],
    ["NL-0002", "Scholengemeenschap Reünie Café", "NL", "NL-NB", "'s-Hertogenbosch",
     "lower_secondary", "nl|en"],
    ["NO-0001", "Bodø videregående skole", "NO", "NO-18", "Bodø", "upper_secondary", "nb"],
    ["NO-0002", "Ålesund Ærøy skole", "NO", "NO-15", "Ålesund", "primary", "nb|en"],
]  # fmt: skip
TR = [
    ["TR-0001", "İSTANBUL ŞİŞLİ ANADOLU LİSESİ", "TR", "TR-34", "İstanbul", "upper_secondary",
     "tr|en"],
    ["TR-0002", "Kadıköy Ağaçlı Ortaokulu", "TR", "TR-34", "İstanbul", "lower_secondary", "tr"],
    ["TR-0003", "Iğdır Çözüm Üstün İlkokulu", "TR", "TR-76", "Iğdır", "primary", "tr"],
]  # fmt: skip


def _text(rows: list[list[str]], separator: str = ";", first: str = "") -> str:
    return first + "".join(separator.join(row) + "\r\n" for row in [HEADER, *rows])


def _stored(session) -> list[tuple]:
    session.expire_all()
    schools = session.scalars(select(School).order_by(School.external_id)).all()
    return [
        (s.external_id, s.name, s.country_code, s.region_code, s.city, s.search_key,
         [row.level.value for row in s.levels], [row.language for row in s.languages])
        for s in schools
    ]  # fmt: skip


def _expected(app, rows) -> list[tuple]:
    """The schools the UTF-8 file gives, in a database of their own."""
    from app.core.extensions import db

    with app.app_context():
        report = run(_text(rows).encode("utf-8"))
        assert report.ok, report.errors
        found = _stored(db.session)
        db.session.rollback()
    return found


VARIANTS = {
    "Windows-1252 (nl, nb)": (NL_NB, lambda rows: _text(rows).encode("cp1252"), "Windows-1252"),
    "Windows-1254 (tr)": (TR, lambda rows: _text(rows).encode("cp1254"), "Windows-1254"),
    "UTF-16, tabs (Unicode text)": (
        NL_NB + TR,
        lambda rows: _text(rows, "\t").encode("utf-16"),
        "UTF-16",
    ),
    "UTF-8 with sep=;": (NL_NB + TR, lambda rows: _text(rows, ";", "sep=;\r\n").encode(), "UTF-8"),
    "UTF-8 with BOM, sep=, and commas": (
        NL_NB + TR,
        lambda rows: _text(rows, ",", "\ufeffsep=,\r\n").encode(),
        "UTF-8 (BOM)",
    ),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_saved_form_gives_the_schools_of_the_utf8_file(app, db_session, variant):
    rows, encode, label = VARIANTS[variant]
    expected = _expected(app, rows)
    assert len(expected) == len(rows)

    report = run(encode(rows))

    assert report.ok, [(e.line, e.column, str(e.message)) for e in report.errors]
    assert report.encoding == label
    assert report.created == len(rows)
    assert _stored(db_session) == expected


def test_line_numbers_count_the_sep_line(app_ctx, db_session):
    rows = [*TR, ["TR-0009", "Bad Region Okulu", "TR", "RO-CJ", "Cluj", "", ""]]
    report = run(_text(rows, ";", "sep=;\r\n").encode("cp1254"))
    assert [(error.line, error.column) for error in report.errors] == [(6, "region")]


def test_cp1254_and_cp1252_are_told_apart_by_the_rows_letters():
    turkish = _text(TR).encode("cp1254")
    norwegian = _text(NL_NB).encode("cp1252")
    assert decode(turkish, misread_letters).label == "Windows-1254"
    assert decode(norwegian, misread_letters).label == "Windows-1252"
    assert "Ş" in decode(turkish, misread_letters).text
    assert "ø" in decode(norwegian, misread_letters).text


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (_text(TR).encode("utf-8")[:-30] + b"\xff\xfe\r\n", 4),  # UTF-8 damaged on line 4
        (_text(NL_NB).encode("cp1252") + b"XX-1;\x81\x8d\x8f;;;;;\r\n", 6),  # no code page
        ("\ufeff".encode() + _text(TR).encode("utf-8") + b"\xc3\r\n", 5),
    ],
)
def test_an_unreadable_file_names_the_first_unreadable_line(app_ctx, db_session, raw, line):
    report = run(raw)
    assert [(error.line, error.column) for error in report.errors] == [(line, "")]
    assert "cannot be read" in str(report.errors[0].message)
    assert _stored(db_session) == []


def test_the_command_line_reads_windows_1254(app, runner, db_session, tmp_path):
    expected = _expected(app, TR)
    path = tmp_path / "okullar.csv"
    path.write_bytes(_text(TR).encode("cp1254"))
    result = runner.invoke(args=["import", "schools", str(path)])
    assert result.exit_code == 0, result.output
    assert "read as Windows-1254" in result.output
    assert _stored(db_session) == expected


def test_the_page_reads_utf16_and_shows_the_encoding(app, client, db_session, coordinator_tr):
    expected = _expected(app, TR)
    raw = _text(TR, "\t").encode("utf-16")
    with page_flow.upload(client, raw, "okullar.txt.csv") as response:
        _, page = page_flow.job_page(client, response)
    assert "The file was read as UTF-16." in page
    assert "3 rows can be imported: 3 new schools" in page
    with client.post(page_flow.confirm_address(page)) as response:
        assert response.status_code == 303
    assert _stored(db_session) == expected


def test_the_template_has_every_column_and_an_example_row_that_imports(
    app, client, db_session, coordinator_tr
):
    with client.get("/schools/import", headers={"Accept-Language": "en"}) as response:
        assert 'href="/schools/import/template.csv"' in response.get_data(as_text=True)
    with client.get("/schools/import/template.csv") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    header, example, end = raw.decode("utf-8-sig").split("\r\n")
    assert header.split(",")[:4] == ["external_id", "name", "country", "region"]
    assert len(example.split(",")) == len(header.split(",")) == 12
    assert end == ""
    report = run(raw)
    assert report.ok, [(e.line, e.column, str(e.message)) for e in report.errors]
    assert [row[1] for row in _stored(db_session)] == ["Atatürk Anadolu Lisesi"]


def test_the_template_is_only_for_those_who_import(client):
    with client.get("/schools/import/template.csv") as response:
        assert response.status_code == 302
