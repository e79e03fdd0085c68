"""Recording an activity, editing it, cancelling it and reporting how it went."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.activities import operations as activities
from app.activities import queries as activity_queries
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.forms import ActivityForm, CancelForm, ReportForm, RetractForm
from app.activities.loaders import load_activity, load_session_match
from app.activities.models import Activity
from app.activities.operations import DEFAULT_PILLARS, ActivityConflict, NotHeld, NotPlanned
from app.activities.views import bp
from app.core.extensions import db
from app.core.i18n import current_locale
from app.core.pagination import BadCursor
from app.core.templating import local_datetime
from app.home.queries import short_labels
from app.registrations.loaders import panel as registration_panel
from app.registrations.operations import CapacityTooSmall
from app.schools.enums import SchoolStatus
from app.schools.loaders import load_school
from app.schools.models import School
from app.schools.verification import decisions


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.get("/schools/<int:school_id>/activities")
def school_list(school_id: int):
    school = load_school(school_id)
    filters = activity_queries.ActivityFilters(
        school_id=school.id, include_network=policy.in_network(current_user)
    )
    try:
        page = activity_queries.page(
            filters, request.args.get("after"), current_app.config["PER_PAGE"], descending=True
        )
    except BadCursor:
        abort(400)
    can_edit = policy.can_log_activity(current_user, school)
    return render_template(
        "activities/school_list.html",
        school=school,
        page=page,
        waiting=activities.waiting_for_report(school.id, datetime.now(UTC)) if can_edit else [],
        can_edit=can_edit,
        labels=short_labels(current_locale()),
    )


@bp.route("/schools/<int:school_id>/activities/new", methods=["GET", "POST"])
@login_required
def new(school_id: int):
    school = load_school(school_id)
    if school.status is SchoolStatus.PENDING and policy.is_member(current_user, school.id):
        # Not a bare refusal: the school's own staff read why they have to wait.
        decision = next(iter(decisions([school.id])), None)
        return render_template("schools/waiting.html", school=school, decision=decision), 403
    policy.require(policy.can_log_activity(current_user, school))
    match = load_session_match(school, request.args.get("match", type=int))
    form = ActivityForm(timezone=school.timezone)
    if not form.is_submitted():
        kind = ActivityType.MENTORING_SESSION.value if match else request.args.get("type", "")
        kind = kind if kind in ActivityType._value2member_map_ else ActivityType.OPEN_DAY.value
        form.type.data = kind
        form.pillars.data = DEFAULT_PILLARS[ActivityType(kind)]
        form.languages.data = [row.language for row in school.languages]
        form.visibility.data = "network" if match else form.visibility.data
    if match is not None and form.is_submitted():
        form.type.data = ActivityType.MENTORING_SESSION.value  # a session of this mentoring
    if form.validate_on_submit():
        activity = activities.create_activity(school, form.to_data(), current_user, match)
        flash(_("The activity has been recorded."), "success")
        return redirect(url_for("activities.show", activity_id=activity.id))
    return _form_page(form, school, None), _status(form)


def _form_page(form: ActivityForm, school: School, activity: Activity | None, conflict=None):
    context = {"conflict": _describe(form, activity, conflict)} if conflict is not None else {}
    return render_template(
        "activities/form.html",
        form=form,
        school=school,
        activity=activity,
        default_pillars={kind.value: codes for kind, codes in DEFAULT_PILLARS.items()},
        **context,
    )


def _describe(form: ActivityForm, activity: Activity, changes) -> list[tuple[str, str, str]]:
    """The other editor's changes, with the form's labels and values in local time."""

    def shown(value) -> str:
        if isinstance(value, list):
            return ", ".join(value) or "—"
        if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
            return local_datetime(datetime.fromisoformat(value), activity.timezone, "short")
        return str(value) if value not in (None, "") else "—"

    return [
        (
            str(getattr(form, name).label.text) if hasattr(form, name) else name,
            shown(old),
            shown(new),
        )
        for name, old, new in changes
    ]


@bp.get("/activities/<int:activity_id>")
def show(activity_id: int, retract_form: RetractForm | None = None):
    activity = load_activity(activity_id)
    reached_ids = [row.school_id for row in activity.reached if row.school_id]
    reached_schools = (
        db.session.scalars(select(School).where(School.id.in_(reached_ids))).all()
        if reached_ids
        else []
    )
    return render_template(
        "activities/show.html",
        activity=activity,
        can_edit=policy.can_edit_activity(current_user, activity),
        reached_schools=reached_schools,
        labels=short_labels(current_locale()),
        now=datetime.now(UTC),
        cancel_form=CancelForm(),
        can_retract=policy.can_retract_report(current_user, activity),
        retract_form=retract_form or RetractForm(formdata=None),
        registration=registration_panel(activity),
    )


def _editable(activity_id: int) -> Activity:
    activity = load_activity(activity_id)
    policy.require(policy.can_edit_activity(current_user, activity))
    return activity


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    activity = _editable(activity_id)
    if activity.status is not ActivityStatus.PLANNED:
        flash(_("Held and cancelled activities can no longer be edited."), "info")
        return redirect(url_for("activities.show", activity_id=activity.id))
    form = ActivityForm(timezone=activity.timezone)
    if not form.is_submitted():
        _fill(form, activity)
    changes = None
    if form.validate_on_submit():
        try:
            expected = form.version.data or 0
            activities.update_activity(activity, form.to_data(), current_user, expected)
        except ActivityConflict as conflict:
            changes = conflict.changes
        except CapacityTooSmall as refusal:
            form.capacity.errors.append(str(refusal.reason))
        else:
            flash(_("The activity has been saved."), "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    if changes is not None:
        current = load_activity(activity_id)
        form.version.data = current.version
        form.version.raw_data = [str(current.version)]  # rendered instead of the stale one
        return _form_page(form, current.school, current, conflict=changes), 409
    return _form_page(form, activity.school, activity), _status(form)


def _fill(form: ActivityForm, activity: Activity) -> None:
    for name, value in ActivityForm.values_of(activity).items():
        form[name].data = value


@bp.post("/activities/<int:activity_id>/cancel")
@login_required
def cancel(activity_id: int):
    activity = _editable(activity_id)
    try:
        activities.cancel_activity(activity, current_user)
    except NotPlanned as refusal:
        flash(str(refusal.reason), "warning")
    else:
        flash(_("The activity has been cancelled. It stays visible as cancelled."), "info")
    return redirect(url_for("activities.show", activity_id=activity.id))


@bp.post("/activities/<int:activity_id>/retract")
@login_required
def retract(activity_id: int):
    activity = load_activity(activity_id)
    policy.require(policy.can_retract_report(current_user, activity))
    form = RetractForm()
    if not form.validate_on_submit():
        return show(activity_id, retract_form=form), 422
    try:
        activities.retract_report(activity, form.reason.data, current_user)
    except NotHeld as refusal:
        flash(str(refusal.reason), "warning")
    else:
        flash(_("The report has been retracted. The activity is planned again."), "info")
    return redirect(url_for("activities.show", activity_id=activity.id))


@bp.route("/activities/<int:activity_id>/report", methods=["GET", "POST"])
@login_required
def report(activity_id: int):
    activity = _editable(activity_id)
    now = datetime.now(UTC)
    if activity.status is ActivityStatus.CANCELLED or activity.starts_at > now:
        flash(_("Participants can be recorded once the activity has started."), "warning")
        return redirect(url_for("activities.show", activity_id=activity.id))
    form = ReportForm(obj=activity if activity.status is ActivityStatus.HELD else None)
    if not form.is_submitted():
        form.reached.data = "\n".join(r.school_name for r in activity.reached if r.school_name)
        form.reached_ids.data = ",".join(str(r.school_id) for r in activity.reached if r.school_id)
    if form.validate_on_submit():
        chosen, missing = activities.reachable_schools(activity, form.chosen_ids())
        if missing:
            form.reached_ids.errors.append(_("Choose the schools from the list."))
        else:
            participants = {
                name: getattr(form, f"participants_{name}").data
                for name in activities.PARTICIPANT_FIELDS
            }
            names = (form.reached.data or "").splitlines()
            activities.report_activity(activity, participants, chosen, names, current_user, now)
            flash(_("Thank you: the report has been saved."), "success")
            return redirect(url_for("activities.show", activity_id=activity.id))
    chosen_schools = db.session.scalars(
        select(School).where(School.id.in_(form.chosen_ids() or [])).order_by(School.name)
    ).all()
    page = render_template(
        "activities/report.html", form=form, activity=activity, chosen_schools=chosen_schools
    )
    return page, _status(form)
