"""Static files served as a production server would: fingerprinted, cached for good, compressed.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.<digest>.css``: the
name carries a digest of the content, so browsers and proxies may keep the file for a
year without asking again (``immutable``), and a release that changes it changes its
name. A stylesheet's ``url(…)`` references are rewritten to their fingerprinted names
too (the fonts), and its own digest is that of the rewritten text.

A bundle (:data:`BUNDLES`) is a stylesheet made of others, served as one file: a page
asks for one render-blocking stylesheet instead of several, each a round trip on a
phone's network.

A file asked for by its plain name, or by a digest that is no longer its content (a page
of the previous release), is served all the same, but must be checked again
(``no-cache`` with its ETag). Text is sent brotli- or gzip-compressed when the browser
accepts it, compressed once per process and file. Bootstrap-Flask's files (the
``bootstrap.static`` endpoint) are served the same way, and both folders are answered
before the application's own request handling, as a web server in front of it would.
"""

from __future__ import annotations

import gzip
import mimetypes
import posixpath
import re
import threading
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path, PurePosixPath

import brotli
from flask import Flask
from werkzeug.wrappers import Request, Response

#: The endpoints of static folders served by this module.
ENDPOINTS = ("static", "bootstrap.static")
#: How long a fingerprinted file may be kept: a year, as RFC 9111 suggests for "never".
IMMUTABLE = "public, max-age=31536000, immutable"
#: Length of the digest in a file name (hexadecimal).
DIGEST_LENGTH = 12
_FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$"
)
_CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<target>[^'")\s]+)(?P=quote)\s*\)""")
#: Types sent compressed; fonts (woff2) and images other than SVG are compressed already.
_TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml")
_SMALLEST_COMPRESSED = 1024
#: Stylesheets of the ``static`` folder made of others, each (endpoint, file): Bootstrap,
#: the fonts and the application's own rules. A part's relative ``url()``s are kept as
#: written: parts lie in the bundle's directory, or refer to nothing relative (Bootstrap's
#: images are data URIs).
BUNDLES = {
    "css/site.css": (
        ("bootstrap.static", "css/bootstrap.min.css"),
        ("static", "css/fonts.css"),
        ("static", "css/app.css"),
    )
}


@dataclass
class Asset:
    body: bytes
    mimetype: str
    digest: str
    _encoded: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def compressible(self) -> bool:
        return self.mimetype.startswith(_TEXT) and len(self.body) >= _SMALLEST_COMPRESSED

    def encoded(self, coding: str) -> bytes:
        """The body compressed with ``coding`` ("br" or "gzip"), made once."""
        with self._lock:
            if coding not in self._encoded:
                if coding == "br":
                    self._encoded[coding] = brotli.compress(self.body, quality=11)
                else:
                    self._encoded[coding] = gzip.compress(self.body, compresslevel=9, mtime=0)
            return self._encoded[coding]


class Folder:
    """The files of one static folder, read (and a stylesheet rewritten) once per change."""

    def __init__(self, root: str) -> None:
        self.root = Path(root).resolve()
        #: Bundles served from this folder: name -> the folders and files of its parts.
        self.bundles: dict[str, tuple[tuple[Folder, str], ...]] = {}
        self._assets: dict[str, tuple[object, Asset]] = {}
        self._paths: dict[str, Path] = {}  # files found (a name resolves once)
        self._lock = threading.Lock()

    def path(self, filename: str) -> Path | None:
        found = self._paths.get(filename)
        if found is not None:
            return found
        path = (self.root / filename).resolve()
        if self.root not in path.parents or not path.is_file():
            return None
        self._paths[filename] = path
        return path

    def asset(self, filename: str) -> Asset | None:
        if filename in self.bundles:
            return self._bundle(filename)
        path = self.path(filename)
        if path is None:
            return None
        try:
            changed = path.stat().st_mtime_ns
        except FileNotFoundError:  # removed since it was found
            self._paths.pop(filename, None)
            return None
        known = self._assets.get(filename)
        if known is not None and known[0] == changed:
            return known[1]
        asset = self._read(filename, path)
        with self._lock:
            self._assets[filename] = (changed, asset)
        return asset

    def _bundle(self, filename: str) -> Asset | None:
        """The parts one after the other, made again when one of them changes."""
        parts = [source.asset(name) for source, name in self.bundles[filename]]
        if None in parts:
            return None
        version = tuple(part.digest for part in parts)
        known = self._assets.get(filename)
        if known is not None and known[0] == version:
            return known[1]
        body = b"\n".join(part.body for part in parts)
        asset = Asset(body, "text/css", sha256(body).hexdigest()[:DIGEST_LENGTH])
        with self._lock:
            self._assets[filename] = (version, asset)
        return asset

    def _read(self, filename: str, path: Path) -> Asset:
        body = path.read_bytes()
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if mimetype == "text/css":
            body = self._rewrite(filename, body.decode("utf-8")).encode("utf-8")
        return Asset(body, mimetype, sha256(body).hexdigest()[:DIGEST_LENGTH])

    def _rewrite(self, filename: str, css: str) -> str:
        """The stylesheet with each relative ``url()`` pointing at the fingerprinted file."""
        here = PurePosixPath(filename).parent

        def replace(match: re.Match) -> str:
            target = match["target"]
            if target.startswith(("data:", "#", "/")) or "://" in target:
                return match[0]
            path, _, rest = target.partition("?")
            wanted = _normalised(here / path)
            if wanted is None or self.fingerprinted(wanted) == wanted:
                return match[0]
            relative = posixpath.relpath(self.fingerprinted(wanted), start=str(here))
            return f"url({relative}{'?' + rest if rest else ''})"

        return _CSS_URL.sub(replace, css)

    def fingerprinted(self, filename: str) -> str:
        """``css/app.css`` → ``css/app.<digest>.css`` (the plain name if there is no file)."""
        asset = self.asset(filename)
        if asset is None:
            return filename
        stem, dot, suffix = filename.rpartition(".")
        if not dot or "/" in suffix:
            return f"{filename}.{asset.digest}"
        return f"{stem}.{asset.digest}.{suffix}"


def _normalised(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def plain_name(filename: str) -> tuple[str, str | None]:
    """The file a fingerprinted name stands for, and the digest it carries (or None)."""
    found = _FINGERPRINTED.match(filename)
    if found is None:
        return filename, None
    return f"{found['stem']}{found['suffix']}", found["digest"]


_FOLDERS: dict[str, Folder] = {}
_FOLDERS_LOCK = threading.Lock()


def folder(root: str) -> Folder:
    """The process's one reader of a static folder (shared by every app made from it)."""
    with _FOLDERS_LOCK:
        return _FOLDERS.setdefault(root, Folder(root))


def _preferred_coding(request: Request) -> str | None:
    accepted = request.accept_encodings
    for coding in ("br", "gzip"):
        if accepted[coding]:
            return coding
    return None


def serve(static: Folder, filename: str, request: Request) -> Response:
    plain, digest = plain_name(filename)
    asset = static.asset(plain)
    if asset is None:
        if digest is None or (asset := static.asset(filename)) is None:
            return Response("Not Found", status=404, mimetype="text/plain")
        digest = None  # a file whose own name only looks fingerprinted
    coding = _preferred_coding(request) if asset.compressible else None
    body = asset.encoded(coding) if coding else asset.body
    response = Response(body, mimetype=asset.mimetype)
    if asset.compressible:
        response.vary.add("Accept-Encoding")
    if coding:
        response.content_encoding = coding
    response.set_etag(f"{asset.digest}-{coding}" if coding else asset.digest)
    response.headers["Cache-Control"] = IMMUTABLE if digest == asset.digest else "no-cache"
    return response.make_conditional(request)


class StaticFiles:
    """WSGI middleware: the static folders' addresses answered before the application, as
    a web server in front of it would (no session, no rate limit, no per-request work)."""

    def __init__(self, application, folders: dict[str, Folder], headers: dict[str, str]) -> None:
        self.application = application
        self.folders = folders  # URL prefix ("/static/") -> folder
        self.headers = headers

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for prefix, static in self.folders.items():
            if path.startswith(prefix):
                request = Request(environ)
                if request.method not in ("GET", "HEAD"):
                    answer = Response(status=405, headers={"Allow": "GET, HEAD"})
                else:
                    answer = serve(static, path[len(prefix) :], request)
                answer.headers.update(self.headers)
                return answer(environ, start_response)
        return self.application(environ, start_response)


def init_assets(app: Flask, headers: dict[str, str]) -> None:
    """Serve the static folders from :class:`StaticFiles`, with ``headers`` (the security
    headers), and give their URLs fingerprinted names."""
    by_endpoint: dict[str, Folder] = {}
    by_prefix: dict[str, Folder] = {}
    for endpoint in ENDPOINTS:
        name = endpoint.rpartition(".")[0]
        scaffold = app.blueprints.get(name) if name else app
        if scaffold is None or not scaffold.static_folder:
            continue
        static = by_endpoint[endpoint] = folder(scaffold.static_folder)
        prefix = (
            app.static_url_path
            if not name
            else f"{scaffold.url_prefix or ''}{scaffold.static_url_path}"
        )
        by_prefix[f"{prefix.rstrip('/')}/"] = static
    if "static" in by_endpoint:
        for name, parts in BUNDLES.items():
            if all(endpoint in by_endpoint for endpoint, _file in parts):
                by_endpoint["static"].bundles[name] = tuple(
                    (by_endpoint[endpoint], file) for endpoint, file in parts
                )
    app.wsgi_app = StaticFiles(app.wsgi_app, by_prefix, headers)

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        static = by_endpoint.get(endpoint)
        if static is not None and "filename" in values:
            values["filename"] = static.fingerprinted(values["filename"])
