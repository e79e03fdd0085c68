"""Pages and API answers are sent compressed as the client accepts, each encoding with an
ETag of its own; feeds and small answers are left as they are."""

from __future__ import annotations

import gzip

import brotli
import pytest


@pytest.mark.parametrize(
    ("accepted", "coding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_a_page_is_sent_compressed(client, accepted, coding, decode):
    plain = client.get("/pillars", headers={"Accept-Encoding": ""})

    packed = client.get("/pillars", headers={"Accept-Encoding": accepted})

    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert decode(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_a_compressed_page_held_already_gets_a_304(client):
    first = client.get("/pillars", headers={"Accept-Encoding": "br"})

    again = client.get(
        "/pillars", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304


def test_api_answers_are_compressed_too(client):
    answer = client.get("/api/v1/pillars", headers={"Accept-Encoding": "gzip"})

    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.data).startswith(b"{")


def test_feeds_and_tiny_answers_are_left_as_they_are(client):
    feed = client.get("/calendar/TR.ics", headers={"Accept-Encoding": "br"})
    health = client.get("/healthz", headers={"Accept-Encoding": "br"})

    assert "Content-Encoding" not in feed.headers
    assert "Content-Encoding" not in health.headers


def test_a_signed_in_page_varies_on_the_cookie_and_the_encoding(client, make, db_session):
    from tests.principals import sign_in

    sign_in(client, db_session, make.user("vary@example.org").id)

    page = client.get("/account/", headers={"Accept-Encoding": "gzip"})

    assert page.headers["Cache-Control"] == "no-store"
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in page.headers["Vary"].split(",")}
