"""The dashboard's figures are declared once (app/dashboards/declaration.py): the page,
the export, the API and its OpenAPI schema all follow that one list, so a figure added
there shows everywhere."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import fields

import pytest

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityType
from app.dashboards import declaration
from app.dashboards.declaration import FIGURES, KEY_FIGURES, MOMENT, PER_TYPE, Figure
from tests.api.helpers import call
from tests.dashboards.test_dashboards import _download, _signed_in, build_data


@pytest.fixture
def data(make, db_session):
    return build_data(make, db_session)


def _table_headers(page: str) -> list[str]:
    table = page[page.index('class="table table-sm align-middle figures-table region-table"') :]
    head = table[: table.index("</thead>")]
    return [html.unescape(text).strip() for text in re.findall(r"<a [^>]*>([^<]+)</a>", head)]


def _key_figures(page: str) -> list[str]:
    return [html.unescape(label) for label in re.findall(r"<dt>([^<]+)</dt>", page)]


def test_the_page_export_and_api_follow_the_declaration(app, client, db_session, data):
    _signed_in(client, db_session, data)
    page = client.get(f"/dashboards/TR?year={data.year}").get_data(as_text=True)
    assert _table_headers(page) == ["Region", *(str(f.column) for f in FIGURES)]
    assert _key_figures(page)[: len(KEY_FIGURES)] == [str(f.card) for f in KEY_FIGURES]

    status, body = _download(client, f"/dashboards/TR/export/regions.csv?year={data.year}")
    assert status == 200
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    expected = ["Region"]
    for figure in FIGURES:
        kinds = [str(kind.label) for kind in ActivityType]
        expected += kinds if figure.kind == PER_TYPE else [str(figure.label)]
    assert header == expected

    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["components"]["schemas"]["RegionFigures"]["properties"]
    assert {f.name for f in FIGURES} <= set(schema)
    moments = {f.name for f in FIGURES if f.kind == MOMENT}
    assert {name for name, rule in schema.items() if rule.get("format") == "date-time"} == moments

    token = issue_token(db_session.get(User, data.users["coordinator_tr"]), "declaration")
    db_session.commit()
    answer = call(client, "GET", f"dashboards/TR?year={data.year}", token=token).get_json()
    assert {f.name for f in FIGURES} <= set(answer["total"])
    assert {f.name for f in FIGURES} <= set(answer["regions"][0])


def test_a_figure_added_to_the_declaration_shows_on_the_page_and_in_the_api(
    app, client, db_session, data, monkeypatch
):
    """One new entry (here: the schools count again, under a new name) is enough for the
    region table, the export and the API schema to carry it."""
    extra = Figure("schools", "Schools (again)", "Schools again", kind="count")
    monkeypatch.setattr(declaration, "FIGURES", (*FIGURES, extra))
    from app.dashboards import api as dashboards_api
    from app.dashboards.views import routes

    monkeypatch.setattr(routes, "FIGURES", declaration.FIGURES)
    monkeypatch.setattr(dashboards_api, "FIGURES", declaration.FIGURES)

    _signed_in(client, db_session, data)
    page = client.get(f"/dashboards/TR?year={data.year}").get_data(as_text=True)
    assert _table_headers(page)[-1] == "Schools again"
    _status, body = _download(client, f"/dashboards/TR/export/regions.csv?year={data.year}")
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[-1] == "Schools (again)"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    schools_column = header.index("Schools")
    assert all(row[-1] == row[schools_column] for row in rows)


def test_region_figures_are_made_from_the_declaration():
    names = {f.name for f in fields(declaration.RegionFigures)}
    stored = {f.name for f in FIGURES if f.kind != PER_TYPE}
    assert stored <= names
    assert names - stored == {"code", "name", "held", "pillars"}
