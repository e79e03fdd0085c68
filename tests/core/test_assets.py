"""Static files: fingerprinted names cached for good, compressed text, nothing per request."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

from app.core.assets import BUNDLES, Folder, plain_name

STATIC = Path(__file__).resolve().parents[2] / "app" / "core" / "static"
_DIGEST = re.compile(r"\.([0-9a-f]{12})\.[a-z0-9]+$")


def _url(app, endpoint: str, filename: str) -> str:
    with app.test_request_context():
        return url_for(endpoint, filename=filename)


def _assets_of(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"', html)


def test_a_static_address_carries_the_digest_of_what_it_serves(app, client):
    address = _url(app, "static", "css/app.css")

    response = client.get(address)

    assert response.status_code == 200
    digest = _DIGEST.search(address).group(1)
    assert hashlib.sha256(response.data).hexdigest()[:12] == digest
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    static = Folder(str(tmp_path))
    before = static.fingerprinted("site.css")

    (tmp_path / "site.css").write_text("body { color: navy }")

    assert static.fingerprinted("site.css") != before
    assert plain_name(static.fingerprinted("site.css"))[0] == "site.css"


def test_every_asset_a_page_links_is_fingerprinted_and_kept_for_good(client):
    page = client.get("/").get_data(as_text=True)
    assets = _assets_of(page)

    assert len(assets) >= 5  # Bootstrap's CSS and script, the fonts, the site's CSS, the mark
    for address in assets:
        assert _DIGEST.search(address), address
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.headers["Cache-Control"].endswith("immutable"), address


def test_a_page_asks_for_one_stylesheet_made_of_bootstrap_the_fonts_and_the_sites_rules(
    app, client
):
    page = client.get("/").get_data(as_text=True)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)

    assert len(sheets) == 1
    assert plain_name(sheets[0].removeprefix("/static/"))[0] == "css/site.css"
    bundle = client.get(sheets[0])
    parts = [
        client.get(_url(app, endpoint, name)).data for endpoint, name in BUNDLES["css/site.css"]
    ]
    assert bundle.data == b"\n".join(parts)
    assert bundle.mimetype == "text/css"
    assert bundle.headers["Cache-Control"].endswith("immutable")
    assert b".navbar{" in bundle.data  # Bootstrap
    assert b"@font-face" in bundle.data
    assert (STATIC / "css" / "app.css").read_bytes() in bundle.data


def test_a_bundle_changes_name_when_a_part_changes(tmp_path):
    for name, rule in (("a.css", "a { color: red }"), ("b.css", "b { color: blue }")):
        (tmp_path / name).write_text(rule)
    static = Folder(str(tmp_path))
    static.bundles["both.css"] = ((static, "a.css"), (static, "b.css"))
    before = static.fingerprinted("both.css")
    assert static.asset("both.css").body == b"a { color: red }\nb { color: blue }"

    (tmp_path / "b.css").write_text("b { color: navy }")

    assert static.fingerprinted("both.css") != before
    assert static.asset("both.css").body.endswith(b"navy }")


def test_the_extended_fonts_hold_the_letters_of_europes_latin_alphabets():
    from fontTools.ttLib import TTFont

    letters = "ğışİŞăâîșțȘȚąęłńśźżčďěňřšťůžőűāēīūėįųļķņæøåÆØÅéèëçßẞ"
    for family in ("inter", "source-serif-4"):
        drawn = set()
        for subset in ("latin", "latin-ext"):
            font = TTFont(STATIC / "fonts" / f"{family}-{subset}-wght-normal.woff2")
            drawn |= set(font.getBestCmap())
            assert "fvar" in font  # still variable: every weight from one file
        assert not {letter for letter in letters if ord(letter) not in drawn}, family
        assert (STATIC / "fonts" / f"{family}-latin-ext-wght-normal.woff2").stat().st_size < 25_000


def test_the_fonts_a_stylesheet_names_are_fingerprinted_too(app, client):
    css = client.get(_url(app, "static", "css/fonts.css")).get_data(as_text=True)
    fonts = re.findall(r"url\(([^)]+)\)", css)

    assert len(fonts) == 4
    for font in fonts:
        assert font.startswith("../fonts/")
        assert _DIGEST.search(font), font
        response = client.get(f"/static/{font.removeprefix('../')}")
        assert response.status_code == 200
        assert response.mimetype == "font/woff2"
        assert response.headers["Cache-Control"].endswith("immutable")
        assert "Content-Encoding" not in response.headers  # woff2 is compressed already


@pytest.mark.parametrize(
    ("accepted", "coding", "decode"),
    [("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress), ("", None, None)],
)
def test_text_is_sent_compressed_as_the_browser_accepts(app, client, accepted, coding, decode):
    address = _url(app, "bootstrap.static", "css/bootstrap.min.css")
    original = client.get(address, headers={"Accept-Encoding": ""}).data

    response = client.get(address, headers={"Accept-Encoding": accepted})

    assert response.headers.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response.headers["Vary"]
    if decode is not None:
        assert len(response.data) < len(original) / 5
        assert decode(response.data) == original


def test_an_answer_already_held_is_not_sent_again(app, client):
    address = _url(app, "static", "css/app.css")
    first = client.get(address, headers={"Accept-Encoding": "br"})

    again = client.get(
        address, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize("address", ["/static/css/app.css", "/static/css/app.0123456789ab.css"])
def test_a_plain_or_outdated_name_is_served_but_checked_again(client, address):
    response = client.get(address)

    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"


def test_static_files_are_served_without_the_session(client):
    response = client.get("/static/css/app.css")

    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize(
    "address", ["/static/nothing.css", "/static/../config.py", "/static/%2e%2e/__init__.py"]
)
def test_only_files_of_the_folder_are_served(client, address):
    assert client.get(address).status_code == 404


def test_static_files_are_only_read(client):
    response = client.post("/static/css/app.css")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
