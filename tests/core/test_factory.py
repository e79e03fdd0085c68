"""The application factory and its configuration layers."""

import pytest

from app import create_app
from app.core.config import DEFAULT_SECRET_KEY, TestConfig


def test_testing_config_is_applied():
    assert not create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing
    assert create_app(TestConfig).testing


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    app = create_app({})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/etwinning.sqlite")


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("FLASK_PER_PAGE", "7")
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app()
    assert app.config["PER_PAGE"] == 7


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_a_default_or_short_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": secret})


def test_production_sets_secure_cookies():
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 40,
            "PUBLIC_URL": "https://network.example.org",
            "RATELIMIT_SINGLE_WORKER": True,
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
