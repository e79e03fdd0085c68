"""Pages and API answers sent compressed, brotli or gzip, as the client accepts.

A page is 15-100 kB of HTML (a dashboard with its map more) that compresses to a fifth or
less; compressing it costs a fraction of a millisecond at these levels, far less than
sending it over a phone's connection. Feeds and downloads are left as they are (a feed
is kept rendered and large; spreadsheets are compressed already). Static files are
compressed once by app.core.assets.
"""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

#: The types compressed here.
TYPES = ("text/html", "application/json")
SMALLEST = 1024
#: Levels chosen for speed: most of the gain at a small cost per request.
BROTLI_QUALITY = 4
GZIP_LEVEL = 5


def init_compression(app: Flask) -> None:
    app.after_request(compress)


def compress(response: Response) -> Response:
    if (
        response.mimetype not in TYPES
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code < 200
        or response.status_code in (204, 304)
    ):
        return response
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    if len(body) < SMALLEST:
        return response
    accepted = request.accept_encodings
    if accepted["br"]:
        response.set_data(brotli.compress(body, quality=BROTLI_QUALITY))
        response.content_encoding = "br"
    elif accepted["gzip"]:
        response.set_data(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        response.content_encoding = "gzip"
    return response
