"""eTwinning School Network: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from app.config import DEFAULT_SECRET_KEY, Config


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    configure_logging(app)
    return app


def configure(app: Flask, config: type | dict | None) -> None:
    """Defaults, then ``instance/config.py``, then ``FLASK_*`` variables (or a test override)."""
    app.config.from_object(Config)
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    elif isinstance(config, dict):
        app.config.update(config)
    else:
        app.config.from_object(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        database = Path(app.instance_path) / "etwinning.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if app.config.get("ENV") == "production":
        secret = app.config.get("SECRET_KEY") or ""
        if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
            raise RuntimeError("Set FLASK_SECRET_KEY to a random value of at least 32 characters.")
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def register_extensions(app: Flask) -> None:
    from app import (
        activity_facts,
        models,  # noqa: F401 - registers the tables with the metadata
    )
    from app.auth_session import load_user
    from app.database import lock_before_writing
    from app.extensions import babel, bootstrap, cache, csrf, db, login_manager, migrate
    from app.i18n import reject_unknown_lang, select_locale
    from app.safety import reject_nul_characters
    from app.security import init_security

    db.init_app(app)
    activity_facts.register()
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    bootstrap.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    init_security(app)
    app.before_request(reject_nul_characters)
    app.before_request(reject_unknown_lang)
    app.before_request(lock_before_writing)


def register_blueprints(app: Flask) -> None:
    from app.safety import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter
    from app.api import init_api
    from app.blueprints.account import bp as account_bp
    from app.blueprints.activities import bp as activities_bp
    from app.blueprints.admin import bp as admin_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.dashboards import bp as dashboards_bp
    from app.blueprints.errors import bp as errors_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.mentoring import bp as mentoring_bp
    from app.blueprints.schools import bp as schools_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(schools_bp)
    app.register_blueprint(activities_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(errors_bp)
    init_api(app)


def register_errorhandlers(app: Flask) -> None:
    from app.blueprints.errors.handlers import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
