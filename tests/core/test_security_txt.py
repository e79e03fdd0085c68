"""``/.well-known/security.txt`` (RFC 9116) from the deployment's SECURITY_CONTACT."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest


def _fields(response) -> list[tuple[str, str]]:
    """The file's fields in order, as RFC 9116 section 4 writes them ("Name: value")."""
    fields = []
    for line in response.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, _colon, value = line.partition(": ")
            fields.append((name, value))
    return fields


@pytest.fixture
def settings(app):
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def test_security_txt_names_the_contact_and_expires_within_a_year(client, settings):
    settings["PUBLIC_URL"] = "https://network.example.org"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.mimetype_params["charset"] == "utf-8"
    fields = _fields(response)
    names = [name for name, _value in fields]
    assert names.count("Expires") == 1  # RFC 9116: exactly once
    values = dict(fields)
    assert values["Contact"] == "mailto:security@etwinning-network.example"
    expires = datetime.strptime(values["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now < expires < now + timedelta(days=365)  # "less than a year into the future"
    assert values["Canonical"] == "https://network.example.org/.well-known/security.txt"
    assert values["Preferred-Languages"] == "en, nl, tr, nb, ro"


def test_several_contacts_a_policy_and_a_fixed_expiry(client, settings):
    next_year = date.today().year + 1
    settings["SECURITY_CONTACT"] = ["https://example.org/report", "cert@example.org"]
    settings["SECURITY_POLICY_URL"] = "https://example.org/disclosure"
    settings["SECURITY_TXT_EXPIRES"] = f"{next_year}-03-31"

    fields = _fields(client.get("/.well-known/security.txt"))

    assert [value for name, value in fields if name == "Contact"] == [
        "https://example.org/report",
        "mailto:cert@example.org",
    ]
    assert ("Expires", f"{next_year}-03-31T23:59:59Z") in fields
    assert ("Policy", "https://example.org/disclosure") in fields


def test_without_a_contact_there_is_no_security_txt(client, settings):
    settings["SECURITY_CONTACT"] = None
    assert client.get("/.well-known/security.txt").status_code == 404
