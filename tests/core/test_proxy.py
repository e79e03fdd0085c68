"""Behind a reverse proxy (``PROXY_COUNT``): the client's address and scheme come from it."""

from __future__ import annotations

from flask import jsonify, request

from tests.support.web import extra_app, limiter_state_restored

FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "network.example.org",
}


def _seen_by(database_url, **settings):
    with limiter_state_restored():
        proxied = extra_app(database_url, **settings)

    @proxied.get("/_seen")
    def seen():
        return jsonify(address=request.remote_addr, scheme=request.scheme, host=request.host)

    return proxied.test_client().get("/_seen", headers=FORWARDED).get_json()


def test_behind_one_proxy_its_forwarded_headers_are_believed(app, database_url):
    seen = _seen_by(database_url, PROXY_COUNT=1)
    assert seen == {"address": "203.0.113.7", "scheme": "https", "host": "network.example.org"}


def test_without_a_proxy_forwarded_headers_are_ignored(app, database_url):
    seen = _seen_by(database_url)
    assert seen["address"] == "127.0.0.1"
    assert seen["scheme"] == "http"
