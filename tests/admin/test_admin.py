"""Administration: roles and deactivation, the audit log by country, finding users, paging."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEntry
from tests.principals import sign_in

USER_LINK = re.compile(r'href="/admin/users/(\d+)"')
NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')


@pytest.fixture
def admin(make, db_session, client):
    user = make.user("root.admin@example.org", name="Root Admin", role="admin")
    sign_in(client, db_session, user.id)
    return user.id


def _listed(response) -> list[int]:
    return [int(user_id) for user_id in USER_LINK.findall(response.get_data(as_text=True))]


def _roles_entries(session, user_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(action="admin.user_roles", object_id=str(user_id))
    return list(session.scalars(query))


# Roles and deactivation ------------------------------------------------------------------


def test_an_admin_changes_coordinator_countries_and_deactivates_with_an_audit_entry(
    client, make, db_session, admin
):
    person = make.user(
        "ana.coord@example.org", name="Ana Coord", role="coordinator", countries=("TR",)
    )
    person_id, version = person.id, person.session_version

    response = client.post(
        f"/admin/users/{person_id}", data={"name": "Ana Coord", "countries": ["RO", "NL"]}
    )

    assert response.status_code == 302
    person = db_session.get(User, person_id)
    assert person.country_codes == {"RO", "NL"}
    assert person.active is False
    assert person.session_version > version
    [entry] = _roles_entries(db_session, person_id)
    assert entry.actor_id == admin
    assert entry.details["before"] == {"active": True, "is_admin": False, "countries": ["TR"]}
    assert entry.details["after"] == {"active": False, "is_admin": False, "countries": ["NL", "RO"]}


def test_saving_without_changes_records_nothing(client, make, db_session, admin):
    person = make.user("steady@example.org", name="Steady", role="coordinator", countries=("TR",))
    person_id = person.id

    response = client.post(
        f"/admin/users/{person_id}", data={"name": "Steady", "active": "y", "countries": ["TR"]}
    )

    assert response.status_code == 302
    assert _roles_entries(db_session, person_id) == []


def test_an_admin_cannot_deactivate_or_demote_themselves(client, db_session, admin):
    response = client.post(f"/admin/users/{admin}", data={"name": "Root Admin"})

    assert response.status_code == 302
    me = db_session.get(User, admin)
    assert me.active is True
    assert me.is_admin is True
    assert _roles_entries(db_session, admin) == []
    follow = client.get(f"/admin/users/{admin}")
    assert follow.status_code == 200
    assert "You cannot remove your own administrator rights" in follow.get_data(as_text=True)


def test_only_admins_manage_users(app, make, db_session):
    coordinator = make.user("coord.users@example.org", role="coordinator", countries=("TR",))
    target_id = make.user("target@example.org", name="Target").id
    client = app.test_client()
    sign_in(client, db_session, coordinator.id)

    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{target_id}", data={"name": "Hacked"}).status_code == 403
    assert db_session.get(User, target_id).name == "Target"


# The audit log ---------------------------------------------------------------------------


def test_a_coordinator_sees_only_the_audit_entries_of_their_countries(app, make, db_session):
    db_session.add_all(
        [
            AuditEntry(action="school.verified_tr", country_code="TR"),
            AuditEntry(action="school.verified_ro", country_code="RO"),
            AuditEntry(action="account.nowhere"),
        ]
    )
    db_session.commit()
    coordinator_id = make.user("coord.audit@example.org", role="coordinator", countries=("TR",)).id
    admin_id = make.user("admin.audit@example.org", role="admin").id

    coordinator_client = app.test_client()
    sign_in(coordinator_client, db_session, coordinator_id)
    seen = coordinator_client.get("/admin/audit").get_data(as_text=True)
    admin_client = app.test_client()
    sign_in(admin_client, db_session, admin_id)
    everything = admin_client.get("/admin/audit").get_data(as_text=True)

    assert "school.verified_tr" in seen
    assert "school.verified_ro" not in seen
    assert "account.nowhere" not in seen
    for action in ("school.verified_tr", "school.verified_ro", "account.nowhere"):
        assert action in everything


def test_members_cannot_read_the_audit_log(client, make, db_session):
    sign_in(client, db_session, make.user("curious@example.org").id)

    assert client.get("/admin/audit").status_code == 403


# Finding users ---------------------------------------------------------------------------


@pytest.fixture
def people(make) -> dict[str, int]:
    return {
        "marta": make.user("m.kowalska@example.org", name="Marta Kowalska").id,
        "jan": make.user("jan.jansen@example.org", name="Jan Jansen").id,
        "ayse": make.user("ayse.yilmaz@example.org", name="Ayşe Yılmaz").id,
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("kowalska", {"marta"}),  # part of the address
        ("M.KOWALSKA@EXAMPLE", {"marta"}),  # addresses ignore case
        ("Marta", {"marta"}),  # part of the name only
        ("marta", {"marta"}),  # names ignore case too
        ("MARTA KOW", {"marta"}),
        ("Ayşe", {"ayse"}),
        ("example.org", {"marta", "jan", "ayse"}),
        ("nobody-by-this-name", set()),
    ],
)
def test_user_search_matches_address_or_name(client, admin, people, query, found):
    response = client.get("/admin/users", query_string={"q": query})

    assert response.status_code == 200
    listed = set(_listed(response))
    assert {name for name, user_id in people.items() if user_id in listed} == found


def test_user_search_treats_wildcards_literally(client, admin, people):
    for query in ("%", "_"):
        response = client.get("/admin/users", query_string={"q": query})
        assert _listed(response) == [], query


def test_an_empty_search_says_so(client, admin):
    response = client.get("/admin/users", query_string={"q": "nobody-by-this-name"})

    assert "No user matches this search." in response.get_data(as_text=True)


# Paging ----------------------------------------------------------------------------------


def test_the_user_list_pages_by_keyset(client, make, db_session, admin):
    created = [make.user(f"page.{n:02d}@example.org", name=f"Page {n:02d}").id for n in range(60)]
    everyone = set(db_session.scalars(select(User.id)))
    assert len(everyone) == 61

    first = client.get("/admin/users")
    first_ids = _listed(first)
    assert first.status_code == 200
    assert len(first_ids) == 50
    assert first_ids == sorted(first_ids)
    next_link = NEXT_LINK.search(first.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert "after=" in next_link

    second = client.get(next_link)
    second_ids = _listed(second)
    assert second.status_code == 200
    assert len(second_ids) == 11
    assert NEXT_LINK.search(second.get_data(as_text=True)) is None
    assert set(first_ids) | set(second_ids) == everyone
    assert set(first_ids).isdisjoint(second_ids)
    assert set(created) <= everyone


def test_paging_keeps_the_search(client, make, admin):
    for n in range(55):
        make.user(f"keep.{n:02d}@example.org", name=f"Keep {n:02d}")
    make.user("other.person@example.org", name="Other Person")

    first = client.get("/admin/users", query_string={"q": "keep."})
    next_link = NEXT_LINK.search(first.get_data(as_text=True)).group(1).replace("&amp;", "&")
    second = client.get(next_link)

    assert "q=keep." in next_link
    assert len(_listed(first)) + len(_listed(second)) == 55


@pytest.mark.parametrize(
    "cursor", ["garbage", "!!!", "WzEsMl0", "eyJhIjoxfQ", "WyJ4IiwgbnVsbF0", "W3RydWVd", "WyJ4Il0"]
)
def test_a_garbage_cursor_is_a_400(client, admin, cursor):
    assert client.get("/admin/users", query_string={"after": cursor}).status_code == 400
