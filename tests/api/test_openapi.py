"""The OpenAPI 3.1 document lists every API route with its method, its references resolve,
and real answers (and request bodies) match its schemas; the docs page renders."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import API, body, event_payload

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
NOT_DOCUMENTED = {"api.openapi", "api.docs"}


@pytest.fixture
def document(api) -> dict:
    return body(api("GET", "openapi.json"))


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in NOT_DOCUMENTED:
            path = CONVERTER.sub(r"{\1}", rule.rule.removeprefix(API))
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "eTwinning School Network API"
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_api_route_is_documented_with_its_method_and_nothing_else(app, document):
    routes = _api_routes(app)
    assert len(routes) >= 25
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "documented operations that do not exist"


def test_every_operation_declares_its_path_parameters_and_errors(document):
    for path, operations in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == names, where
            statuses = set(operation["responses"])
            assert {"400", "429"} <= statuses, where
            if names:
                assert "404" in statuses, where
            if "requestBody" in operation:
                assert {"422"} <= statuses, where
            if "security" in operation:
                assert {"401", "403"} <= statuses, where
            assert len(operation["operationId"]) > len(method), where


def _references(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def test_every_reference_resolves(document):
    names = set(document["components"]["schemas"])
    references = set(_references(document))
    assert references
    assert {ref.removeprefix("#/components/schemas/") for ref in references} <= names


def test_the_docs_page_renders(api):
    response = api("GET", "docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for text in ("/events/{activity_id}", "Record a planned activity of a school", "PATCH"):
        assert text in page


# Answers against the document (needs the jsonschema package) -----------------------


@pytest.fixture
def validate(document):
    jsonschema = pytest.importorskip("jsonschema")

    def check(instance, schema: dict) -> None:
        rooted = {**schema, "components": document["components"]}
        jsonschema.Draft202012Validator(
            rooted, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).validate(instance)

    return check


def _response_schema(document, method: str, path: str, status: int) -> dict:
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} does not document {status}"
    return responses[str(status)]["content"]["application/json"]["schema"]


@pytest.fixture
def answer_matches(api, document, validate):
    """``answer_matches(method, path, url, status, token=..., json=...)`` → the body."""

    def check(method: str, path: str, url: str, status: int = 200, **kwargs) -> dict:
        response = api(method, url, **kwargs)
        payload = body(response, status)
        validate(payload, _response_schema(document, method, path, status))
        return payload

    return check


def test_read_answers_match_the_document(answer_matches, two, token_for, make, db_session):
    from app.schools.models import School

    activity_id = make.activity(db_session.get(School, two.school["TR"])).id
    token = token_for(two.coordinator["TR"])
    for path, url in [
        ("/pillars", "pillars?lang=ro"),
        ("/countries", "countries"),
        ("/countries/{cc}/regions", "countries/RO/regions"),
        ("/schools", "schools"),
        ("/schools/{school_id}", f"schools/{two.school['TR']}"),
        ("/events", "events"),
        ("/events/{activity_id}", f"events/{activity_id}"),
        ("/mentors", "mentors"),
        ("/mentoring-requests", "mentoring-requests"),
        ("/mentoring-requests/{request_id}", f"mentoring-requests/{two.request['TR']}"),
        ("/matches", "matches"),
        ("/matches/{match_id}", f"matches/{two.match['TR']}"),
        ("/dashboards/{cc}", "dashboards/TR"),
    ]:
        assert answer_matches("GET", path, url, token=token) is not None


def test_write_answers_and_errors_match_the_document(answer_matches, member, two, token_for):
    created = answer_matches(
        "POST", "/events", "events", 201, token=member.token, json=event_payload(member.school_id)
    )
    path = "/events/{activity_id}"
    url = f"events/{created['id']}"
    answer_matches("PATCH", path, url, token=member.token, json={"title": "Renamed"})
    answer_matches("PATCH", path, url, 422, token=member.token, json={"colour": "red"})
    answer_matches("PATCH", path, url, 401, json={"title": "Renamed"})
    answer_matches("DELETE", path, url, token=member.token)
    answer_matches("GET", "/events", "events?limit=0", 400)
    coordinator = token_for(two.coordinator["TR"])
    run = answer_matches(
        "POST", "/match-runs", "match-runs", 201, token=coordinator, json={"country": "TR"}
    )
    answer_matches(
        "POST", "/match-runs/{run_id}/confirm", f"match-runs/{run['id']}/confirm", token=coordinator
    )
    answer_matches("GET", "/dashboards/{cc}", "dashboards/RO", 403, token=coordinator)


def _request_schema(document, method: str, path: str) -> dict:
    return document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def test_request_bodies_follow_the_document(document, validate, member):
    jsonschema = pytest.importorskip("jsonschema")
    create = _request_schema(document, "post", "/events")
    validate(event_payload(member.school_id), create)
    for wrong in ({"colour": "red"}, {"pillars": "collaboration"}, {"mode": "by post"}):
        with pytest.raises(jsonschema.ValidationError):
            validate({**event_payload(member.school_id), **wrong}, create)
    edit = _request_schema(document, "patch", "/events/{activity_id}")
    validate({"status": "held", "participants": {"teachers": 3}, "version": 2}, edit)
    with pytest.raises(jsonschema.ValidationError):
        validate({"school_id": 3}, edit)
    validate({"country": "TR"}, _request_schema(document, "post", "/match-runs"))


def test_the_answer_schemas_are_strict(document, validate, answer_matches, member):
    """A check that can fail: an answer with a field too many, or one missing, is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    payload = event_payload(member.school_id)
    created = answer_matches("POST", "/events", "events", 201, token=member.token, json=payload)
    schema = _response_schema(document, "GET", "/events/{activity_id}", 200)
    for wrong in (
        {**created, "secret": 1},
        {**created, "status": "postponed"},
        {k: v for k, v in created.items() if k != "title"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(wrong, schema)
