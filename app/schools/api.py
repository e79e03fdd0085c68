"""Schools: the directory, a school's profile, registering and editing one."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.core.api import bp
from app.core.api.shell import (
    Invalid,
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
from app.core.api.spec import COUNTRY_CODE, NOT_BLANK, form_schema, operation, query, schema
from app.core.api.spec import listing as list_schema
from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.safety import query_choice
from app.geography.models import Country, Region
from app.schools import directory, labels
from app.schools.enums import EducationLevel, LabelSource, LabelStatus, SchoolStatus
from app.schools.forms import LabelDecisionForm, LabelRequestForm, SchoolForm
from app.schools.loaders import load_school
from app.schools.models import LabelAward, School
from app.schools.operations import create_school, update_school

TEXT, NULLABLE_TEXT = {"type": "string"}, {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
TEXTS = {"type": "array", "items": TEXT}
FIELDS = ["name", "region", "timezone", "city", "website", "levels", "languages",
          "pupil_count", "contact_name", "contact_email"]  # fmt: skip
#: Fields the API shows but nobody sets through a school: the label is verified by the
#: coordinators (POST /schools/{id}/label-requests).
FIXED = {"id", "country", "status", "ambassador", "label_year"}
SCHOOL = schema(
    "School",
    {
        "id": {"type": "integer"},
        "name": TEXT,
        "country": TEXT,
        "region": TEXT,
        "timezone": {**TEXT, "description": "IANA time zone of its activities"},
        "city": TEXT,
        "website": NULLABLE_TEXT,
        "levels": TEXTS,
        "languages": TEXTS,
        "label_year": {
            **NULLABLE_INT,
            "description": "School year of the latest verified eTwinning School label",
        },
        "status": {"type": "string", "enum": [status.value for status in SchoolStatus]},
        "ambassador": {"type": "boolean"},
        "pupil_count": {**NULLABLE_INT, "description": "Only for those who may edit the school"},
        "contact_name": {**NULLABLE_TEXT, "description": "Only for those who may edit the school"},
        "contact_email": {**NULLABLE_TEXT, "description": "Only for those who may edit the school"},
    },
)


def today():
    return datetime.now(UTC).date()


def render(school: School, ambassador: bool | None = None) -> dict:
    private = policy.can_edit_school(current_user, school)
    return {
        "id": school.id,
        "name": school.name,
        "country": school.country_code,
        "region": school.region_code,
        "timezone": school.timezone,
        "city": school.city,
        "website": school.website,
        "levels": sorted(row.level.value for row in school.levels),
        "languages": sorted(row.language for row in school.languages),
        "label_year": school.label_year,
        "status": school.status.value,
        "ambassador": school.is_ambassador_on(today()) if ambassador is None else ambassador,
        "pupil_count": school.pupil_count if private else None,
        "contact_name": school.contact_name if private else None,
        "contact_email": school.contact_email if private else None,
    }


@bp.get("/schools")
@operation(
    "/schools",
    "get",
    "Verified schools, by name",
    "Schools",
    list_schema(SCHOOL),
    params=[
        query("country", "Country code, e.g. TR", **COUNTRY_CODE),
        query("region", "Region code, e.g. TR-34"),
        query("ambassador", "Only ambassador schools", type="boolean"),
        query(
            "q",
            "Words of the name or town, in any order, any case or accents: every word must be "
            "found (`sisli istanbul` finds İSTANBUL ŞİŞLİ ANADOLU LİSESİ)",
            maxLength=200,
        ),
        query("level", "Education level", enum=[level.value for level in EducationLevel]),
        query("language", "Language of the school"),
        query("after", "Cursor from the previous page's `next`"),
        query("limit", "Page size", type="integer", minimum=1, maximum=100),
    ],
)
def list_schools():
    ambassador = query_choice("ambassador", {"true", "false"})
    region = request.args.get("region") or None
    if region is not None and db.session.get(Region, region) is None:
        abort(400, description=_("That filter value is not available."))
    page = directory.search_schools(
        text=request.args.get("q", ""),
        country=query_choice("country", set(db.session.scalars(select(Country.code)))),
        region=region,
        level=query_choice("level", {level.value for level in EducationLevel}),
        language=query_choice("language", LANGUAGES),
        ambassadors_only=ambassador == "true",
        today=today(),
        cursor=cursor(),
        per_page=per_page(),
    )
    ambassadors = directory.ambassador_ids([school.id for school in page.items], today())
    return jsonify(listing(page, lambda school: render(school, school.id in ambassadors)))


@bp.get("/schools/<int:school_id>")
@operation("/schools/<int:school_id>", "get", "One school", "Schools", SCHOOL)
def get_school(school_id: int):
    return jsonify(render(load_school(school_id)))


def _body_schema(required: bool):
    def build() -> dict:
        form = SchoolForm(formdata=None, meta={"csrf": False})
        overrides = {
            "region": {"type": "string", **NOT_BLANK, "description": "Region code, e.g. TR-34"},
            "timezone": {
                "type": "string",
                "description": "A zone of the school's country, e.g. Atlantic/Canary; empty: "
                "the country's usual one",
            },
        }
        return form_schema(form, FIELDS, overrides=overrides, required=None if required else [])

    return build


@bp.post("/schools")
@operation(
    "/schools",
    "post",
    "Register a school (verified at once when a coordinator of its country adds it)",
    "Schools",
    SCHOOL,
    status=201,
    body=_body_schema(required=True),
    auth=True,
)
def register_school():
    signed_in()
    payload = json_body()
    refuse_unknown(payload, set(FIELDS), fixed=FIXED)
    form = bind(SchoolForm, payload)
    region = db.session.get(Region, form.region.data)
    school = create_school(
        form.to_data(), current_user, verified=policy.coordinates(current_user, region.country_code)
    )
    return created(render(school), url_for("api.get_school", school_id=school.id, _external=True))


@bp.patch("/schools/<int:school_id>")
@operation(
    "/schools/<int:school_id>",
    "patch",
    "Change a school (its admins and coordinators)",
    "Schools",
    SCHOOL,
    body=_body_schema(required=False),
    auth=True,
)
def edit_school(school_id: int):
    signed_in()
    school = load_school(school_id)
    policy.require(policy.can_edit_school(current_user, school))
    payload = json_body()
    refuse_unknown(payload, set(FIELDS), fixed=FIXED)
    current = SchoolForm.for_school(school, formdata=None, meta={"csrf": False}).data
    values = {**{k: current[k] for k in FIELDS}, **payload}
    form = bind(SchoolForm, values, sent=payload, current_zone=school.timezone)
    region = db.session.get(Region, form.region.data)
    if not policy.can_move_school(current_user, school, region.country_code):
        raise Invalid({"region": [_("Only a coordinator can move a school to another country.")]})
    update_school(school, form.to_data(), current_user)
    return jsonify(render(school))


# The eTwinning School label ----------------------------------------------------------

LABEL_AWARD = schema(
    "LabelAward",
    {
        "id": {"type": "integer"},
        "school_id": {"type": "integer"},
        "year": {"type": "integer", "description": "First calendar year of the school year"},
        "status": {"type": "string", "enum": [status.value for status in LabelStatus]},
        "source": {"type": "string", "enum": [source.value for source in LabelSource]},
        "decided_at": {"type": ["string", "null"], "format": "date-time"},
        "reason": TEXT,
    },
)


def render_award(award: LabelAward) -> dict:
    return {
        "id": award.id,
        "school_id": award.school_id,
        "year": award.award_year,
        "status": award.status.value,
        "source": award.source.value,
        "decided_at": iso(award.decided_at),
        "reason": award.decision_reason,
    }


@bp.post("/schools/<int:school_id>/label-requests")
@operation(
    "/schools/<int:school_id>/label-requests",
    "post",
    "Ask the national coordinator to verify the school's eTwinning School label (its admins)",
    "Schools",
    LABEL_AWARD,
    status=201,
    body=lambda: form_schema(
        LabelRequestForm(formdata=None, meta={"csrf": False}, years=[]), ["year"]
    ),
    errors=(409,),
    auth=True,
)
def request_label(school_id: int):
    signed_in()
    school = load_school(school_id)
    policy.require(policy.can_request_label(current_user, school))
    payload = json_body()
    refuse_unknown(payload, {"year"})
    form = bind(LabelRequestForm, payload, years=labels.requestable_years(school, today()))
    award = labels.request_label(school, form.year.data, current_user)
    return created(
        render_award(award), url_for("api.get_school", school_id=school.id, _external=True)
    )


@bp.post("/label-requests/<int:award_id>/decision")
@operation(
    "/label-requests/<int:award_id>/decision",
    "post",
    "Verify or refuse a school's eTwinning School label (coordinators of its country)",
    "Schools",
    LABEL_AWARD,
    body=lambda: form_schema(
        LabelDecisionForm(formdata=None, meta={"csrf": False}), ["outcome", "reason"]
    ),
    errors=(409,),
    auth=True,
)
def decide_label(award_id: int):
    signed_in()
    award = db.session.get(LabelAward, award_id)
    if award is None or not policy.can_view_school(current_user, award.school):
        abort(404)
    policy.require(policy.can_decide_label(current_user, award.school))
    payload = json_body()
    refuse_unknown(payload, {"outcome", "reason"})
    form = bind(LabelDecisionForm, payload)
    labels.decide_label(
        award, current_user, form.outcome.data == "verified", form.reason.data or ""
    )
    return jsonify(render_award(award))
