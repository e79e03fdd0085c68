"""Query parameters are checked against what the document declares for them: a value that
breaks its schema is a 400 naming the rule, whatever the operation."""

from __future__ import annotations

import pytest

from tests.api.helpers import body, error

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("schools?q=" + "x" * 201, "q can be at most 200 characters long."),
        ("schools?country=", "That filter value is not available."),
        ("schools?country=tr", "That filter value is not available."),
        ("schools?ambassador=yes", "That filter value is not available."),
        ("events?from=", "Give dates as YYYY-MM-DD between 2000 and 2100."),
        ("events?to=1999-12-31", "Give dates as YYYY-MM-DD between 2000 and 2100."),
        ("events?to=2026-02-30", "Give dates as YYYY-MM-DD between 2000 and 2100."),
        ("events?status=", "That filter value is not available."),
        ("events?school=12a", "That filter value is not available."),
        ("events?limit=0", "limit must be a whole number from 1 to 100."),
        ("events?limit=+5", "limit must be a whole number from 1 to 100."),
        ("mentors?country=", "That filter value is not available."),
    ],
)
def test_a_value_the_document_refuses_is_a_400(api, url, message):
    assert error(api("GET", url, headers=EN), 400, "bad_request")["message"] == message


def test_a_value_the_document_allows_is_answered(api, make):
    make.school("TR", name="Kadıköy Anadolu Lisesi")
    found = body(api("GET", "schools?country=TR&q=" + "lisesi " * 28 + "kad"))  # 199 characters
    assert [item["name"] for item in found["items"]] == ["Kadıköy Anadolu Lisesi"]
    body(api("GET", "events?from=2000-01-01&to=2100-12-31&limit=100&q="))


def test_every_integer_parameter_declares_its_bounds(api):
    document = body(api("GET", "openapi.json"))
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation["parameters"]:
                if parameter["in"] == "query" and parameter["schema"]["type"] == "integer":
                    assert {"minimum", "maximum"} <= set(parameter["schema"]), path
