"""eTwinning School Network: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from app.core.assets import init_assets
from app.core.config import Config, harden_for_production
from app.core.links import public_origin
from app.core.security import static_headers
from app.core.transaction import Application


def create_app(config: type | dict | None = None) -> Flask:
    app = Application(
        __name__,
        instance_relative_config=True,
        template_folder="core/templates",
        static_folder="core/static",
    )
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    init_assets(app, static_headers(app))
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_jobs(app)
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
    public_origin(app.config.get("PUBLIC_URL"))  # a malformed address stops the start
    if app.config.get("ENV") == "production":
        harden_for_production(app.config)


def register_extensions(app: Flask) -> None:
    from app.accounts.session import load_user
    from app.activities import versioning
    from app.core.compression import init_compression
    from app.core.database import lock_before_writing
    from app.core.extensions import babel, bootstrap, cache, csrf, db, login_manager, migrate
    from app.core.i18n import reject_unknown_lang, select_locale
    from app.core.safety import apply_upload_limit, reject_nul_characters
    from app.core.security import init_security
    from app.dashboards import facts, freshness

    import_models()
    db.init_app(app)
    versioning.register()
    facts.register()
    freshness.register()
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(apply_upload_limit)  # before CSRF checking reads the body
    csrf.init_app(app)
    bootstrap.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    init_security(app)
    init_compression(app)  # after_request runs in reverse: compressed before the ETag is taken
    register_mail_policy(app)
    app.before_request(reject_nul_characters)
    app.before_request(reject_unknown_lang)
    app.before_request(lock_before_writing)


def register_mail_policy(app: Flask) -> None:
    """Updates mailed by ``app.core.notify`` carry an unsubscribe link and respect it."""
    from app.core.notify import MAIL_POLICY
    from app.notifications.operations import update_headers

    app.extensions[MAIL_POLICY] = update_headers


def import_models() -> None:
    """Register every feature's tables with the metadata (the mapper and Alembic need all)."""
    from app.accounts import models as _accounts  # noqa: F401
    from app.activities import models as _activities  # noqa: F401
    from app.core import models as _core  # noqa: F401
    from app.dashboards import models as _dashboards  # noqa: F401
    from app.geography import models as _geography  # noqa: F401
    from app.jobs import models as _jobs  # noqa: F401
    from app.mentoring import models as _mentoring  # noqa: F401
    from app.mission import models as _mission  # noqa: F401
    from app.notifications import models as _notifications  # noqa: F401
    from app.registrations import models as _registrations  # noqa: F401
    from app.schools import models as _schools  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from app.accounts import bearer
    from app.accounts.views import account_bp, auth_bp
    from app.activities.views import bp as activities_bp
    from app.admin.views import bp as admin_bp
    from app.certificates.views import bp as certificates_bp
    from app.core.api import init_api
    from app.core.disclosure import bp as disclosure_bp
    from app.core.health import bp as health_bp
    from app.core.safety import BoundedIntegerConverter
    from app.dashboards.views import bp as dashboards_bp
    from app.dashboards.views import open_data_bp
    from app.home.views import bp as home_bp
    from app.jobs.views import bp as jobs_bp
    from app.mentoring.views import bp as mentoring_bp
    from app.mission.views import bp as mission_bp
    from app.notifications.views import bp as notifications_bp
    from app.registrations.views import bp as registrations_bp
    from app.schools.views import bp as schools_bp

    app.url_map.converters["int"] = BoundedIntegerConverter
    for blueprint in (
        health_bp,
        disclosure_bp,
        home_bp,
        mission_bp,
        auth_bp,
        account_bp,
        admin_bp,
        schools_bp,
        activities_bp,
        mentoring_bp,
        dashboards_bp,
        notifications_bp,
        registrations_bp,
        certificates_bp,
        open_data_bp,
        jobs_bp,
    ):
        app.register_blueprint(blueprint)
    register_api_handlers()
    init_api(app, authenticate=bearer.authenticate, identify=bearer.identify)


def register_api_handlers() -> None:
    """Each feature's API module adds its handlers to the API blueprint when imported."""
    from app.activities import api as _activities  # noqa: F401
    from app.core.api import docs as _docs  # noqa: F401 - last: it documents all of them
    from app.dashboards import api as _dashboards  # noqa: F401
    from app.geography import api as _geography  # noqa: F401
    from app.mentoring.api import matches as _matches  # noqa: F401
    from app.mentoring.api import mentors as _mentors  # noqa: F401
    from app.mission import api as _mission  # noqa: F401
    from app.registrations import api as _registrations  # noqa: F401
    from app.schools import api as _schools  # noqa: F401


def register_errorhandlers(app: Flask) -> None:
    from app.core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app import policy
    from app.core.templating import register

    register(app)
    app.jinja_env.globals["policy"] = policy


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_jobs(app: Flask) -> None:
    """Celery bound to this app, its tasks and the periodic schedule (app/schedule.py)."""
    from app.core import outbox as _outbox  # noqa: F401 - registers the mail task
    from app.core.jobs import init_jobs
    from app.jobs import operations as _jobs  # noqa: F401 - registers the job task
    from app.schedule import SCHEDULE

    init_jobs(app, SCHEDULE)


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
