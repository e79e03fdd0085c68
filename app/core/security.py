"""HTTP security: headers on every response, rate limits, caching of anonymous pages only."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core.extensions import limiter

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_security(app: Flask) -> None:
    trust_proxies(app)
    # Registered before Talisman's, so it runs after it (after_request runs in reverse).
    app.after_request(_no_referrer_from_secret_links)
    production = app.config.get("ENV") == "production"
    # One Talisman per app: it keeps its settings on the instance.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=production,
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        session_cookie_secure=production,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    limiter.init_app(app)
    app.after_request(_cache_headers)


def static_headers(app: Flask) -> dict[str, str]:
    """The security headers of a static file (served before the application, so without
    Talisman): nothing in it may run a script, be framed or load anything but styles,
    images and fonts of the site."""
    headers = {
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if app.config.get("ENV") == "production":
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def secret_link(view):
    """A page whose address is its key (a registration's signed link): browsers never send
    the address on, not even to our own pages, as the referrer."""
    view.secret_link = True
    return view


def _no_referrer_from_secret_links(response):
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, "secret_link", False):
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def wait_message() -> str:
    # Flask-Limiter's own message is the limit in English ("3 per 1 minute").
    return _("Please wait a moment before you try again.")


#: The families of public pages with a budget of their own, each set by ``<FAMILY>_RATE_LIMIT``.
PAGE_FAMILIES = ("calendar", "directory", "search", "feed", "export")


def page_family(name: str):
    """Decorator: the view counts against the budget of its family of public pages, per
    client address (one budget for all the family's pages, not one per page)."""
    if name not in PAGE_FAMILIES:
        raise ValueError(f"no rate limit family {name!r}")
    setting = f"{name.upper()}_RATE_LIMIT"
    return limiter.shared_limit(
        lambda: current_app.config[setting], scope=name, error_message=wait_message
    )


def _cache_headers(response):
    """Signed-in pages are never stored. An anonymous page or API answer carries an ETag
    (a digest of its body) and may be stored, but is checked again before each use
    (``no-cache``), so a browser or proxy that holds it gets a 304 without the body and
    never a stale page; one with a form (its CSRF token belongs to one visitor's session)
    is kept by the browser only."""
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")  # beside Accept-Encoding and Accept-Language
        return response
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or "Cache-Control" in response.headers
        or response.is_streamed
        or response.direct_passthrough
    ):
        return response
    private = "csrf_token" in g or session.modified
    response.headers["Cache-Control"] = "private, no-cache" if private else "no-cache"
    response.vary.add("Accept-Language")
    response.add_etag()
    return response.make_conditional(request)


def trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_COUNT`` reverse proxies, believe their ``X-Forwarded-*`` headers.

    The client's address (rate limits, audit log), the scheme (secure cookies, the
    redirect to HTTPS) and the host (links in e-mails and feeds) then come from the
    proxy. Left at 0, the headers are ignored: anyone could forge them.
    """
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )
