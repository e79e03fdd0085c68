"""Joining a school and managing its members."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.enums import MembershipRole
from app.accounts.models import Membership
from app.core.extensions import db
from app.schools import operations as schools
from app.schools.enums import SchoolStatus
from app.schools.loaders import load_school
from app.schools.views import bp


@bp.post("/schools/<int:school_id>/join")
@login_required
def join(school_id: int):
    school = load_school(school_id)
    if school.status is not SchoolStatus.VERIFIED:
        flash(
            _("This school is waiting for verification; it cannot take new members yet."), "warning"
        )
    else:
        membership = schools.request_membership(school, current_user)
        if membership.status.value == "approved":
            flash(_("You are already a member of this school."), "info")
        else:
            flash(_("Your request has been sent to the school's admins."), "success")
    return redirect(url_for("schools.show", school_id=school.id))


@bp.get("/schools/<int:school_id>/members")
@login_required
def members(school_id: int):
    school = load_school(school_id)
    policy.require(policy.can_manage_members(current_user, school))
    rows = db.session.scalars(
        select(Membership)
        .where(Membership.school_id == school.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.status.desc(), Membership.created_at)
    ).all()
    return render_template("schools/members.html", school=school, memberships=rows)


def _membership(school_id: int, user_id: int) -> Membership:
    school = load_school(school_id)
    policy.require(policy.can_manage_members(current_user, school))
    return db.get_or_404(Membership, (user_id, school.id))


@bp.post("/schools/<int:school_id>/members/<int:user_id>/approve")
@login_required
def approve_member(school_id: int, user_id: int):
    membership = _membership(school_id, user_id)
    schools.decide_membership(membership, True, current_user)
    flash(_("%(name)s is now a member of the school.", name=membership.user.name), "success")
    return redirect(url_for("schools.members", school_id=school_id))


@bp.post("/schools/<int:school_id>/members/<int:user_id>/remove")
@login_required
def remove_member(school_id: int, user_id: int):
    membership = _membership(school_id, user_id)
    admins = [a for a in schools.school_admins(membership.school) if a.id != user_id]
    if (
        membership.role is MembershipRole.ADMIN
        and not admins
        and not policy.coordinates(current_user, membership.school.country_code)
    ):
        flash(_("A school needs at least one school admin."), "warning")
        return redirect(url_for("schools.members", school_id=school_id))
    name = membership.user.name
    schools.decide_membership(membership, False, current_user)
    flash(_("%(name)s is no longer a member of the school.", name=name), "info")
    return redirect(url_for("schools.members", school_id=school_id))
