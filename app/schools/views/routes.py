"""School pages: search, profile, registration, editing and verification."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select

from app import policy
from app.accounts.models import Membership
from app.activities.enums import ActivityStatus
from app.activities.models import Activity, ActivityPillar
from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.i18n import current_locale
from app.core.pagination import BadCursor, Page, kept_filters
from app.core.safety import query_choice
from app.core.school_years import label_state
from app.core.security import page_family
from app.geography.listing import kept_listing
from app.geography.models import Country, Region
from app.home import queries as public
from app.mentoring.models import MentorProfile
from app.schools import directory, labels
from app.schools.enums import EducationLevel, SchoolStatus
from app.schools.forms import DecisionForm, SchoolForm, language_choices
from app.schools.loaders import load_school
from app.schools.operations import create_school, update_school, verify_school
from app.schools.verification import decisions, refuse_school
from app.schools.views import bp
from app.schools.views.ambassador import queue_page


def today():
    return datetime.now(UTC).date()


#: The query parameters of the school search, kept by its next-page link.
SEARCH_FILTERS = ("q", "country", "region", "level", "language", "ambassadors")


@bp.get("/schools")
@page_family("search")
def search():
    countries = set(db.session.scalars(select(Country.code)))
    country = query_choice("country", countries)
    regions = set(db.session.scalars(select(Region.code))) if request.args.get("region") else set()
    filters = {
        "text": request.args.get("q", "")[:200],
        "country": country,
        "region": query_choice("region", regions),
        "level": query_choice("level", {level.value for level in EducationLevel}),
        "language": query_choice("language", LANGUAGES),
        "ambassadors_only": request.args.get("ambassadors") == "1",
    }
    day, after, size = today(), request.args.get("after"), current_app.config["PER_PAGE"]

    def found() -> tuple[Markup, str | None]:
        page = directory.search_schools(**filters, today=day, cursor=after, per_page=size)
        ambassadors = directory.ambassador_ids([school.id for school in page.items], day)
        cards = get_template_attribute("macros/schools.html", "school_list")
        return (cards(page.items, ambassadors) if page.items else Markup()), page.next_cursor

    try:
        if country:  # one country's schools: kept under its listing version
            key = ("search", sorted(filters.items()), day, after, size)
            shown, next_cursor = kept_listing(db.session.get(Country, country), key, found)
        else:
            shown, next_cursor = found()
    except BadCursor:
        abort(400)
    return render_template(
        "schools/search.html",
        page=Page([], next_cursor, kept_filters(SEARCH_FILTERS)),
        shown=shown,
        filters=filters,
        language_choices=language_choices(),
        countries=sorted(countries),
    )


@bp.get("/schools/<int:school_id>")
def show(school_id: int):
    school = load_school(school_id)
    now = datetime.now(UTC)
    base = select(Activity).where(Activity.school_id == school.id)
    if not policy.in_network(current_user):
        base = base.where(Activity.visibility == "public")
    upcoming = db.session.scalars(
        base.where(Activity.starts_at >= now, Activity.status != ActivityStatus.CANCELLED)
        .order_by(Activity.starts_at, Activity.id)
        .limit(8)
    ).all()
    recent = db.session.scalars(
        base.where(Activity.starts_at < now)
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(8)
    ).all()
    pillar_counts = dict(
        db.session.execute(
            select(ActivityPillar.pillar_code, func.count())
            .join(Activity)
            .where(
                Activity.school_id == school.id,
                Activity.status != ActivityStatus.CANCELLED,
                *([] if policy.in_network(current_user) else [Activity.visibility == "public"]),
            )
            .group_by(ActivityPillar.pillar_code)
        )
        .tuples()
        .all()
    )
    mentors = db.session.scalars(
        select(MentorProfile).where(
            MentorProfile.school_id == school.id, MentorProfile.paused.is_(False)
        )
    ).all()
    membership = (
        db.session.get(Membership, (current_user.id, school.id))
        if current_user.is_authenticated
        else None
    )
    pillars = public.pillar_texts(current_locale())
    editor = policy.can_edit_school(current_user, school)
    return render_template(
        "schools/show.html",
        label_request=labels.waiting_request(school) if editor else None,
        decision=next(iter(decisions([school.id])), None) if editor else None,
        label_history=labels.history(school) if editor else [],
        school=school,
        is_ambassador=school.is_ambassador_on(today()),
        label=label_state(school.label_year, today(), school.region.country.year_start),
        upcoming=upcoming,
        recent=recent,
        pillars=pillars,
        labels={text.pillar_code: text.short_label for text in pillars},
        pillar_counts=pillar_counts,
        mentors=mentors,
        membership=membership,
        today=today(),
    )


@bp.route("/schools/new", methods=["GET", "POST"])
@login_required
def new():
    form = SchoolForm()
    if form.validate_on_submit():
        region = db.session.get(Region, form.region.data)
        verified = policy.coordinates(current_user, region.country_code)
        school = create_school(form.to_data(), current_user, verified=verified)
        if verified:
            flash(_("The school has been added."), "success")
        else:
            flash(
                _(
                    "The school has been registered. A national coordinator will verify it; "
                    "you are its school admin."
                ),
                "success",
            )
        return redirect(url_for("schools.show", school_id=school.id))
    return render_template("schools/form.html", form=form, school=None), 422 if form.errors else 200


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit(school_id: int):
    school = load_school(school_id)
    policy.require(policy.can_edit_school(current_user, school))
    form = SchoolForm.for_school(school)
    if form.validate_on_submit():
        new_region = db.session.get(Region, form.region.data)
        if not policy.can_move_school(current_user, school, new_region.country_code):
            form.region.errors.append(_("Only a coordinator can move a school to another country."))
        else:
            update_school(school, form.to_data(), current_user)
            flash(_("The school has been saved."), "success")
            return redirect(url_for("schools.show", school_id=school.id))
    return render_template(
        "schools/form.html", form=form, school=school
    ), 422 if form.errors else 200


@bp.post("/schools/<int:school_id>/verify")
@login_required
def verify(school_id: int):
    """Verify the school, or (from the queue) refuse it with a reason for its staff."""
    school = load_school(school_id)
    policy.require(policy.can_verify_school(current_user, school))
    form = DecisionForm()
    if form.reject.data:
        reason = (form.reason.data or "").strip()
        if not reason or not form.validate_on_submit():
            message = form.reason.errors[0] if form.reason.errors else None
            message = message or _("Give the school a reason: its staff will read it.")
            return queue_page({school.id: message}), 422
        refuse_school(school, current_user, reason)
        flash(
            _("%(school)s has been refused; its staff have been told why.", school=school.name),
            "info",
        )
        return redirect(url_for("schools.queue"))
    if school.status is not SchoolStatus.VERIFIED:
        verify_school(school, current_user)
        flash(_("The school is verified."), "success")
    return redirect(url_for("schools.show", school_id=school.id))
