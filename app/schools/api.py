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
from app.schools import directory
from app.schools.enums import EducationLevel, SchoolStatus
from app.schools.forms import SchoolForm
from app.schools.loaders import load_school
from app.schools.models import School
from app.schools.operations import create_school, update_school

TEXT, NULLABLE_TEXT = {"type": "string"}, {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
TEXTS = {"type": "array", "items": TEXT}
FIELDS = ["name", "region", "city", "website", "levels", "languages", "label_year", "pupil_count",
          "contact_name", "contact_email"]  # fmt: skip
SCHOOL = schema(
    "School",
    {
        "id": {"type": "integer"},
        "name": TEXT,
        "country": TEXT,
        "region": TEXT,
        "city": TEXT,
        "website": NULLABLE_TEXT,
        "levels": TEXTS,
        "languages": TEXTS,
        "label_year": NULLABLE_INT,
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
            "region": {"type": "string", **NOT_BLANK, "description": "Region code, e.g. TR-34"}
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
    refuse_unknown(payload, set(FIELDS), fixed={"id", "country", "status", "ambassador"})
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
    refuse_unknown(payload, set(FIELDS), fixed={"id", "country", "status", "ambassador"})
    current = SchoolForm.for_school(school, formdata=None, meta={"csrf": False}).data
    form = bind(SchoolForm, {**{k: current[k] for k in FIELDS}, **payload}, sent=payload)
    region = db.session.get(Region, form.region.data)
    if not policy.can_move_school(current_user, school, region.country_code):
        raise Invalid({"region": [_("Only a coordinator can move a school to another country.")]})
    update_school(school, form.to_data(), current_user)
    return jsonify(render(school))
