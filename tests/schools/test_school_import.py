"""Importing schools from CSV: the file formats people really save, row checks with line
numbers and column names, all-or-nothing writes, idempotency, the command line and the
web flow (check, then confirm)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.school_years import school_year_of
from app.core.text import search_key
from app.geography.models import Region
from app.schools.enums import SchoolStatus
from app.schools.importing import import_schools
from app.schools.models import School, SchoolLanguage, SchoolLevel

#: A fixed "today" for the domain function: school year 2025–26, so 2025 is the latest
#: label year and 2026 is in the future.
TODAY = date(2026, 3, 15)

HEADER = "external_id;name;country;region;city;levels;languages;label_year;pupil_count"
ANKARA = "TR-0001;Atatürk Anadolu Lisesi;TR;TR-06;Ankara;upper_secondary;tr|en;2024;850"
CLUJ = (
    'RO-0001;"Școala Gimnazială ""Avram Iancu""; Cluj";RO;RO-CJ;Cluj-Napoca;'
    "primary|lower_secondary;ro|en;;420"
)
BODO = "NO-0001;Bodø videregående skole;NO;NO-18;Bodø;upper_secondary|vocational;nb;2025;"


def csv_bytes(*rows: str, header: str = HEADER, newline: str = "\r\n", bom: str = "") -> bytes:
    return (bom + newline.join([header, *rows]) + newline).encode("utf-8")


def run(raw: bytes, *, allowed=None, dry_run=False, today=TODAY, importer_id=None):
    return import_schools(
        raw, importer_id=importer_id, allowed_countries=allowed, today=today, dry_run=dry_run
    )


def dump(session) -> dict[str, list[dict]]:
    """Every row of the school tables, every column (timestamps included)."""
    tables = (School.__table__, SchoolLevel.__table__, SchoolLanguage.__table__)
    return {
        table.name: [
            dict(row)
            for row in session.execute(
                select(table).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in tables
    }


def by_external_id(session, external_id: str) -> School | None:
    session.expire_all()  # bulk writes do not refresh objects already in the session
    return session.scalar(select(School).where(School.external_id == external_id))


def errors_of(report) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.errors]


def levels_of(school: School) -> list[str]:
    return [row.level.value for row in school.levels]


def languages_of(school: School) -> list[str]:
    return [row.language for row in school.languages]


@pytest.fixture
def existing(make):
    """A school already in the database, so that "nothing written" is tested on a real table."""
    return make.school("BE", name="Sint-Jozefscollege", city="Aalst")


# File formats ----------------------------------------------------------------------------


def test_utf8_with_bom_semicolons_crlf_and_quoted_fields(app_ctx, db_session):
    raw = csv_bytes(ANKARA, CLUJ, BODO, bom="\ufeff")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw

    report = run(raw)

    assert errors_of(report) == []
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    cluj = by_external_id(db_session, "RO-0001")
    assert cluj.name == 'Școala Gimnazială "Avram Iancu"; Cluj'
    assert cluj.city == "Cluj-Napoca"
    assert (cluj.country_code, cluj.region_code) == ("RO", "RO-CJ")
    assert cluj.timezone == "Europe/Bucharest"
    assert cluj.status is SchoolStatus.VERIFIED
    assert cluj.verified_at is not None
    assert cluj.label_year is None
    assert cluj.pupil_count == 420
    assert levels_of(cluj) == ["lower_secondary", "primary"]
    assert languages_of(cluj) == ["en", "ro"]
    assert cluj.search_key == search_key(cluj.name, cluj.city)
    ankara = by_external_id(db_session, "TR-0001")
    assert (ankara.name, ankara.city, ankara.region_code) == (
        "Atatürk Anadolu Lisesi",
        "Ankara",
        "TR-06",
    )
    assert (ankara.label_year, ankara.pupil_count) == (2024, 850)
    assert ankara.timezone == "Europe/Istanbul"
    bodo = by_external_id(db_session, "NO-0001")
    assert bodo.pupil_count is None
    assert levels_of(bodo) == ["upper_secondary", "vocational"]
    assert languages_of(bodo) == ["nb"]


def test_commas_lf_and_quoted_commas(app_ctx, db_session):
    header = HEADER.replace(";", ",")
    row = (
        'NL-0001,"Charlois College, locatie IJsselmonde",NL,NL-ZH,"Rotterdam, IJsselmonde",'
        "lower_secondary|upper_secondary,nl|en,,1200"
    )
    report = run(csv_bytes(row, header=header, newline="\n"))

    assert errors_of(report) == []
    school = by_external_id(db_session, "NL-0001")
    assert school.name == "Charlois College, locatie IJsselmonde"
    assert school.city == "Rotterdam, IJsselmonde"
    assert school.pupil_count == 1200


def test_header_names_are_trimmed_and_case_insensitive_and_columns_may_be_reordered(
    app_ctx, db_session
):
    raw = csv_bytes(
        "Cluj;RO;cj;RO-0002;primary;RO",
        header=" City ;Country; REGION ;External_ID;Levels;Name",
    )
    report = run(raw)

    assert errors_of(report) == []
    school = by_external_id(db_session, "RO-0002")
    assert (school.name, school.city, school.region_code) == ("RO", "Cluj", "RO-CJ")


def test_region_without_country_prefix_is_read_in_the_rows_country(app_ctx, db_session):
    rows = [
        "RO-0010;Liceul Teoretic Lucian Blaga;RO;CJ;Cluj-Napoca;;;;",
        "RO-0011;Colegiul Național Emil Racoviță;ro;cj;Cluj-Napoca;;;;",
    ]
    report = run(csv_bytes(*rows))

    assert errors_of(report) == []
    for external_id in ("RO-0010", "RO-0011"):
        school = by_external_id(db_session, external_id)
        assert (school.country_code, school.region_code) == ("RO", "RO-CJ")


# Bad rows --------------------------------------------------------------------------------

BAD_ROWS = {
    "unknown region": ("TR-0002;Okul;TR;TR-99;;;;;", ["region"]),
    "unknown short region": ("TR-0002;Okul;TR;CJ;;;;;", ["region"]),
    "region of another country": ("TR-0002;Okul;TR;RO-CJ;;;;;", ["region"]),
    "unknown country": ("XX-0002;School;XX;XX-01;;;;;", ["country", "region"]),
    "bad level": ("TR-0002;Okul;TR;TR-34;;kindergarten;;;", ["levels"]),
    "bad language code": ("TR-0002;Okul;TR;TR-34;;;tr|xx;;", ["languages"]),
    "language name instead of code": ("TR-0002;Okul;TR;TR-34;;;Turkish;;", ["languages"]),
    "label year in the future": ("TR-0002;Okul;TR;TR-34;;;;2026;", ["label_year"]),
    "label year too early": ("TR-0002;Okul;TR;TR-34;;;;1999;", ["label_year"]),
    "label year not a number": ("TR-0002;Okul;TR;TR-34;;;;2024-25;", ["label_year"]),
    "label year superscript digit": ("TR-0002;Okul;TR;TR-34;;;;²;", ["label_year"]),
    "negative pupil count": ("TR-0002;Okul;TR;TR-34;;;;;-5", ["pupil_count"]),
    "fractional pupil count": ("TR-0002;Okul;TR;TR-34;;;;;12.5", ["pupil_count"]),
    "huge pupil count": ("TR-0002;Okul;TR;TR-34;;;;;100001", ["pupil_count"]),
    "superscript pupil count": ("TR-0002;Okul;TR;TR-34;;;;;²", ["pupil_count"]),
    "missing name": ("TR-0002;;TR;TR-34;;;;;", ["name"]),
    "blank name": ("TR-0002;   ;TR;TR-34;;;;;", ["name"]),
    "missing region": ("TR-0002;Okul;TR;;;;;;", ["region"]),
    "missing external id": (";Okul;TR;TR-34;;;;;", ["external_id"]),
    "duplicate external id": ("TR-0001;Başka Okul;TR;TR-34;;;;;", ["external_id"]),
    "name too long": ("TR-0002;" + "O" * 201 + ";TR;TR-34;;;;;", ["name"]),
    "row with extra cells": ("TR-0002;Okul;TR;TR-34;;;;;;extra", [""]),
}


@pytest.mark.parametrize(("row", "columns"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_reported_and_nothing_is_written(app_ctx, db_session, existing, row, columns):
    before = dump(db_session)

    report = run(csv_bytes(ANKARA, row, BODO))

    assert not report.ok
    assert errors_of(report) == [(3, column) for column in columns]
    assert all(str(error.message) for error in report.errors)
    assert (report.created, report.updated) == (0, 0)
    assert dump(db_session) == before


def test_every_bad_row_is_reported_with_its_line_and_column(app_ctx, db_session, existing):
    before = dump(db_session)
    rows = [
        ANKARA,  # line 2
        "TR-0002;Okul 2;TR;TR-99;;;;;",  # 3: unknown region
        "TR-0003;Okul 3;TR;RO-CJ;;;;;",  # 4: region of another country
        "TR-0004;Okul 4;TR;TR-34;;kindergarten;;;",  # 5: bad level
        "TR-0005;Okul 5;TR;TR-34;;;xx;;",  # 6: bad language
        "TR-0006;Okul 6;TR;TR-34;;;;2026;",  # 7: label year in the future
        "TR-0007;Okul 7;TR;TR-34;;;;;-1",  # 8: negative pupil count
        "TR-0008;;TR;TR-34;;;;;",  # 9: missing name
        "TR-0001;Okul 9;TR;TR-34;;;;;",  # 10: duplicate external id
        "TR-0010;Okul 10;TR;TR-34;;;;;;;",  # 11: more cells than the header
        "TR-0011;Okul 11;TR;TR-35;İzmir;primary;tr;2025;300",  # 12: fine
        "TR-0012;Okul 12;TR;TR-98;;vocationa;zz;2030;-3",  # 13: five problems
    ]

    report = run(csv_bytes(*rows, bom="\ufeff"))

    assert errors_of(report) == [
        (3, "region"),
        (4, "region"),
        (5, "levels"),
        (6, "languages"),
        (7, "label_year"),
        (8, "pupil_count"),
        (9, "name"),
        (10, "external_id"),
        (11, ""),
        (13, "region"),
        (13, "levels"),
        (13, "languages"),
        (13, "label_year"),
        (13, "pupil_count"),
    ]
    messages = {(error.line, error.column): str(error.message) for error in report.errors}
    assert messages[3, "region"] == "TR-99 is not a region of this country."
    assert messages[7, "label_year"] == "Use a year between 2000 and 2025."
    assert messages[10, "external_id"] == "This external id appears twice in the file."
    assert messages[11, ""] == "This row has more cells than the header."
    assert dump(db_session) == before


def test_line_numbers_count_lines_not_rows_when_a_quoted_cell_spans_two_lines(app_ctx, db_session):
    rows = [
        'TR-0001;Okul;TR;TR-34;"İstanbul\r\nKadıköy";;;;',  # lines 2 and 3
        "TR-0002;Okul 2;TR;TR-99;;;;;",  # line 4
    ]
    report = run(csv_bytes(*rows))
    assert errors_of(report) == [(4, "region")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("external_id;name;country;city", [(1, "region")]),
        ("external_id;name;city", [(1, "country, region")]),
        (HEADER + ";fax", [(1, "fax")]),
        ("external_id;name;country;regio", [(1, "region"), (1, "regio")]),
    ],
)
def test_missing_or_unknown_header_columns(app_ctx, db_session, existing, header, expected):
    before = dump(db_session)
    cells = ";".join(["x"] * len(header.split(";")))
    report = run(csv_bytes(cells, header=header))

    assert errors_of(report) == expected
    assert str(report.errors[0].message) in {
        "Required columns are missing.",
        "These columns are not known.",
    }
    assert report.rows == 0
    assert dump(db_session) == before


def test_a_dry_run_reports_but_writes_nothing(app_ctx, db_session, existing):
    before = dump(db_session)

    report = run(csv_bytes(ANKARA, CLUJ, BODO), dry_run=True)

    assert report.ok
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert dump(db_session) == before


# Idempotency and updates -----------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(app_ctx, db_session, existing):
    raw = csv_bytes(ANKARA, CLUJ, BODO, bom="\ufeff")
    first = run(raw)
    db_session.commit()
    assert first.created == 3
    after_first = dump(db_session)
    assert len(after_first["school"]) == 4

    second = run(raw)
    db_session.commit()

    assert second.ok
    assert (second.rows, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert dump(db_session) == after_first


def test_a_changed_row_updates_the_school_and_replaces_levels_and_languages(app_ctx, db_session):
    run(
        csv_bytes(
            ANKARA,
            "TR-0002;Kadıköy Anadolu Lisesi;TR;TR-34;İstanbul;upper_secondary;tr|en|de;;",
            BODO,
        )
    )
    db_session.commit()
    before = dump(db_session)
    stamps = {row["external_id"]: row["updated_at"] for row in before["school"]}

    report = run(
        csv_bytes(
            "TR-0001;Ankara Atatürk Lisesi;TR;TR-06;Çankaya;primary|vocational;fr;2025;900",
            "TR-0002;Kadıköy Anadolu Lisesi;TR;TR-34;İstanbul;;;;",
            BODO,
        )
    )
    db_session.commit()

    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 0, 2, 1)
    ankara = by_external_id(db_session, "TR-0001")
    assert (ankara.name, ankara.city, ankara.label_year, ankara.pupil_count) == (
        "Ankara Atatürk Lisesi",
        "Çankaya",
        2025,
        900,
    )
    assert ankara.search_key == search_key("Ankara Atatürk Lisesi", "Çankaya")
    assert levels_of(ankara) == ["primary", "vocational"]
    assert languages_of(ankara) == ["fr"]
    assert ankara.updated_at > stamps["TR-0001"]
    kadikoy = by_external_id(db_session, "TR-0002")
    assert levels_of(kadikoy) == []
    assert languages_of(kadikoy) == []
    bodo = by_external_id(db_session, "NO-0001")
    assert bodo.updated_at == stamps["NO-0001"]
    assert db_session.scalar(select(func.count()).select_from(School)) == 3


def test_a_changed_region_moves_the_school(app_ctx, db_session):
    run(csv_bytes(ANKARA))
    db_session.commit()

    report = run(csv_bytes("TR-0001;Atatürk Anadolu Lisesi;TR;34;İstanbul;;;;"))
    db_session.commit()

    assert report.updated == 1
    school = by_external_id(db_session, "TR-0001")
    assert (school.country_code, school.region_code, school.timezone) == (
        "TR",
        "TR-34",
        "Europe/Istanbul",
    )


def test_external_ids_are_unique_per_country_not_across_countries(app_ctx, db_session):
    """National register codes collide: the same code in two countries is two schools."""
    run(csv_bytes(ANKARA))
    db_session.commit()

    report = run(csv_bytes(ANKARA, "TR-0001;Școala din Cluj;RO;CJ;Cluj;;;;"))
    db_session.commit()

    assert (report.ok, report.created, report.unchanged) == (True, 1, 1)
    schools = db_session.scalars(
        select(School).where(School.external_id == "TR-0001").order_by(School.country_code)
    ).all()
    assert [(s.country_code, s.region_code, s.name) for s in schools] == [
        ("RO", "RO-CJ", "Școala din Cluj"),
        ("TR", "TR-06", "Atatürk Anadolu Lisesi"),
    ]


def test_an_external_id_twice_in_one_country_of_the_file_is_refused(app_ctx, db_session):
    report = run(csv_bytes(ANKARA, "TR-0001;Başka Okul;TR;TR-34;;;;;"))
    assert errors_of(report) == [(3, "external_id")]


def test_the_database_refuses_an_external_id_twice_in_one_country(app_ctx, db_session, make):
    make.school("TR", external_id="TR-7777")
    make.school("RO", external_id="TR-7777")  # another country: allowed
    with pytest.raises(IntegrityError):
        make.school("TR", external_id="TR-7777")
    db_session.rollback()


# Countries a coordinator may import into -------------------------------------------------


def test_a_coordinator_of_tr_cannot_import_a_row_for_ro(app_ctx, db_session, existing):
    before = dump(db_session)

    report = run(csv_bytes(ANKARA, CLUJ), allowed={"TR"})

    assert errors_of(report) == [(3, "country")]
    assert str(report.errors[0].message) == "You may only import schools of your own countries."
    assert dump(db_session) == before


def test_a_coordinator_of_tr_cannot_take_over_a_school_of_ro_by_its_external_id(
    app_ctx, db_session, make
):
    """A row for TR with the external id of a Romanian school is a school of Türkiye: the
    Romanian one is neither moved nor overwritten."""
    school = make.school(
        "RO",
        name="Școala Gimnazială nr. 1",
        region=db_session.get(Region, "RO-CJ"),
        external_id="RO-0001",
    )
    school_id = school.id

    report = run(csv_bytes("RO-0001;Not Taken Over;TR;TR-34;;;;;"), allowed={"TR"})

    assert (report.ok, report.created, report.updated) == (True, 1, 0)
    db_session.expire_all()
    romanian = db_session.get(School, school_id)
    assert (romanian.country_code, romanian.name) == ("RO", "Școala Gimnazială nr. 1")
    turkish = db_session.scalar(
        select(School).where(School.external_id == "RO-0001", School.country_code == "TR")
    )
    assert turkish.name == "Not Taken Over"


# The command line ------------------------------------------------------------------------


def _school_count(session) -> int:
    return session.scalar(select(func.count()).select_from(School))


def test_cli_imports_a_file(runner, db_session, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(ANKARA, CLUJ, BODO, bom="\ufeff"))

    result = runner.invoke(args=["import", "schools", str(path)])

    assert result.exit_code == 0, result.output
    assert "3 rows: 3 schools were created, 0 updated, 0 unchanged" in result.stdout
    assert _school_count(db_session) == 3
    school = by_external_id(db_session, "RO-0001")
    assert school.region_code == "RO-CJ"
    assert school.created_by_id is None


def test_cli_dry_run_writes_nothing(runner, db_session, tmp_path, existing):
    before = dump(db_session)
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(ANKARA, CLUJ))

    result = runner.invoke(args=["import", "schools", str(path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "2 rows: 2 schools would be created, 0 updated, 0 unchanged" in result.stdout
    assert dump(db_session) == before


def test_cli_reports_bad_rows_and_writes_nothing(runner, db_session, tmp_path, existing):
    before = dump(db_session)
    future = school_year_of(datetime.now(UTC).date()) + 1
    path = tmp_path / "schools.csv"
    path.write_bytes(
        csv_bytes(
            ANKARA,
            "TR-0002;Okul;TR;TR-99;;;;;",
            f"TR-0003;Okul 3;TR;TR-34;;;;{future};",
            "TR-0004;Okul 4;TR;TR-34;;;;;-2",
        )
    )

    result = runner.invoke(args=["import", "schools", str(path)])

    assert result.exit_code == 1
    assert "line 3 [region]: TR-99 is not a region of this country." in result.stderr
    assert "line 4 [label_year]:" in result.stderr
    assert "line 5 [pupil_count]:" in result.stderr
    assert "3 problem(s); nothing was imported" in result.stderr
    assert dump(db_session) == before


def test_cli_import_twice_leaves_the_database_identical(runner, db_session, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(csv_bytes(ANKARA, CLUJ, BODO, bom="\ufeff"))
    first = runner.invoke(args=["import", "schools", str(path)])
    assert first.exit_code == 0, first.output
    after_first = dump(db_session)
    assert len(after_first["school"]) == 3
    assert len(after_first["school_level"]) == 5
    assert len(after_first["school_language"]) == 5

    second = runner.invoke(args=["import", "schools", str(path)])

    assert second.exit_code == 0, second.output
    assert "3 rows: 0 schools were created, 0 updated, 3 unchanged" in second.stdout
    assert dump(db_session) == after_first


def test_cli_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["import", "schools", str(tmp_path / "nowhere.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
