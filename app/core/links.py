"""Absolute links come from the configured public address, never from the request.

A link in an e-mail, a calendar feed, an API ``next`` or ``Location`` is built with
``url_for(..., _external=True)``. By default Flask takes its host from the request
(``Host``, or ``X-Forwarded-Host`` behind a proxy), which anyone can set: a password
reset asked for with ``Host: evil.example`` would mail a link to evil.example. With
``PUBLIC_URL`` set (required in production), every URL adapter of the application,
in a request or outside one, builds absolute links on that scheme and host; the
request's host only decides nothing. In development without ``PUBLIC_URL`` links
follow the request's host, as a development server on any address expects.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter


class PublicUrlError(RuntimeError):
    """``PUBLIC_URL`` is not an origin such as ``https://network.example.org``."""


def public_origin(value: str | None) -> tuple[str, str] | None:
    """``(scheme, host[:port])`` of ``PUBLIC_URL``, None when unset; refuses anything but
    an http(s) origin (a path, query or fragment would be silently dropped)."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise PublicUrlError(
            f"PUBLIC_URL must be the site's address such as https://network.example.org,"
            f" without a path: {value!r}"
        )
    return parts.scheme, parts.netloc.lower()


def link_base() -> str:
    """Where absolute links of this request point: ``PUBLIC_URL`` or, without it
    (development only), the request's own host. Caches of pages holding links key on it."""
    from flask import current_app

    origin = public_origin(current_app.config.get("PUBLIC_URL"))
    return f"{origin[0]}://{origin[1]}" if origin else request.host_url.rstrip("/")


class PublicLinks(Flask):
    """A Flask whose URL adapters build absolute links on ``PUBLIC_URL`` when it is set."""

    def create_url_adapter(self, request) -> MapAdapter | None:
        origin = public_origin(self.config.get("PUBLIC_URL"))
        try:
            adapter = super().create_url_adapter(request)
        except HTTPException as error:
            if origin is None or request is None:
                raise
            # A host outside TRUSTED_HOSTS: the request is answered with this 400, and
            # the error page still needs an adapter to build its links.
            request.routing_exception = error
            adapter = self.url_map.bind(
                origin[1],
                script_name=request.root_path or None,
                url_scheme=origin[0],
                path_info=request.path,
                default_method=request.method,
            )
        if origin is None:
            return adapter
        scheme, host = origin
        if adapter is None:  # outside a request, without SERVER_NAME
            return self.url_map.bind(
                host, script_name=self.config["APPLICATION_ROOT"], url_scheme=scheme
            )
        # Matching a request uses only its path (no host or subdomain matching here);
        # building an absolute link or a redirect of the router uses these two.
        adapter.server_name, adapter.url_scheme = host, scheme
        return adapter
