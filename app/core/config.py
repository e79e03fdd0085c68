"""Configuration defaults. ``create_app`` layers ``instance/config.py`` and
``FLASK_*`` environment variables on top of these."""

from __future__ import annotations

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

    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port headers
    # are believed (werkzeug ProxyFix); 0 ignores them. One nginx in front: 1.
    PROXY_COUNT = 0

    # Rate limits (Flask-Limiter); memory:// by default, redis://127.0.0.1:6379 in production.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    AUTH_RATE_LIMIT = "10 per minute;60 per hour"
    # Per API token (or per address without one).
    API_RATE_LIMIT = "300 per minute"

    # E-mail: "console" prints messages, "file" writes them to MAIL_FILE_DIR, "smtp" sends.
    MAIL_BACKEND = "console"
    MAIL_DEFAULT_SENDER = "eTwinning School Network <no-reply@etwinning-network.example>"
    MAIL_FILE_DIR: str | None = None
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None

    PASSWORD_RESET_MINUTES = 60
    # Coordinators and admins must use a second factor (on by default in production).
    REQUIRE_STAFF_MFA: bool | None = None

    PER_PAGE = 20
    # Matching: weights of the fit (app/mentoring/matching/fit.py), and the days a mentor
    # has to answer a proposal before it expires and the request is matched again.
    MATCHING_WEIGHTS: dict = {}
    MATCHING_PROPOSAL_DAYS = 14
    # Rendered public feeds are cached (Flask-Caching): per process by default,
    # CACHE_TYPE = "RedisCache" with CACHE_REDIS_URL to share one cache between workers.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 100  # entries per process; a country's feed is a few hundred kB
    # Uploads (the CSV import) are refused above this size with a 413.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Countries the demo data and the default region load cover.
    DEMO_COUNTRIES = ("TR", "RO", "NO", "NL", "BE")
    # Production hardening is switched on by ENV = "production".
    ENV = "development"


class TestConfig(Config):
    TESTING = True
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True  # on purpose: tests see every write at once
    SECRET_KEY = "test-secret-key-long-enough-for-tests"  # noqa: S105
    WTF_CSRF_ENABLED = False
    SERVER_NAME = "localhost"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
