"""Mentor profiles and mentoring requests."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false, or_, select

from app import policy
from app.accounts.enums import MembershipStatus
from app.accounts.models import Membership
from app.core.api import bp
from app.core.api.shell import (
    Invalid,
    an_id,
    bind,
    created,
    cursor,
    iso,
    json_body,
    listing,
    per_page,
    refuse_unknown,
    signed_in,
)
from app.core.api.spec import AN_ID, at_least_one, form_schema, operation, query, schema
from app.core.api.spec import listing as list_schema
from app.core.extensions import db
from app.core.pagination import paginate
from app.core.safety import query_choice
from app.geography.models import Region
from app.mentoring import records as mentoring_records
from app.mentoring.enums import RequestStatus
from app.mentoring.forms import MentoringRequestForm, MentorProfileForm
from app.mentoring.loaders import load_request
from app.mentoring.models import MentoringRequest, MentorProfile
from app.schools.loaders import load_school
from app.schools.models import School

TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
PROFILE_FIELDS = ["capacity", "languages", "levels", "pillars", "regions", "modes",
                  "available_until", "bio", "paused"]  # fmt: skip
REQUEST_FIELDS = ["pillars", "languages", "levels", "mode", "message"]
MENTOR = schema(
    "Mentor",
    {
        "id": {"type": "integer"},
        "school_id": {"type": "integer"},
        "country": TEXT,
        "region": TEXT,
        "capacity": {"type": "integer"},
        "load": {"type": "integer"},
        "languages": TEXTS,
        "levels": TEXTS,
        "pillars": TEXTS,
        "regions": TEXTS,
        "modes": TEXTS,
        "available_until": {"type": ["string", "null"], "format": "date"},
        "paused": {"type": "boolean"},
    },
)
REQUEST = schema(
    "MentoringRequest",
    {
        "id": {"type": "integer"},
        "school_id": {"type": "integer"},
        "country": TEXT,
        "region": TEXT,
        "pillars": TEXTS,
        "languages": TEXTS,
        "levels": TEXTS,
        "mode": TEXT,
        "message": TEXT,
        "status": {"type": "string", "enum": [status.value for status in RequestStatus]},
        "created_at": {"type": "string", "format": "date-time"},
    },
)
PAGING = [
    query("after", "Cursor from the previous page's `next`"),
    query("limit", "Page size", type="integer", minimum=1, maximum=100),
]


def today():
    return datetime.now(UTC).date()


def render_mentor(profile: MentorProfile) -> dict:
    return {
        "id": profile.id,
        "school_id": profile.school_id,
        "country": profile.country_code,
        "region": profile.region_code,
        "capacity": profile.capacity,
        "load": profile.load,
        "languages": list(profile.languages),
        "levels": list(profile.levels),
        "pillars": list(profile.pillars),
        "regions": list(profile.regions),
        "modes": list(profile.modes),
        "available_until": profile.available_until.isoformat() if profile.available_until else None,
        "paused": profile.paused,
    }


def render_request(row: MentoringRequest) -> dict:
    return {
        "id": row.id,
        "school_id": row.school_id,
        "country": row.country_code,
        "region": row.region_code,
        "pillars": list(row.pillars),
        "languages": list(row.languages),
        "levels": list(row.levels),
        "mode": row.mode.value,
        "message": row.message,
        "status": row.status.value,
        "created_at": iso(row.created_at),
    }


def _country_filter(column):
    country = request.args.get("country") or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        abort(400, description=_("That filter value is not available."))
    return [column == country.upper()] if country else []


# Mentors -----------------------------------------------------------------------------


@bp.get("/mentors")
@operation(
    "/mentors",
    "get",
    "Mentors taking schools (coordinators also see paused ones of their countries)",
    "Mentoring",
    list_schema(MENTOR),
    params=[query("country", "Country code", pattern="^[A-Za-z]{2}$"), *PAGING],
)
def list_mentors():
    visible = [MentorProfile.paused.is_(False)]
    if current_user.is_authenticated:
        visible.append(MentorProfile.user_id == current_user.id)
        if current_user.is_admin:
            visible.append(MentorProfile.id.is_not(None))
        elif current_user.country_codes:
            visible.append(MentorProfile.country_code.in_(current_user.country_codes))
    query_ = select(MentorProfile).where(
        or_(*visible), *_country_filter(MentorProfile.country_code)
    )
    page = paginate(query_, [MentorProfile.id], cursor(), per_page())
    return jsonify(listing(page, render_mentor))


def _eligible_schools() -> list[School]:
    schools = db.session.scalars(
        select(School)
        .join(Membership)
        .where(
            Membership.user_id == current_user.id, Membership.status == MembershipStatus.APPROVED
        )
    ).all()
    return [s for s in schools if policy.can_offer_mentoring(current_user, s, today())]


def _profile_form(values: dict, sent: dict, schools: list[School], load: int) -> MentorProfileForm:
    countries = {school.country_code for school in schools}
    regions = db.session.scalars(
        select(Region.code).where(Region.country_code.in_(countries), Region.selectable())
    ).all()
    return bind(
        MentorProfileForm,
        values,
        sent=sent,
        schools=[(school.id, school.name) for school in schools],
        regions=[(code, code) for code in regions],
        load=load,
    )


def _profile_schema(required: bool):
    def build() -> dict:
        form = MentorProfileForm(formdata=None, meta={"csrf": False}, schools=[], regions=[])
        overrides = {
            "regions": {
                "type": ["array", "null"],
                "items": TEXT,
                "description": "Other region codes",
            },
            "languages": at_least_one(form.languages),
            "modes": at_least_one(form.modes),
        }
        extra = {"school_id": {**AN_ID, "description": "Your school (if several)"}}
        needed = ["capacity", "languages", "modes"] if required else []
        return form_schema(form, PROFILE_FIELDS, overrides=overrides, extra=extra, required=needed)

    return build


@bp.post("/mentors")
@operation(
    "/mentors",
    "post",
    "Become a mentor (teachers of an eTwinning School or an ambassador school)",
    "Mentoring",
    MENTOR,
    status=201,
    body=_profile_schema(required=True),
    errors=(409,),
    auth=True,
)
def create_mentor():
    signed_in()
    payload = json_body()
    refuse_unknown(payload, {*PROFILE_FIELDS, "school_id"}, {"id", "load", "country", "region"})
    if db.session.scalar(select(MentorProfile.id).where(MentorProfile.user_id == current_user.id)):
        abort(409, description=_("You already have a mentor profile; change it with PATCH."))
    schools = _eligible_schools()
    if not schools:
        abort(
            403,
            description=_("Mentors are teachers of an eTwinning School or an ambassador school."),
        )
    chosen = payload.get("school_id", schools[0].id if len(schools) == 1 else None)
    sent = _without(payload, "school_id")
    form = _profile_form({**sent, "school": chosen}, sent, schools, 0)
    school = next(s for s in schools if s.id == form.school.data)
    profile = mentoring_records.save_profile(None, current_user, school, form)
    location = url_for("api.list_mentors", _external=True) + f"#{profile.id}"
    return created(render_mentor(profile), location)


def _without(payload: dict, *names: str) -> dict:
    return {key: value for key, value in payload.items() if key not in names}


@bp.patch("/mentors/<int:mentor_id>")
@operation(
    "/mentors/<int:mentor_id>",
    "patch",
    "Change your mentor profile",
    "Mentoring",
    MENTOR,
    body=_profile_schema(required=False),
    auth=True,
)
def edit_mentor(mentor_id: int):
    signed_in()
    profile = db.session.get(MentorProfile, mentor_id)
    if profile is None:
        abort(404)
    policy.require(profile.user_id == current_user.id)
    payload = json_body()
    refuse_unknown(payload, {*PROFILE_FIELDS, "school_id"}, {"id", "load", "country", "region"})
    schools = _eligible_schools()
    if profile.school not in schools:
        schools.append(profile.school)
    current = render_mentor(profile)
    values = {name: current[name] for name in PROFILE_FIELDS if name in current}
    values["bio"] = profile.bio
    values["school"] = payload.get("school_id", profile.school_id)
    sent = _without(payload, "school_id")
    form = _profile_form({**values, **sent}, sent, schools, profile.load)
    school = next(s for s in schools if s.id == form.school.data)
    mentoring_records.save_profile(profile, current_user, school, form)
    return jsonify(render_mentor(profile))


# Requests ----------------------------------------------------------------------------


def visible_requests():
    """The requests this user may see: their schools', their countries', their own."""
    if current_user.is_admin:
        return []
    member_of = select(Membership.school_id).where(
        Membership.user_id == current_user.id, Membership.status == MembershipStatus.APPROVED
    )
    return [
        or_(
            MentoringRequest.school_id.in_(member_of),
            MentoringRequest.country_code.in_(current_user.country_codes or [""]),
            MentoringRequest.requested_by_id == current_user.id,
            false(),
        )
    ]


@bp.get("/mentoring-requests")
@operation(
    "/mentoring-requests",
    "get",
    "Mentoring requests you may see",
    "Mentoring",
    list_schema(REQUEST),
    params=[
        query("country", "Country code", pattern="^[A-Za-z]{2}$"),
        query("status", "Status", enum=[status.value for status in RequestStatus]),
        *PAGING,
    ],
    auth=True,
)
def list_requests():
    signed_in()
    status = query_choice("status", {s.value for s in RequestStatus})
    query_ = select(MentoringRequest).where(
        *visible_requests(), *_country_filter(MentoringRequest.country_code)
    )
    if status:
        query_ = query_.where(MentoringRequest.status == status)
    page = paginate(query_, [MentoringRequest.id], cursor(), per_page())
    return jsonify(listing(page, render_request))


def _request_schema(required: bool):
    def build() -> dict:
        form = MentoringRequestForm(formdata=None, meta={"csrf": False})
        extra = (
            {"school_id": AN_ID}
            if required
            else {
                "status": {
                    "type": ["string", "null"],
                    "enum": ["open", "withdrawn", None],
                    "description": "withdrawn withdraws the request; open leaves it as it is",
                }
            }
        )
        needed = ["school_id", "languages"] if required else []
        overrides = {"languages": at_least_one(form.languages)}
        return form_schema(form, REQUEST_FIELDS, overrides=overrides, extra=extra, required=needed)

    return build


@bp.post("/mentoring-requests")
@operation(
    "/mentoring-requests",
    "post",
    "Ask for a mentor for a school (409 while the school has an open request)",
    "Mentoring",
    REQUEST,
    status=201,
    body=_request_schema(required=True),
    errors=(404, 409),
    auth=True,
)
def create_request():
    signed_in()
    payload = json_body()
    refuse_unknown(payload, {*REQUEST_FIELDS, "school_id"}, {"id", "status", "country", "region"})
    school = load_school(an_id(payload, "school_id"))
    policy.require(policy.can_request_mentor(current_user, school))
    form = bind(MentoringRequestForm, _without(payload, "school_id"))
    row = mentoring_records.file_request(school, current_user, form)
    location = url_for("api.get_request", request_id=row.id, _external=True)
    return created(render_request(row), location)


@bp.get("/mentoring-requests/<int:request_id>")
@operation(
    "/mentoring-requests/<int:request_id>", "get", "One request", "Mentoring", REQUEST, auth=True
)
def get_request(request_id: int):
    signed_in()
    return jsonify(render_request(load_request(request_id)))


@bp.patch("/mentoring-requests/<int:request_id>")
@operation(
    "/mentoring-requests/<int:request_id>",
    "patch",
    "Change an open request, or withdraw it",
    "Mentoring",
    REQUEST,
    body=_request_schema(required=False),
    errors=(409,),
    auth=True,
)
def edit_request(request_id: int):
    signed_in()
    row = load_request(request_id)
    policy.require(policy.can_request_mentor(current_user, row.school))
    payload = json_body()
    refuse_unknown(payload, {*REQUEST_FIELDS, "status"}, {"id", "school_id", "country", "region"})
    status = payload.get("status")
    if status not in (None, "open", "withdrawn"):
        raise Invalid({"status": [_("A request can only be withdrawn.")]})
    current = render_request(row)
    sent = _without(payload, "status")
    form = bind(
        MentoringRequestForm,
        {**{name: current[name] for name in REQUEST_FIELDS}, **sent},
        sent=sent,
    )
    mentoring_records.change_request(row, form, status == "withdrawn", current_user)
    return jsonify(render_request(row))
