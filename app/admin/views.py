"""Administration: users, their roles and memberships; the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from app import policy
from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import CoordinatorCountry, Membership, User
from app.admin import audit_log as audit_log_labels
from app.admin import outbox as outbox_list
from app.admin.forms import (
    AuditFilterForm,
    MembershipAddForm,
    OutboxFilterForm,
    UserAdminForm,
    UserSearchForm,
)
from app.core import audit, outbox
from app.core.collation import collated
from app.core.database import utcnow
from app.core.extensions import db
from app.core.i18n import country_name
from app.core.models import AuditEntry, OutboxMessage
from app.core.pagination import BadCursor, decode_cursor, kept_filters, paginate
from app.geography.models import Country
from app.schools.directory import search_schools
from app.schools.models import School

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _page(query, keys, descending=False):
    cursor = request.args.get("after")
    try:
        if cursor:
            _check_cursor_types(decode_cursor(cursor, len(keys)), keys)
        return paginate(query, keys, cursor, per_page=50, descending=descending)
    except BadCursor:
        abort(400)


def _check_cursor_types(values: tuple, keys) -> None:
    """A cursor value of the wrong type (``["x"]`` for an id) is a database error on
    PostgreSQL, not an empty page."""
    for value, key in zip(values, keys, strict=True):
        if not isinstance(value, key.type.python_type):
            raise BadCursor(str(values))


@bp.get("/users")
@login_required
def users():
    policy.require(policy.can_manage_users(current_user))
    form = UserSearchForm(request.args)
    query = select(User)
    if form.validate() and form.q.data:
        needle = form.q.data.strip().lower()
        query = query.where(
            or_(
                User.email.contains(needle, autoescape=True),
                func.lower(User.name).contains(needle, autoescape=True),
            )
        )
    page = _page(query, [User.id])
    page.keep = kept_filters(["q"])
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user(user_id: int):
    policy.require(policy.can_manage_users(current_user))
    person = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=person)
    countries = db.session.scalars(select(Country.code)).all()
    form.countries.choices = collated(
        ((code, country_name(code)) for code in countries), lambda c: c[1]
    )
    if request.method == "GET":
        form.countries.data = sorted(person.country_codes)
    if form.validate_on_submit():
        _apply_user_changes(person, form)
        flash(_("The account of %(name)s has been saved.", name=person.name), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    wanted = request.args.get("q", "").strip()[:100]
    found = (
        search_schools(wanted, None, None, None, None, False, utcnow().date(), None, 10).items
        if wanted
        else None
    )
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        membership_form=MembershipAddForm(),
        wanted=wanted,
        found=found,
    ), (422 if form.errors else 200)


def _apply_user_changes(person: User, form: UserAdminForm) -> None:
    before = {
        "active": person.active,
        "is_admin": person.is_admin,
        "countries": sorted(person.country_codes),
    }
    person.name = form.name.data.strip()
    if person.id == current_user.id and (not form.active.data or not form.is_admin.data):
        flash(
            _("You cannot remove your own administrator rights or deactivate yourself."), "warning"
        )
    else:
        person.active = form.active.data
        person.is_admin = form.is_admin.data
    wanted = set(form.countries.data or [])
    person.coordinator_countries = [
        row for row in person.coordinator_countries if row.country_code in wanted
    ] + [CoordinatorCountry(country_code=code) for code in sorted(wanted - person.country_codes)]
    after = {"active": person.active, "is_admin": person.is_admin, "countries": sorted(wanted)}
    if after != before:
        if person.active != before["active"] or person.is_admin != before["is_admin"]:
            person.session_version += 1
        audit.record(
            "admin.user_roles",
            actor=current_user,
            object_type="user",
            object_id=person.id,
            before=before,
            after=after,
        )


@bp.post("/users/<int:user_id>/memberships")
@login_required
def add_membership(user_id: int):
    policy.require(policy.can_manage_users(current_user))
    person = db.get_or_404(User, user_id)
    form = MembershipAddForm()
    if not form.validate_on_submit() or db.session.get(School, form.school_id.data) is None:
        flash(_("Choose the school from the search results."), "danger")
        return redirect(url_for("admin.user", user_id=user_id))
    membership = db.session.get(Membership, (person.id, form.school_id.data)) or Membership(
        user_id=person.id, school_id=form.school_id.data
    )
    membership.role = MembershipRole(form.role.data)
    membership.status = MembershipStatus.APPROVED
    db.session.add(membership)
    audit.record(
        "admin.membership",
        actor=current_user,
        object_type="school",
        object_id=form.school_id.data,
        member=person.id,
        role=form.role.data,
    )
    flash(_("The membership has been saved."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/memberships/<int:school_id>/remove")
@login_required
def remove_membership(user_id: int, school_id: int):
    policy.require(policy.can_manage_users(current_user))
    membership = db.get_or_404(Membership, (user_id, school_id))
    db.session.delete(membership)
    audit.record(
        "admin.membership_removed",
        actor=current_user,
        object_type="school",
        object_id=school_id,
        member=user_id,
    )
    flash(_("The membership has been removed."), "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.get("/audit")
@login_required
def audit_log():
    policy.require(policy.can_view_audit(current_user))
    is_admin = policy.is_admin(current_user)
    countries = (
        db.session.scalars(select(Country.code)).all()
        if is_admin
        else sorted(current_user.country_codes)
    )
    form = AuditFilterForm(request.args)
    form.action.choices = [
        ("", _("Every action")),
        *sorted(
            ((k, str(v)) for k, v in audit_log_labels.ACTION_LABELS.items()), key=lambda c: c[1]
        ),
    ]
    form.country.choices = [
        ("", _("Every country")),
        *sorted(((code, country_name(code)) for code in countries), key=lambda c: c[1]),
    ]
    valid = form.validate()
    # A wrong filter is named beside its field; the others still apply.
    chosen = {name: None if form[name].errors else form[name].data for name in form.data}
    query = audit_log_labels.filtered(select(AuditEntry), audit_log_labels.AuditFilters(**chosen))
    if not is_admin:
        query = query.where(AuditEntry.country_code.in_(current_user.country_codes))
    page = _page(query, [AuditEntry.id], descending=True)
    page.keep = kept_filters(form.data)
    actors = {
        user.id: user
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id}))
        )
    }
    html = render_template(
        "admin/audit.html",
        page=page,
        actors=actors,
        form=form,
        labels=audit_log_labels,
        is_admin=is_admin,
    )
    return html, 200 if valid else 400


@bp.get("/outbox")
@login_required
def outbox_page():
    policy.require(policy.is_admin(current_user))
    kinds = outbox_list.kinds()
    form = OutboxFilterForm(request.args)
    form.kind.choices = [("", _("Every kind")), *((kind, kind) for kind in kinds)]
    if not form.validate():
        abort(400)
    query = outbox_list.filtered(form.status.data, form.kind.data, form.q.data)
    page = _page(query, [OutboxMessage.id], descending=True)
    page.keep = kept_filters(["status", "kind", "q"])
    return render_template(
        "admin/outbox.html",
        form=form,
        page=page,
        counts=outbox_list.status_counts(),
        labels=outbox_list.STATUS_LABELS,
    )


@bp.post("/outbox/<int:message_id>/retry")
@login_required
def retry_mail(message_id: int):
    policy.require(policy.is_admin(current_user))
    if db.session.get(OutboxMessage, message_id) is None:
        abort(404)
    if outbox.retry(message_id):
        audit.record("mail.retry", actor=current_user, object_type="mail", object_id=message_id)
        flash(_("The message will be sent again."), "success")
    else:
        flash(_("This message has been sent or is being sent; it was not sent again."), "info")
    return redirect(url_for("admin.outbox_page"))
