"""Recording, editing, cancelling and reporting activities through the web.

Times are typed as the school's local wall-clock time ("YYYY-MM-DDTHH:MM", what a
datetime-local input sends) and stored in UTC. Every refused form answers 422 with
the message beside the field and writes nothing.
"""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.activities.enums import ActivityStatus, Visibility
from app.activities.models import Activity, ActivityReach
from app.core.enums import Mode
from app.core.models import AuditEntry
from app.core.timezones import to_local
from tests import factories

NEXT_YEAR = datetime.now(UTC).year + 1
LAST_YEAR_ALLOWED = datetime.now(UTC).year + 5


# Helpers ---------------------------------------------------------------------


def form_data(**overrides) -> dict:
    """A valid activity form; ``starts_at``/``ends_at`` are local wall-clock times."""
    data = {
        "type": "open_day",
        "title": "Open day for neighbouring schools",
        "description": "Visit our classes.",
        "starts_at": f"{NEXT_YEAR}-07-01T10:00",
        "ends_at": f"{NEXT_YEAR}-07-01T12:00",
        "mode": "in_person",
        "location": "Main hall",
        "online_url": "",
        "visibility": "public",
        "pillars": ["models_for_other_schools"],
        "languages": ["en"],
        "audience": ["teachers"],
    }
    data.update(overrides)
    return data


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def activity_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Activity))


def audit_actions(db_session, activity_id: int | None = None) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.action.like("activity.%"))
    if activity_id is not None:
        query = query.where(AuditEntry.object_id == str(activity_id))
    return list(db_session.scalars(query.order_by(AuditEntry.id)))


def audit_entries(db_session, activity_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(
        AuditEntry.object_type == "activity", AuditEntry.object_id == str(activity_id)
    )
    return list(db_session.scalars(query.order_by(AuditEntry.id)))


def fresh(db_session, activity_id: int) -> Activity:
    """The activity as stored now (requests end their own sessions)."""
    db_session.expire_all()
    return db_session.get(Activity, activity_id)


_FIELD_START = re.compile(r'<div class="mb-3|<fieldset class="mb-3')
_FEEDBACK = re.compile(r'<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', re.S)


def field_errors(body: str, name: str) -> list[str]:
    """The error messages shown in the block of the form field called ``name``."""
    for block in _FIELD_START.split(body)[1:]:
        if f'name="{name}"' in block:
            return [html.unescape(text.strip()) for text in _FEEDBACK.findall(block)]
    raise AssertionError(f"no field {name!r} on the page")


def all_field_errors(body: str) -> list[str]:
    return [html.unescape(text.strip()) for text in _FEEDBACK.findall(body)]


class _FormReader(HTMLParser):
    """The values a browser would send from the activity form on a page."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, object] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "activity-form" in (attributes.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") != "submit":
            if attributes.get("type") in ("checkbox", "radio"):
                chosen = self.values.setdefault(name, [])
                if "checked" in attributes:
                    chosen.append(attributes.get("value"))
            else:
                self.values[name] = attributes.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value")
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            text = text.replace("\r\n", "\n")  # as a browser normalises line breaks
            self.values[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None


def form_values(body: str) -> dict:
    reader = _FormReader()
    reader.feed(body)
    assert reader.values, "no activity form on the page"
    return reader.values


def checked(body: str, name: str) -> set[str]:
    return set(form_values(body).get(name) or [])


def time_texts(body: str) -> dict[str, str]:
    """``<time datetime="...">text</time>`` elements: ISO value → text shown."""
    return {
        value: re.sub(r"<[^>]+>", " ", text)
        for value, text in re.findall(r'<time datetime="([^"]+)">(.*?)</time>', body, re.S)
    }


@pytest.fixture
def school(make):
    """A verified school in Türkiye with one member, signed in through ``login``."""
    return make.school("TR", name="Atatürk Anadolu Lisesi", city="İstanbul")


@pytest.fixture
def member(make, school):
    return make.member(school, email="teacher.a@example.org")


@pytest.fixture
def signed_in(client, auth, member, school, db_session):
    """The test client signed in as the school's member."""
    auth.login("teacher.a@example.org")
    db_session.add_all([school, member])  # the request ended the session they came from
    return client


def next_week() -> datetime:
    """A start time a form can show and send back unchanged (whole minutes)."""
    return (datetime.now(UTC) + timedelta(days=7)).replace(second=0, microsecond=0)


# Recording -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "zone", "wall", "expected_utc"),
    [
        ("NO", "Europe/Oslo", f"{NEXT_YEAR}-07-01T10:00", datetime(NEXT_YEAR, 7, 1, 8, 0)),
        ("NO", "Europe/Oslo", f"{NEXT_YEAR}-01-15T10:00", datetime(NEXT_YEAR, 1, 15, 9, 0)),
        ("RO", "Europe/Bucharest", f"{NEXT_YEAR}-07-01T10:00", datetime(NEXT_YEAR, 7, 1, 7, 0)),
        ("TR", "Europe/Istanbul", f"{NEXT_YEAR}-01-15T00:30", datetime(NEXT_YEAR, 1, 14, 21, 30)),
        ("NL", "Europe/Amsterdam", f"{NEXT_YEAR}-12-01T10:00", datetime(NEXT_YEAR, 12, 1, 9, 0)),
    ],
)
def test_recording_stores_utc_and_shows_the_school_time(
    client, auth, make, db_session, country, zone, wall, expected_utc
):
    school = make.school(country)
    school_id = school.id
    user = make.member(school, email=f"teacher.{country.lower()}@example.org")
    user_id = user.id
    auth.login(f"teacher.{country.lower()}@example.org")
    ends = (datetime.fromisoformat(wall) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        f"/schools/{school_id}/activities/new", data=form_data(starts_at=wall, ends_at=ends)
    )

    assert response.status_code == 302
    activity = db_session.scalars(select(Activity)).one()
    assert response.headers["Location"] == f"/activities/{activity.id}"
    utc = expected_utc.replace(tzinfo=UTC)
    assert activity.starts_at == utc
    assert activity.ends_at == utc + timedelta(hours=2)
    assert activity.timezone == zone
    assert activity.school_id == school_id
    assert activity.country_code == country
    assert activity.status is ActivityStatus.PLANNED
    assert activity.created_by_id == user_id
    assert activity.pillar_codes == ["models_for_other_schools"]
    assert [link.language for link in activity.languages] == ["en"]
    assert activity.audience == ["teachers"]
    activity_id = activity.id

    shown = client.get(f"/activities/{activity_id}", headers={"Accept-Language": "en"})
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200
    start_text = time_texts(body)[utc.isoformat()]
    local_start, local_end = datetime.fromisoformat(wall), to_local(utc + timedelta(hours=2), zone)
    shown_times = re.findall(r"\d\d:\d\d(?::\d\d)?", start_text)
    assert shown_times == [f"{local_start:%H:%M}", f"{local_end:%H:%M}"]  # 10:00 in Oslo, not 08:00
    assert f"({zone.split('/')[1]} Time)" in start_text  # the zone by its city, never its id
    assert zone not in body

    edit = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    values = form_values(edit)
    assert values["starts_at"] == wall
    assert values["ends_at"] == ends
    assert values["version"] == "1"


def test_the_record_form_says_times_are_local(signed_in, school):
    body = signed_in.get(f"/schools/{school.id}/activities/new").get_data(as_text=True)
    assert "Local time of the school (Europe/Istanbul)." in body


@pytest.mark.parametrize(
    ("country", "field", "starts_at", "ends_at", "message"),
    [
        (
            "NO",
            "starts_at",
            "2026-03-29T02:30",
            "2026-03-29T04:00",
            "This time does not exist: the clocks go forward then. Choose another time.",
        ),
        (
            "RO",
            "starts_at",
            "2026-03-29T03:00",
            "2026-03-29T05:00",
            "This time does not exist: the clocks go forward then. Choose another time.",
        ),
        (
            "NL",
            "ends_at",
            "2026-03-29T01:00",
            "2026-03-29T02:59",
            "This time does not exist: the clocks go forward then. Choose another time.",
        ),
        (
            "BE",
            "starts_at",
            "2026-10-25T02:30",
            "2026-10-25T05:00",
            "This time happens twice: the clocks go back then. Choose another time.",
        ),
        (
            "RO",
            "ends_at",
            "2026-10-25T01:00",
            "2026-10-25T03:15",
            "This time happens twice: the clocks go back then. Choose another time.",
        ),
        (
            "NO",
            "starts_at",
            "2026-10-25T02:00",
            "2026-10-25T04:00",
            "This time happens twice: the clocks go back then. Choose another time.",
        ),
    ],
    ids=["oslo-gap", "bucharest-gap", "amsterdam-gap-end", "brussels-overlap",
         "bucharest-overlap-end", "oslo-overlap"],
)  # fmt: skip
def test_a_nonexistent_or_ambiguous_local_time_is_refused_beside_its_field(
    client, auth, make, db_session, country, field, starts_at, ends_at, message
):
    school = make.school(country)
    school_id = school.id
    make.member(school, email="dst@example.org")
    auth.login("dst@example.org")

    response = client.post(
        f"/schools/{school_id}/activities/new",
        data=form_data(starts_at=starts_at, ends_at=ends_at),
    )

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert field_errors(body, field) == [message]
    other = "ends_at" if field == "starts_at" else "starts_at"
    assert field_errors(body, other) == []
    assert "Please correct the fields marked below." in body
    assert activity_count(db_session) == 0
    assert audit_actions(db_session) == []


def test_the_same_wall_times_are_fine_in_istanbul(signed_in, school, db_session):
    response = signed_in.post(
        f"/schools/{school.id}/activities/new",
        data=form_data(starts_at="2026-03-29T03:30", ends_at="2026-10-25T03:30"),
    )
    assert response.status_code == 302
    activity = db_session.scalars(select(Activity)).one()
    assert activity.starts_at == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert activity.ends_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_at": f"{NEXT_YEAR}-07-01T12:00", "ends_at": f"{NEXT_YEAR}-07-01T10:00"},
            "ends_at",
            "The end must not be before the start.",
        ),
        (
            {"starts_at": f"{NEXT_YEAR}-07-02T10:00", "ends_at": f"{NEXT_YEAR}-07-01T23:59"},
            "ends_at",
            "The end must not be before the start.",
        ),
        (
            {"starts_at": "1900-07-01T10:00", "ends_at": f"{NEXT_YEAR}-07-01T12:00"},
            "starts_at",
            f"Choose a date between 2000 and {LAST_YEAR_ALLOWED}.",
        ),
        (
            {"starts_at": "9999-07-01T10:00", "ends_at": "9999-07-01T12:00"},
            "starts_at",
            f"Choose a date between 2000 and {LAST_YEAR_ALLOWED}.",
        ),
        (
            {"ends_at": "9999-12-31T23:59"},
            "ends_at",
            f"Choose a date between 2000 and {LAST_YEAR_ALLOWED}.",
        ),
        ({"starts_at": ""}, "starts_at", "Enter a date and time."),
        ({"ends_at": "next tuesday"}, "ends_at", "Enter a date and time."),
        ({"mode": "in_person", "location": ""}, "location", "Say where the activity takes place."),
        (
            {"mode": "in_person", "location": "   "},
            "location",
            "Say where the activity takes place.",
        ),
        (
            {"mode": "online", "location": "", "online_url": ""},
            "online_url",
            "Give the link people use to join online.",
        ),
        (
            {"mode": "hybrid", "location": "", "online_url": "https://meet.example/x"},
            "location",
            "Say where the activity takes place.",
        ),
        (
            {"mode": "hybrid", "location": "Hall", "online_url": ""},
            "online_url",
            "Give the link people use to join online.",
        ),
        ({"pillars": []}, "pillars", "Choose at least one pillar."),
        ({"title": ""}, "title", "This field is required."),
    ],
    ids=[
        "end-before-start",
        "end-the-day-before",
        "year-1900",
        "year-9999",
        "end-year-9999",
        "no-start",
        "garbage-end",
        "in-person-without-place",
        "in-person-blank-place",
        "online-without-link",
        "hybrid-without-place",
        "hybrid-without-link",
        "no-pillar",
        "no-title",
    ],
)
def test_invalid_activities_are_refused_with_a_message_and_nothing_is_written(
    signed_in, school, db_session, overrides, field, message
):
    response = signed_in.post(f"/schools/{school.id}/activities/new", data=form_data(**overrides))

    body = response.get_data(as_text=True)
    assert response.status_code == 422, all_field_errors(body)
    assert message in field_errors(body, field)
    assert activity_count(db_session) == 0
    assert audit_actions(db_session) == []


def test_an_online_activity_needs_no_place_and_keeps_no_place(signed_in, school, db_session):
    response = signed_in.post(
        f"/schools/{school.id}/activities/new",
        data=form_data(mode="online", location="Ignored hall", online_url="https://meet.example/a"),
    )
    assert response.status_code == 302
    activity = db_session.scalars(select(Activity)).one()
    assert activity.mode is Mode.ONLINE
    assert activity.online_url == "https://meet.example/a"
    assert activity.location == ""


def test_a_refused_form_keeps_what_was_typed(signed_in, school):
    response = signed_in.post(
        f"/schools/{school.id}/activities/new",
        data=form_data(title="Kept title", pillars=[], starts_at="2026-03-29T02:30"),
    )
    assert response.status_code == 422
    values = form_values(response.get_data(as_text=True))
    assert values["title"] == "Kept title"
    assert values["starts_at"] == "2026-03-29T02:30"


@pytest.mark.parametrize(
    ("kind", "selected", "expected"),
    [
        (None, "open_day", {"models_for_other_schools"}),
        ("open_day", "open_day", {"models_for_other_schools"}),
        ("info_session", "info_session", {"models_for_other_schools"}),
        (
            "professional_development",
            "professional_development",
            {"models_for_other_schools", "collaboration"},
        ),
        ("other", "other", set()),
        ("nonsense", "open_day", {"models_for_other_schools"}),
    ],
)
def test_the_type_preselects_pillars_on_the_new_form(signed_in, school, kind, selected, expected):
    url = f"/schools/{school.id}/activities/new" + (f"?type={kind}" if kind else "")
    response = signed_in.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    values = form_values(body)
    assert set(values["pillars"]) == expected
    assert values["type"] == selected
    assert "data-default-pillars=" in body


def test_an_anonymous_visitor_is_sent_to_sign_in(client, school, db_session):
    response = client.post(f"/schools/{school.id}/activities/new", data=form_data())
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert activity_count(db_session) == 0


# Lifecycle -------------------------------------------------------------------


def test_cancelling_keeps_the_activity_shown_as_cancelled(signed_in, make, school, db_session):
    activity = make.activity(
        school, title="Cancelled open day", starts_at=datetime.now(UTC) - timedelta(hours=1)
    )
    activity_id, school_id = activity.id, school.id

    response = signed_in.post(f"/activities/{activity_id}/cancel")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/activities/{activity_id}"
    stored = fresh(db_session, activity_id)
    assert stored is not None
    assert stored.status is ActivityStatus.CANCELLED
    page = signed_in.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "The activity has been cancelled. It stays visible as cancelled." in page
    assert 'class="status-cancelled">Cancelled</span>' in page
    assert f"/activities/{activity_id}/edit" not in page
    assert f"/activities/{activity_id}/report" not in page
    assert f"/activities/{activity_id}/cancel" not in page
    listed = signed_in.get(f"/schools/{school_id}/activities").get_data(as_text=True)
    assert "Cancelled open day" in listed
    assert "Cancelled</span>" in listed


def test_a_cancelled_activity_cannot_be_reported_edited_or_cancelled_again(
    signed_in, make, school, db_session
):
    activity = make.activity(
        school,
        title="Called off",
        starts_at=datetime.now(UTC) - timedelta(hours=3),
        status=ActivityStatus.CANCELLED,
    )
    activity_id = activity.id

    report = signed_in.post(
        f"/activities/{activity_id}/report", data={"participants_teachers": "12"}
    )
    assert report.status_code == 302
    assert report.headers["Location"] == f"/activities/{activity_id}"
    assert signed_in.get(f"/activities/{activity_id}/report").status_code == 302

    edit_page = signed_in.get(f"/activities/{activity_id}/edit")
    assert edit_page.status_code == 302
    assert edit_page.headers["Location"] == f"/activities/{activity_id}"
    edit = signed_in.post(f"/activities/{activity_id}/edit", data=form_data(title="Changed"))
    assert edit.status_code == 302

    again = signed_in.post(f"/activities/{activity_id}/cancel")
    assert again.status_code == 302
    flashed = signed_in.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "Only planned activities can be cancelled." in flashed

    stored = fresh(db_session, activity_id)
    assert stored.status is ActivityStatus.CANCELLED
    assert stored.title == "Called off"
    assert stored.participants_teachers is None
    assert stored.reached == []
    assert stored.version == 1
    assert audit_actions(db_session, activity_id) == []


def test_reporting_before_the_start_is_refused(signed_in, make, school, db_session):
    activity = make.activity(school, starts_at=datetime.now(UTC) + timedelta(hours=1))
    activity_id = activity.id

    assert signed_in.get(f"/activities/{activity_id}/report").status_code == 302
    response = signed_in.post(
        f"/activities/{activity_id}/report",
        data={"participants_teachers": "12", "reached": "Some school"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/activities/{activity_id}"
    page = signed_in.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "Participants can be recorded once the activity has started." in page
    stored = fresh(db_session, activity_id)
    assert stored.status is ActivityStatus.PLANNED
    assert stored.participants_teachers is None
    assert stored.reached == []
    assert audit_actions(db_session, activity_id) == []


def test_reporting_after_the_start_marks_it_held_and_links_reached_schools(
    signed_in, make, school, db_session
):
    neighbour = make.school("TR", name="Şehit Öğretmen Ayşe Kaya Lisesi", city="Ankara")
    namesake_abroad = make.school("RO", name="Liceul Teoretic Lucian Blaga", city="Cluj")
    activity = make.activity(
        school,
        starts_at=datetime.now(UTC) - timedelta(hours=1),
        ends_at=datetime.now(UTC) + timedelta(hours=1),
    )
    activity_id, neighbour_id = activity.id, neighbour.id
    namesake_id = namesake_abroad.id

    assert signed_in.get(f"/activities/{activity_id}/report").status_code == 200
    response = signed_in.post(
        f"/activities/{activity_id}/report",
        data={
            "participants_teachers": "12",
            "participants_leaders": "2",
            "participants_students": "40",
            "participants_parents": "",
            "reached": "  ŞEHİT ÖĞRETMEN AYŞE KAYA LİSESİ \n"
            "sehit ogretmen ayse kaya lisesi\n"
            "\n"
            "Liceul Teoretic Lucian Blaga\n"
            "Okulumuz henüz kayıtlı değil\n",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/activities/{activity_id}"
    stored = fresh(db_session, activity_id)
    assert stored.status is ActivityStatus.HELD
    assert (
        stored.participants_teachers,
        stored.participants_leaders,
        stored.participants_students,
        stored.participants_parents,
    ) == (12, 2, 40, None)  # left empty: not known, not zero
    linked = sorted(row.school_id for row in stored.reached if row.school_id)
    named = sorted(row.school_name for row in stored.reached if row.school_name)
    assert linked == [neighbour_id]
    assert namesake_id not in linked  # same name, another country: kept as written
    assert named == ["Liceul Teoretic Lucian Blaga", "Okulumuz henüz kayıtlı değil"]

    page = signed_in.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "12 teachers, 2 school leaders, 40 students, — parents" in page
    assert f'<a href="/schools/{neighbour_id}">Şehit Öğretmen Ayşe Kaya Lisesi</a>' in page
    assert "<li>Okulumuz henüz kayıtlı değil</li>" in page
    assert audit_actions(db_session, activity_id) == ["activity.report"]


def test_a_report_refuses_negative_participants(signed_in, make, school, db_session):
    activity = make.activity(school, starts_at=datetime.now(UTC) - timedelta(hours=1))
    activity_id = activity.id
    response = signed_in.post(
        f"/activities/{activity_id}/report", data={"participants_teachers": "-3"}
    )
    assert response.status_code == 422
    assert fresh(db_session, activity_id).status is ActivityStatus.PLANNED


def test_a_held_activity_can_no_longer_be_edited(signed_in, make, school, db_session):
    activity = make.activity(
        school,
        starts_at=datetime.now(UTC) - timedelta(days=2),
        status=ActivityStatus.HELD,
        participants_teachers=3,
    )
    activity_id = activity.id
    response = signed_in.post(f"/activities/{activity_id}/edit", data=form_data(title="New"))
    assert response.status_code == 302
    assert fresh(db_session, activity_id).title != "New"


@pytest.mark.parametrize("status", [ActivityStatus.PLANNED, ActivityStatus.CANCELLED])
def test_participants_are_only_stored_for_held_activities(make, school, db_session, status):
    activity = make.activity(school, starts_at=datetime.now(UTC) - timedelta(days=1), status=status)
    activity.participants_teachers = 5
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()

    activity = db_session.get(Activity, activity.id)
    activity.status = ActivityStatus.HELD
    activity.participants_teachers = 5
    db_session.flush()
    assert activity.participants_teachers == 5


def test_participants_cannot_be_negative_in_the_database(make, school, db_session):
    activity = make.activity(
        school, starts_at=datetime.now(UTC) - timedelta(days=1), status=ActivityStatus.HELD
    )
    activity.participants_students = -1
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_the_school_page_lists_activities_waiting_for_their_report(
    client, auth, make, school, member, db_session
):
    now = datetime.now(UTC)
    ended = make.activity(school, title="Ended, not reported", starts_at=now - timedelta(days=3))
    make.activity(
        school,
        title="Ended network meeting",
        starts_at=now - timedelta(days=4),
        visibility=Visibility.NETWORK,
    )
    make.activity(
        school,
        title="Ended and reported",
        starts_at=now - timedelta(days=5),
        status=ActivityStatus.HELD,
        participants_teachers=4,
    )
    make.activity(
        school,
        title="Ended but cancelled",
        starts_at=now - timedelta(days=6),
        status=ActivityStatus.CANCELLED,
    )
    make.activity(
        school,
        title="Running right now",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    make.activity(school, title="Next week")
    school_id, ended_id = school.id, ended.id
    other = make.school("TR")
    make.member(other, email="other.teacher@example.org")

    def waiting_section() -> str | None:
        body = client.get(f"/schools/{school_id}/activities").get_data(as_text=True)
        found = re.search(r'<section class="waiting-report.*?</section>', body, re.S)
        return found.group(0) if found else None

    assert waiting_section() is None  # anonymous
    auth.login("other.teacher@example.org")
    assert waiting_section() is None  # a member of another school
    auth.logout()

    auth.login("teacher.a@example.org")
    section = waiting_section()
    assert section is not None
    assert "Activities waiting for their report" in section
    titles = re.findall(r'<a href="/activities/\d+/report">([^<]+)</a>', section)
    assert titles == ["Ended, not reported", "Ended network meeting"]
    assert f'href="/activities/{ended_id}/report"' in section


# Concurrent edits --------------------------------------------------------------


def test_a_conflicting_edit_is_refused_and_shows_what_changed(app, make, school, db_session):
    first_user = make.member(school, email="first@example.org")
    second_user = make.member(school, email="second@example.org")
    starts = datetime(NEXT_YEAR, 7, 1, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul
    activity = make.activity(
        school,
        title="Original title",
        description="Original description",
        starts_at=starts,
        location="Main hall",
    )
    activity_id, first_id, second_id = activity.id, first_user.id, second_user.id
    first, second = app.test_client(), app.test_client()
    login(first, "first@example.org")
    login(second, "second@example.org")

    first_form = form_values(first.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    second_form = form_values(second.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    assert first_form["version"] == second_form["version"] == "1"
    assert first_form["starts_at"] == f"{NEXT_YEAR}-07-01T10:00"

    saved = first.post(
        f"/activities/{activity_id}/edit",
        data={**first_form, "title": "Title by the first", "starts_at": f"{NEXT_YEAR}-07-01T11:00"},
    )
    assert saved.status_code == 302
    after_first = fresh(db_session, activity_id)
    assert after_first.version == 2
    assert after_first.title == "Title by the first"

    refused = second.post(
        f"/activities/{activity_id}/edit",
        data={**second_form, "description": "Description by the second"},
    )

    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "Someone else saved this activity while you were editing it." in body
    changes = {
        html.unescape(label): (html.unescape(old), html.unescape(new))
        for label, old, new in re.findall(
            r"<li>([^<:]+): <del>(.*?)</del> → <ins>(.*?)</ins></li>", body
        )
    }
    assert changes["Title"] == ("Original title", "Title by the first")
    assert set(changes) == {"Title", "Starts"}
    old_start, new_start = changes["Starts"]
    assert "10:00" in old_start  # shown in the school's zone, not in UTC (07:00)
    assert "11:00" in new_start
    stored = fresh(db_session, activity_id)
    assert stored.description == "Original description"
    assert stored.title == "Title by the first"
    assert stored.version == 2
    assert stored.updated_by_id == first_id

    conflict_form = form_values(body)
    assert conflict_form["version"] == "2"
    assert conflict_form["description"] == "Description by the second"
    resaved = second.post(f"/activities/{activity_id}/edit", data=conflict_form)

    assert resaved.status_code == 302
    final = fresh(db_session, activity_id)
    assert final.description == "Description by the second"
    assert final.version == 3
    assert final.updated_by_id == second_id


def test_an_edit_with_a_stale_version_saves_nothing_even_without_overlap(
    app, make, school, db_session
):
    make.member(school, email="one@example.org")
    make.member(school, email="two@example.org")
    activity = make.activity(school, title="Shared", location="Hall", starts_at=next_week())
    activity_id = activity.id
    one, two = app.test_client(), app.test_client()
    login(one, "one@example.org")
    login(two, "two@example.org")
    form_one = form_values(one.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    form_two = form_values(two.get(f"/activities/{activity_id}/edit").get_data(as_text=True))

    saved = one.post(f"/activities/{activity_id}/edit", data={**form_one, "title": "A"})
    assert saved.status_code == 302
    assert fresh(db_session, activity_id).title == "A"
    response = two.post(
        f"/activities/{activity_id}/edit", data={**form_two, "title": "B", "location": "Gym"}
    )
    assert response.status_code == 409
    stored = fresh(db_session, activity_id)
    assert (stored.title, stored.location) == ("A", "Hall")
    assert audit_actions(db_session, activity_id) == ["activity.update"]


@pytest.mark.parametrize("version", ["abc", "1.5", "-", "2x"])
def test_a_tampered_version_is_refused_without_a_server_error(
    signed_in, make, school, db_session, version
):
    activity = make.activity(school, title="Untouched", starts_at=next_week())
    activity_id = activity.id
    form = form_values(signed_in.get(f"/activities/{activity_id}/edit").get_data(as_text=True))

    response = signed_in.post(
        f"/activities/{activity_id}/edit", data={**form, "title": "Tampered", "version": version}
    )

    assert response.status_code in (400, 409, 422)
    assert fresh(db_session, activity_id).title == "Untouched"
    assert audit_actions(db_session, activity_id) == []


# Audit -----------------------------------------------------------------------


def test_every_change_writes_an_audit_entry(signed_in, school, member, db_session):
    member_id = member.id
    yesterday = to_local(datetime.now(UTC) - timedelta(days=1), "Europe/Istanbul")
    created = signed_in.post(
        f"/schools/{school.id}/activities/new",
        data=form_data(
            title="Audited",
            starts_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(yesterday + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert created.status_code == 302
    activity_id = int(created.headers["Location"].rsplit("/", 1)[1])

    form = form_values(signed_in.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    unchanged = signed_in.post(f"/activities/{activity_id}/edit", data=form)
    assert unchanged.status_code == 302
    assert audit_actions(db_session, activity_id) == ["activity.create"]  # nothing changed

    updated = signed_in.post(
        f"/activities/{activity_id}/edit",
        data={**form, "title": "Audited again", "pillars": ["collaboration", "shared_leadership"]},
    )
    assert updated.status_code == 302
    reported = signed_in.post(
        f"/activities/{activity_id}/report", data={"participants_teachers": "7"}
    )
    assert reported.status_code == 302

    entries = audit_entries(db_session, activity_id)
    assert [entry.action for entry in entries] == [
        "activity.create",
        "activity.update",
        "activity.report",
    ]
    assert all(entry.actor_id == member_id for entry in entries)
    assert all(entry.country_code == "TR" for entry in entries)
    assert all(entry.outcome == "success" for entry in entries)
    assert entries[1].details["changes"] == {
        "title": ["Audited", "Audited again"],
        "pillars": [["models_for_other_schools"], ["collaboration", "shared_leadership"]],
    }
    versions = [entry.details["version"] for entry in entries]
    assert versions == sorted(versions)
    assert versions[0] == 1


def test_cancelling_writes_an_audit_entry(signed_in, make, school, member, db_session):
    activity = make.activity(school)
    activity_id, member_id = activity.id, member.id
    assert signed_in.post(f"/activities/{activity_id}/cancel").status_code == 302
    (entry,) = audit_entries(db_session, activity_id)
    assert entry.action == "activity.cancel"
    assert entry.actor_id == member_id
    assert entry.country_code == "TR"


def test_a_refused_form_writes_no_audit_entry(signed_in, make, school, db_session):
    activity = make.activity(school, title="Stays", starts_at=next_week())
    activity_id = activity.id
    form = form_values(signed_in.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    response = signed_in.post(
        f"/activities/{activity_id}/edit", data={**form, "title": "Gone", "pillars": []}
    )
    assert response.status_code == 422
    assert fresh(db_session, activity_id).title == "Stays"
    assert audit_actions(db_session, activity_id) == []


# Visibility -------------------------------------------------------------------


@pytest.fixture
def two_activities(make, school):
    """A public and a network-only activity of the school, next year in May."""
    public = make.activity(
        school, title="Public open day", starts_at=datetime(NEXT_YEAR, 5, 10, 7, 0, tzinfo=UTC)
    )
    network = make.activity(
        school,
        title="Network-only meeting",
        starts_at=datetime(NEXT_YEAR, 5, 11, 7, 0, tzinfo=UTC),
        visibility=Visibility.NETWORK,
    )
    return public.id, network.id, school.id, school.region_code


def _pages(school_id: int) -> list[str]:
    return [
        "/calendar/TR",
        f"/calendar/TR?date_from={NEXT_YEAR}-05-01",
        f"/calendar/TR/month?month={NEXT_YEAR}-05",
        f"/schools/{school_id}",
        f"/schools/{school_id}/activities",
    ]


def _feeds(school_id: int, region: str) -> list[str]:
    return ["/calendar/TR.ics", f"/calendar/TR/{region}.ics", f"/schools/{school_id}/calendar.ics"]


def test_anonymous_visitors_never_see_network_only_activities(client, two_activities):
    public_id, network_id, school_id, region = two_activities
    for path in [*_pages(school_id), "/calendar/TR/export.csv", *_feeds(school_id, region)]:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "Public open day" in body, path
        assert "Network-only meeting" not in body, path
    xlsx = client.get("/calendar/TR/export.xlsx")
    assert xlsx.status_code == 200
    assert _xlsx_titles(xlsx.data) == ["Public open day"]
    assert client.get(f"/activities/{public_id}").status_code == 200
    assert client.get(f"/activities/{network_id}").status_code == 404
    assert client.get(f"/activities/{network_id}/edit").status_code == 302  # sign in first


def _xlsx_titles(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    column = rows[0].index("Title")
    return [row[column] for row in rows[1:]]


def test_signed_in_users_see_network_only_activities_but_feeds_never_do(
    client, auth, make, two_activities
):
    _public_id, network_id, school_id, region = two_activities
    outsider = make.school("RO")
    make.member(outsider, email="ro.teacher@example.org")
    auth.login("ro.teacher@example.org")

    for path in _pages(school_id):
        body = client.get(path).get_data(as_text=True)
        assert "Public open day" in body, path
        assert "Network-only meeting" in body, path
    shown = client.get(f"/activities/{network_id}")
    assert shown.status_code == 200
    assert "Network members only" in shown.get_data(as_text=True)
    for path in _feeds(school_id, region):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "Public open day" in body, path
        assert "Network-only meeting" not in body, path
        assert f"activity-{network_id}@" not in body, path


# Permissions ------------------------------------------------------------------


def test_a_member_of_another_school_cannot_touch_the_activity(
    client, auth, make, school, db_session
):
    activity = make.activity(
        school, title="School A's", starts_at=datetime.now(UTC) - timedelta(hours=1)
    )
    activity_id, school_id = activity.id, school.id
    other = make.school("RO")
    make.member(other, email="member.b@example.org")
    auth.login("member.b@example.org")

    assert client.get(f"/activities/{activity_id}").status_code == 200
    assert client.get(f"/activities/{activity_id}/edit").status_code == 403
    refused = client.post(f"/activities/{activity_id}/edit", data=form_data(title="Hijacked"))
    assert refused.status_code == 403
    assert client.post(f"/activities/{activity_id}/cancel").status_code == 403
    assert (
        client.post(
            f"/activities/{activity_id}/report", data={"participants_teachers": "1"}
        ).status_code
        == 403
    )
    assert client.get(f"/schools/{school_id}/activities/new").status_code == 403
    assert client.post(f"/schools/{school_id}/activities/new", data=form_data()).status_code == 403

    stored = fresh(db_session, activity_id)
    assert stored.title == "School A's"
    assert stored.status is ActivityStatus.PLANNED
    assert activity_count(db_session) == 1
    assert audit_actions(db_session) == []
    body = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert f"/activities/{activity_id}/edit" not in body


def test_the_coordinator_of_the_country_may_edit_its_activities(
    client, auth, make, school, db_session
):
    activity = make.activity(
        school, title="Before the coordinator", location="Hall", starts_at=next_week()
    )
    activity_id = activity.id
    coordinator = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    coordinator_id = coordinator.id
    auth.login("coord.tr@example.org")

    page = client.get(f"/activities/{activity_id}/edit")
    assert page.status_code == 200
    form = form_values(page.get_data(as_text=True))
    response = client.post(
        f"/activities/{activity_id}/edit", data={**form, "title": "Fixed by the coordinator"}
    )

    assert response.status_code == 302
    stored = fresh(db_session, activity_id)
    assert stored.title == "Fixed by the coordinator"
    assert stored.updated_by_id == coordinator_id
    (entry,) = audit_entries(db_session, activity_id)
    assert entry.actor_id == coordinator_id
    assert entry.details["changes"] == {
        "title": ["Before the coordinator", "Fixed by the coordinator"]
    }


def test_the_coordinator_of_another_country_may_not(client, auth, make, school, db_session):
    activity = make.activity(school, title="Turkish activity")
    activity_id = activity.id
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    auth.login("coord.ro@example.org")
    assert client.get(f"/activities/{activity_id}/edit").status_code == 403
    assert client.post(f"/activities/{activity_id}/cancel").status_code == 403
    assert fresh(db_session, activity_id).status is ActivityStatus.PLANNED


def test_reached_rows_name_a_school_or_give_a_name_never_both(make, school, db_session):
    activity = make.activity(
        school, starts_at=datetime.now(UTC) - timedelta(days=1), status=ActivityStatus.HELD
    )
    db_session.add(ActivityReach(activity_id=activity.id, school_id=school.id, school_name="X"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
