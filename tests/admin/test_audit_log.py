"""The audit log's page: actions by name, links to objects, filters, errors beside them."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.admin.audit_log import ACTION_LABELS
from app.core.models import AuditEntry
from tests.principals import sign_in


@pytest.fixture
def entries(make, db_session):
    ana = make.user("ana.actor@example.org", name="Ana Actor")
    bo = make.user("bo.other@example.org", name="Bo Other")
    rows = [  # action, actor, country, object, month, outcome
        ("school.verify", ana, "TR", ("school", "41"), 3, "success"),
        ("activity.create", bo, "RO", ("activity", "7"), 5, "success"),
        ("account.login", bo, None, (None, None), 6, "failure"),
    ]
    for action, actor, country, (kind, key), month, outcome in rows:
        db_session.add(
            AuditEntry(
                action=action,
                actor_id=actor.id,
                country_code=country,
                object_type=kind,
                object_id=key,
                outcome=outcome,
                at=datetime(2026, month, 10, 9, tzinfo=UTC),
                ip="10.1.2.3" if kind == "school" else None,
            )
        )
    db_session.commit()


@pytest.fixture
def admin_client(app, make, db_session):
    client = app.test_client()
    sign_in(client, db_session, make.user("root@example.org", role="admin").id)
    return client


def _rows(response) -> str:
    return response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]


def test_actions_and_outcomes_are_named_and_objects_linked(admin_client, entries):
    body = _rows(admin_client.get("/admin/audit"))

    assert "School verified" in body
    assert "school.verify" not in body
    assert "Failed" in body
    assert "failure" not in body
    assert 'href="/schools/41"' in body
    assert 'href="/activities/7"' in body
    assert "10.1.2.3" in body


@pytest.mark.parametrize(
    ("query", "kept", "dropped"),
    [
        ("action=school.verify", "School verified", ("Activity planned", "Signed in")),
        ("actor=bo.OTHER", "Activity planned", ("School verified",)),
        ("actor=ana+act", "School verified", ("Activity planned", "Signed in")),
        (
            "date_from=2026-05-10&date_to=2026-05-10",
            "Activity planned",
            ("School verified", "Signed in"),
        ),
        ("date_from=2026-05-11", "Signed in", ("School verified", "Activity planned")),
        ("country=TR", "School verified", ("Activity planned", "Signed in")),
    ],
)
def test_each_filter_narrows_the_list(admin_client, entries, query, kept, dropped):
    response = admin_client.get(f"/admin/audit?{query}")

    assert response.status_code == 200
    body = _rows(response)
    assert kept in body
    for other in dropped:
        assert other not in body


def test_a_filter_that_matches_nothing_says_so(admin_client, entries):
    body = admin_client.get("/admin/audit?actor=nobody").get_data(as_text=True)

    assert "No entry matches these filters." in body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2026-05-10&date_to=2026-05-01", "date_to"),
        ("date_from=yesterday", "date_from"),
        ("action=school.burn", "action"),
        ("country=XX", "country"),
        ("actor=" + "a" * 300, "actor"),
    ],
)
def test_bad_filters_answer_400_with_the_page_and_a_localised_error(
    admin_client, entries, query, field
):
    response = admin_client.get(f"/admin/audit?{query}", headers={"Accept-Language": "nl"})

    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="{field}-error"' in body
    assert 'id="audit-filters"' in body
    assert "School geverifieerd" in body  # the list is still there, named in Dutch


def test_a_reversed_range_is_explained_in_dutch(app, make, db_session, entries):
    client = app.test_client()
    user = make.user("nl.root@example.org", role="admin", locale="nl")
    sign_in(client, db_session, user.id)

    body = client.get("/admin/audit?date_from=2026-05-10&date_to=2026-05-01").get_data(as_text=True)

    assert "The end of the period must not be before its start." not in body
    assert "Het einde van de periode" in body


def test_coordinators_see_their_countries_without_addresses(app, make, db_session, entries):
    client = app.test_client()
    coordinator = make.user("c.tr@example.org", role="coordinator", countries=("TR",))
    sign_in(client, db_session, coordinator.id)

    response = client.get("/admin/audit")
    body = response.get_data(as_text=True)

    assert "School verified" in _rows(response)
    assert "Activity planned" not in _rows(response)
    assert "10.1.2.3" not in body
    assert "IP address" not in body
    assert client.get("/admin/audit?country=RO").status_code == 400


@pytest.mark.parametrize("language", ["nl", "tr", "nb", "ro"])
def test_every_action_name_is_translated(app, language):
    with open(f"translations/{language}/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    for label in ACTION_LABELS.values():
        message = catalog.get(label._args[0])
        assert message is not None, label._args[0]
        assert message.string, (language, label._args[0])


def _recorded_actions() -> set[str]:
    """The actions the code records by a literal name (``audit.record`` and the ``_record``
    helpers of each feature)."""
    found = set()
    for path in Path("app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and getattr(node.func, "attr", getattr(node.func, "id", None))
                in {"record", "_record"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and "." in str(node.args[0].value)
            ):
                found.add(node.args[0].value)
    return found


def test_every_recorded_action_has_a_name():
    recorded = _recorded_actions()

    assert len(recorded) > 40
    assert recorded - set(ACTION_LABELS) == set()
