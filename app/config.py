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

    LANGUAGES = ("en", "nl", "tr", "nb", "ro")
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

    PER_PAGE = 20
    # Countries the demo data and the default region load cover.
    DEMO_COUNTRIES = ("TR", "RO", "NO", "NL", "BE")
    # Production hardening is switched on by ENV = "production".
    ENV = "development"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-long-enough-for-tests"  # noqa: S105
    WTF_CSRF_ENABLED = False
    SERVER_NAME = "localhost"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
