"""The report of a country's school year: the printable page and its PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, time

import pytest

from app.activities.enums import ActivityStatus
from app.core.school_years import school_year_bounds, school_year_of
from app.geography.models import Region
from tests.principals import sign_in

ANKARA, IZMIR = "TR-06", "TR-35"


@pytest.fixture
def year(client, db_session, make) -> int:
    """Seven activities held in Ankara this school year, two a year earlier; signed in
    as Türkiye's coordinator, reading Turkish."""
    current = school_year_of(datetime.now(UTC).date())
    school = make.school("TR", region=db_session.get(Region, ANKARA))
    for start, count in (
        (school_year_bounds(current)[0], 7),
        (school_year_bounds(current - 1)[0], 2),
    ):
        for _ in range(count):
            make.activity(
                school,
                starts_at=datetime.combine(start, time(9), tzinfo=UTC),
                status=ActivityStatus.HELD,
            )
    user = make.user(role="coordinator", countries=["TR"], locale="tr")
    sign_in(client, db_session, user.id)
    return current


def _pdf_text(document: bytes, tmp_path) -> list[str]:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: make poppler"
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    tool = shutil.which("pdftotext")
    text = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        [tool, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_page_has_the_sections_and_no_site_navigation(client, year):
    page = client.get(f"/dashboards/TR/report?year={year}&lang=tr").get_data(as_text=True)
    assert '<html lang="tr">' in page
    assert 'class="site-header"' not in page
    assert page.count('class="report-section"') == 4
    row = re.search(
        r'<th scope="row">Gerçekleştirilen aktiviteler</th><td class="num">(\d+)</td>\s*'
        r'<td class="num">(\d+)</td>',
        page,
    )
    assert row is not None
    assert row.groups() == ("7", "2")
    assert "+5" in page
    assert "Ankara" in page


def test_the_pdf_opens_with_the_figures_of_the_page_and_no_page_of_navigation(
    client, year, tmp_path
):
    response = client.get(f"/dashboards/TR/report.pdf?year={year}&lang=tr")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pages = _pdf_text(response.data, tmp_path)
    assert len(pages) == 4  # one per section
    text = "\n".join(pages)
    assert re.search(r"Gerçekleştirilen aktiviteler\s+7\s+2\s+▲?\s*\+5", text), text
    assert "Ankara" in text
    assert "Eksik bölgeler" in text  # the white spots, in Turkish
    for page in pages:
        assert "Gösterge paneline dön" not in page  # the page's own links stay out of the PDF
        assert re.search(r"\d", page), page


def test_the_report_shows_the_map_of_activities_held(client, year):
    page = client.get(f"/dashboards/TR/report?year={year}&lang=tr").get_data(as_text=True)
    figure = page[page.index('<figure class="report-map"') :]
    figure = figure[: figure.index("</figure>")]
    assert f'data-region="{ANKARA}"' in figure
    assert 'class="choropleth"' in figure
    # Ankara's seven activities are in its accessible name, in the reader's language.
    assert "7" in figure[figure.index(f'data-region="{ANKARA}"') - 400 :]


def test_only_the_countrys_coordinators_get_the_report(client, db_session, make):
    other = make.user(role="coordinator", countries=["RO"])
    sign_in(client, db_session, other.id)
    assert client.get("/dashboards/TR/report").status_code == 403
    assert client.get("/dashboards/TR/report.pdf").status_code == 403
