"""Whatever is posted at the main forms, the answer is a proper status, never a 500, and
a rejected form writes nothing (design, section 7)."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.models import User
from app.activities.enums import ActivityType, Audience
from app.core.enums import Mode
from app.core.i18n import LOCALES
from app.mission.models import PILLAR_CODES
from app.notifications.enums import Frequency, Kind
from app.schools.enums import EducationLevel
from app.schools.importing import import_schools
from tests.factories import PASSWORD
from tests.principals import sign_in
from tests.support.bad_input import (
    ACCEPTABLE,
    FORMS,
    choices,
    form_with_odd_fields,
    local_datetimes,
    numbers,
    row_counts,
    text,
)

LANGUAGES = LOCALES
MODES = tuple(mode.value for mode in Mode)
#: The answers that refuse a form (a form with errors is answered 422, not 200).
REJECTED = {400, 401, 409, 422}


def _post(client, session, url: str, form: dict, acceptable=ACCEPTABLE):
    before = row_counts(session)
    response = client.post(url, data=form)
    assert response.status_code in acceptable, (response.status_code, form)
    if response.status_code in REJECTED:
        assert row_counts(session) == before, form
    return response


def _signed_in(app, session, user_id: int):
    client = app.test_client()
    sign_in(client, session, user_id)
    return client


def _post_as_member(app, make, session, country: str, path, form: dict, role=None) -> None:
    """Post ``form`` at ``path(school)`` as a member of a new school of ``country``."""
    school = make.school(country)
    url = path(school)
    member = make.member(school, role or MembershipRole.MEMBER)
    _post(_signed_in(app, session, member.id), session, url, form)


SIGN_UP = {
    "name": "Ana Popescu",
    "email": "ana.popescu@example.org",
    "password": "a long and unusual passphrase 2026",
    "confirm": "a long and unusual passphrase 2026",
}
ODD_SIGN_UP = {
    "name": text(120),
    "email": text(254),
    "password": text(128),
    "confirm": text(128),
}


@FORMS
@given(form=form_with_odd_fields(SIGN_UP, ODD_SIGN_UP))
def test_sign_up_answers_any_input_properly(client, db_session, form):
    _post(client, db_session, "/register", form)


@FORMS
@given(
    form=form_with_odd_fields(
        {"email": "known@example.org", "password": "password", "remember": "y"},
        {"email": text(254), "password": text(1024), "remember": text(5)},
    )
)
def test_sign_in_answers_any_input_properly(client, make, db_session, form):
    if db_session.scalar(select(User.id).where(User.email == "known@example.org")) is None:
        make.user("known@example.org")
    form = {**form, "password": form["password"].replace("password", PASSWORD)}
    # 401 is the answer to a wrong e-mail address or password.
    _post(client, db_session, "/login", form, ACCEPTABLE | {401})


SCHOOL = {
    "name": "Kadıköy Anadolu Lisesi",
    "region": "TR-34",
    "city": "İstanbul",
    "website": "https://school.example",
    "levels": ["primary"],
    "languages": ["tr"],
    "label_year": "2024",
    "pupil_count": "640",
    "contact_name": "Ayşe Yılmaz",
    "contact_email": "ayse@school.example",
}
ODD_SCHOOL = {
    "name": text(200),
    "region": st.one_of(st.sampled_from(["TR-06", "RO-CJ", "TR"]), text(10)),
    "city": text(120),
    "website": text(300),
    "levels": choices([level.value for level in EducationLevel]),
    "languages": choices(LANGUAGES),
    "label_year": numbers(),
    "pupil_count": numbers(),
    "contact_name": text(120),
    "contact_email": text(254),
}


@FORMS
@given(form=form_with_odd_fields(SCHOOL, ODD_SCHOOL))
def test_editing_a_school_answers_any_input_properly(app, make, db_session, form):
    edit = "/schools/{0.id}/edit".format
    _post_as_member(app, make, db_session, "TR", edit, form, MembershipRole.ADMIN)


ACTIVITY = {
    "type": "open_day",
    "title": "Open dag",
    "description": "Kom kijken hoe wij werken.",
    "starts_at": "2027-05-12T10:00",
    "ends_at": "2027-05-12T12:00",
    "mode": "hybrid",
    "location": "Aula",
    "online_url": "https://meet.example/x",
    "languages": ["nl", "en"],
    "audience": ["teachers"],
    "visibility": "public",
    "pillars": ["models_for_other_schools"],
}
ODD_ACTIVITY = {
    "type": st.one_of(st.sampled_from([kind.value for kind in ActivityType]), text(20)),
    "title": text(200),
    "description": text(5000),
    "starts_at": local_datetimes(),
    "ends_at": local_datetimes(),
    "mode": st.one_of(st.sampled_from(MODES), text(10)),
    "location": text(300),
    "online_url": text(500),
    "languages": choices(LANGUAGES),
    "audience": choices([audience.value for audience in Audience]),
    "visibility": st.one_of(st.sampled_from(["public", "network"]), text(10)),
    "pillars": choices(PILLAR_CODES),
}
EDIT = {**ACTIVITY, "version": "1"}
ODD_EDIT = {**ODD_ACTIVITY, "version": numbers()}


@FORMS
@given(form=form_with_odd_fields(ACTIVITY, ODD_ACTIVITY))
def test_recording_an_activity_answers_any_input_properly(app, make, db_session, form):
    new = "/schools/{0.id}/activities/new".format
    _post_as_member(app, make, db_session, "NL", new, form)


@FORMS
@given(form=form_with_odd_fields(EDIT, ODD_EDIT))
def test_editing_an_activity_answers_any_input_properly(app, make, db_session, form):
    def edit(school) -> str:
        return f"/activities/{make.activity(school).id}/edit"

    _post_as_member(app, make, db_session, "NL", edit, form)


MENTORING_REQUEST = {
    "pillars": ["collaboration"],
    "languages": ["ro", "en"],
    "levels": ["primary"],
    "mode": "online",
    "message": "Suntem noi în eTwinning.",
}
ODD_MENTORING_REQUEST = {
    "pillars": choices(PILLAR_CODES),
    "languages": choices(LANGUAGES),
    "levels": choices([level.value for level in EducationLevel]),
    "mode": st.one_of(st.sampled_from(MODES), text(10)),
    "message": text(2000),
}


@FORMS
@given(form=form_with_odd_fields(MENTORING_REQUEST, ODD_MENTORING_REQUEST))
def test_asking_for_a_mentor_answers_any_input_properly(app, make, db_session, form):
    ask = "/mentoring/requests/new?school={0.id}".format
    _post_as_member(app, make, db_session, "RO", ask, form)


HEADER = (
    "external_id,name,country,region,city,website,levels,languages,label_year,"
    "pupil_count,contact_name,contact_email"
)


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


csv_rows = st.lists(
    st.tuples(
        text(64),
        text(200),
        st.one_of(st.sampled_from(["TR", "RO", "XX", ""]), text(3)),
        st.one_of(st.sampled_from(["TR-34", "RO-CJ", "NL-UT"]), text(8)),
        text(120),
        text(300),
        text(40),
        text(20),
        numbers(),
        numbers(),
        text(120),
        text(254),
    ),
    max_size=4,
)


@FORMS
@given(
    rows=csv_rows,
    raw=st.binary(max_size=400),
    shape=st.sampled_from(["csv", "bytes", "bom", "semicolons", "latin-1"]),
)
def test_the_school_import_reports_any_file_without_failing(app_ctx, db_session, rows, raw, shape):
    text_file = "\n".join([HEADER, *(",".join(_csv_cell(v) for v in row) for row in rows)])
    files = {
        "csv": text_file.encode("utf-8", "surrogatepass"),
        "bytes": raw,
        "bom": b"\xef\xbb\xbf" + text_file.encode("utf-8", "surrogatepass"),
        "semicolons": text_file.replace(",", ";").encode("utf-8", "surrogatepass"),
        "latin-1": text_file.encode("latin-1", "replace"),
    }
    before = row_counts(db_session)
    report = import_schools(
        files[shape],
        importer_id=None,
        allowed_countries={"TR", "RO"},
        today=date(2026, 11, 23),
        dry_run=False,
    )
    if not report.ok:
        db_session.rollback()
        assert row_counts(db_session) == before
    for error in report.errors:
        assert error.line >= 0
        assert str(error.message)
    db_session.rollback()


@FORMS
@given(
    content=st.one_of(st.binary(max_size=300), text(300).map(lambda value: value.encode())),
    name=st.one_of(st.sampled_from(["schools.csv", "schools.txt", "schools.exe"]), text(40)),
)
def test_uploading_any_file_to_the_school_import_answers_properly(
    app, make, db_session, content, name
):
    coordinator = make.user(role="coordinator", countries=("TR",))
    client = _signed_in(app, db_session, coordinator.id)
    form = {"file": (io.BytesIO(content), name)}
    before = row_counts(db_session)
    response = client.post("/schools/import", data=form, content_type="multipart/form-data")
    assert response.status_code in ACCEPTABLE
    assert row_counts(db_session) == before  # checking a file writes nothing but its job
    if response.status_code == 303:  # the check's page, with its result or its problems
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        assert 'data-finished="true"' in page.get_data(as_text=True)


PREFERENCES = {
    **{kind.value: Frequency.DAILY.value for kind in Kind},
    Kind.COORDINATOR_DIGEST.value: Frequency.WEEKLY.value,
    Kind.UPDATES.value: Frequency.NEVER.value,
}
ODD_PREFERENCES = {
    kind.value: st.one_of(st.sampled_from([f.value for f in Frequency]), text(20)) for kind in Kind
}


@FORMS
@given(form=form_with_odd_fields(PREFERENCES, ODD_PREFERENCES))
def test_mail_preferences_answer_any_input_properly(app, make, db_session, form):
    email = "preferences@example.org"
    user_id = db_session.scalar(select(User.id).where(User.email == email))
    if user_id is None:
        user_id = make.user(email, role="coordinator", countries=("TR",)).id
    _post(_signed_in(app, db_session, user_id), db_session, "/account/notifications", form)


@FORMS
@given(token=text(300))
def test_unsubscribing_with_any_token_answers_properly(client, db_session, token):
    url = "/unsubscribe/" + quote(token, safe="")
    assert client.get(url).status_code in {400, 404}
    _post(client, db_session, url, {"List-Unsubscribe": "One-Click"}, {400, 404, 405})
