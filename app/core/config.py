"""Configuration defaults. ``create_app`` layers ``instance/config.py`` and
``FLASK_*`` environment variables on top of these."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.core.links import public_origin

DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # None means "SQLite in the instance folder", resolved by create_app.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = "../translations"

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_STYLE = "primary"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    # The site's public address, e.g. "https://network.example.org": every absolute link
    # (e-mails, calendar feeds, the API's next links and Location headers) is built on it.
    # Required in production; in development, links follow the request's host without it.
    PUBLIC_URL: str | None = None
    # Host names the app answers (werkzeug checks Host and X-Forwarded-Host); others get
    # 400. None: any host in development; in production the host of PUBLIC_URL.
    TRUSTED_HOSTS: list[str] | None = None

    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port headers
    # are believed (werkzeug ProxyFix); 0 ignores them. One nginx in front: 1.
    PROXY_COUNT = 0

    # Rate limits (Flask-Limiter); memory:// by default, redis://127.0.0.1:6379 in production.
    # memory:// counts in each worker process: production refuses it unless the site runs
    # one worker process and says so with RATELIMIT_SINGLE_WORKER = True.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_SINGLE_WORKER = False
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    AUTH_RATE_LIMIT = "10 per minute;60 per hour"
    # Per API user (whichever of their tokens), or per address without a valid token.
    API_RATE_LIMIT = "300 per minute"
    # Public pages, per client address and family: reading them is cheap for a person and
    # adds up for a scraper. A family shares one budget over its pages.
    CALENDAR_RATE_LIMIT = "300 per minute"  # calendars of a country or region, month views
    DIRECTORY_RATE_LIMIT = "300 per minute"  # the ambassador directory
    SEARCH_RATE_LIMIT = "120 per minute"  # the school search
    FEED_RATE_LIMIT = "60 per minute"  # iCalendar feeds (clients poll every few minutes)
    EXPORT_RATE_LIMIT = "20 per minute;200 per hour"  # CSV and Excel downloads (large)
    REGISTRATION_RATE_LIMIT = "10 per minute;60 per hour"  # registering for an activity
    CERTIFICATE_RATE_LIMIT = "30 per minute;300 per hour"  # checking a certificate's code

    # E-mail: "console" prints messages, "file" writes them to MAIL_FILE_DIR, "smtp" sends.
    MAIL_BACKEND = "console"
    MAIL_DEFAULT_SENDER = "eTwinning School Network <no-reply@etwinning-network.example>"
    MAIL_FILE_DIR: str | None = None
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None

    # Where to report a vulnerability, served as /.well-known/security.txt (RFC 9116): an
    # address, a mailto: or https:// URI, or a list of them. None: no security.txt (404).
    SECURITY_CONTACT: str | list[str] | None = None
    SECURITY_POLICY_URL: str | None = None  # the disclosure policy, when published
    # The file's Expires: this ISO date, else this many days after the day it is served.
    SECURITY_TXT_EXPIRES: str | None = None
    SECURITY_TXT_DAYS = 180

    # The outbox (app/core/outbox.py): attempts before a message is marked failed, the
    # first pause after a failure (doubled after each further one), and how long a worker's
    # claim on a message holds before another may take it over (longer than an SMTP send).
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_SECONDS = 30
    MAIL_CLAIM_SECONDS = 300
    # Jobs (app/jobs): a job running longer than this is taken to have lost its worker and
    # may be claimed again.
    JOBS_CLAIM_SECONDS = 1800
    # A calendar export of more rows than this runs as a job with a progress page.
    JOBS_EXPORT_INLINE_ROWS = 5000

    # Background jobs (app/core/jobs.py): the broker, e.g. "redis://127.0.0.1:6379/1".
    # None runs every task in-process right after the commit (development, tests).
    CELERY_BROKER_URL: str | None = None
    # Seconds a task taken by a worker may stay unacknowledged before Redis gives it to
    # another worker (acks_late): longer than the longest task.
    CELERY_VISIBILITY_TIMEOUT = 3600

    PASSWORD_RESET_MINUTES = 60
    # Two-step sign-in: the code step of a sign-in waits this long after the password;
    # this many wrong codes in a row lock the account's codes for that many minutes.
    TOTP_PENDING_SECONDS = 300
    TOTP_MAX_FAILURES = 5
    TOTP_LOCK_MINUTES = 15
    # Coordinators and admins must use a second factor (on by default in production).
    REQUIRE_STAFF_MFA: bool | None = None

    # The key of the certificates' verification codes (app/certificates/codes.py); None
    # uses SECRET_KEY. Set it to keep the codes already printed checking when SECRET_KEY
    # changes.
    CERTIFICATE_KEY: str | None = None

    PER_PAGE = 20
    # Matching: weights of the fit (app/mentoring/matching/fit.py), and the days a mentor
    # has to answer a proposal before it expires and the request is matched again.
    MATCHING_WEIGHTS: dict = {}
    MATCHING_PROPOSAL_DAYS = 14
    # Registrants' names and addresses are anonymised this many days after their activity
    # ends (the counts and the schools stay).
    REGISTRATION_RETENTION_DAYS = 365
    # Rendered public feeds are cached (Flask-Caching): per process by default,
    # CACHE_TYPE = "RedisCache" with CACHE_REDIS_URL to share one cache between workers.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 100  # entries per process; a country's feed is a few hundred kB
    # Compiled templates kept on disk (``TEMPLATE_BYTECODE_DIR``, else instance/templates-compiled).
    TEMPLATE_BYTECODE_CACHE = True
    # Request bodies are refused above this size with a 413; the CSV import of schools
    # (a job) takes files up to IMPORT_MAX_CONTENT_LENGTH (100,000 schools are ~10 MB).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    IMPORT_MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    # Countries the demo data and the default region load cover.
    DEMO_COUNTRIES = ("TR", "RO", "NO", "NL", "BE")
    # Production hardening is switched on by ENV = "production".
    ENV = "development"


def harden_for_production(config: dict) -> None:
    """Refuse to start on settings unsafe in production; switch on what must be on there."""
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        raise RuntimeError("Set FLASK_SECRET_KEY to a random value of at least 32 characters.")
    origin = public_origin(config.get("PUBLIC_URL"))
    if origin is None or origin[0] != "https":
        raise RuntimeError(
            "Set FLASK_PUBLIC_URL to the site's https:// address (e.g. https://network.example.org):"
            " links in e-mails and feeds are built on it, never on the request's host."
        )
    storage = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if (
        config.get("RATELIMIT_ENABLED", True)
        and storage.startswith("memory://")
        and not config.get("RATELIMIT_SINGLE_WORKER")
    ):
        raise RuntimeError(
            "Set FLASK_RATELIMIT_STORAGE_URI to a shared store (redis://…): memory:// counts in"
            " each worker process, so every limit would be multiplied by the number of workers."
            " A site of one worker process says so with FLASK_RATELIMIT_SINGLE_WORKER=true."
        )
    if config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [urlsplit(config["PUBLIC_URL"].strip()).hostname]
    config["SESSION_COOKIE_SECURE"] = True
    config["REMEMBER_COOKIE_SECURE"] = True


class TestConfig(Config):
    TESTING = True
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True  # on purpose: tests see every write at once
    SECRET_KEY = "test-secret-key-long-enough-for-tests"  # noqa: S105
    WTF_CSRF_ENABLED = False
    SERVER_NAME = "localhost"
    SECURITY_CONTACT = "security@etwinning-network.example"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
