"""The signed-in home: what waits for the user in each of their roles."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import policy
from app.accounts.enums import MembershipStatus
from app.home.queries import desk
from app.home.views import bp
from app.schools.enums import SchoolStatus


@bp.get("/home")
@login_required
def my_home():
    now = datetime.now(UTC)
    rows = desk.memberships(current_user.id)
    approved = [row for row in rows if row.status is MembershipStatus.APPROVED]
    school_ids = [row.school_id for row in approved]
    admin_ids = desk.administered(rows)
    profile = desk.mentor_profile(current_user.id)
    staff = policy.is_staff(current_user)
    countries = None if policy.is_admin(current_user) else sorted(current_user.country_codes)
    blocks = {
        "to_report": desk.to_report(school_ids, now) if school_ids else None,
        "join_requests": desk.join_requests(admin_ids) if admin_ids else None,
        "proposals": desk.proposals(profile.id) if profile else None,
        "to_verify": desk.schools_to_verify(countries) if staff else None,
        "applications": desk.applications(countries) if staff else None,
        "requests": desk.waiting_requests(countries) if staff else None,
    }
    return render_template(
        "home/my_home.html",
        schools=[row.school for row in approved],
        waiting=[
            row
            for row in rows
            if row.status is MembershipStatus.PENDING
            or row.school.status is not SchoolStatus.VERIFIED
        ],
        upcoming=desk.upcoming(school_ids, now) if school_ids else None,
        admin_of=admin_ids,
        profile=profile,
        mentorships=desk.mentorships(profile.id) if profile else None,
        staff=staff,
        spots=[(code, desk.white_spots(code)) for code in desk.countries_of(countries)]
        if staff
        else [],
        todo=_todo(blocks),
        **blocks,
    )


def _todo(blocks: dict[str, desk.Block | None]) -> list[tuple[str, str]]:
    """What needs the user's attention, as (the heading to jump to, how many of what)."""
    texts = {
        "to_report": (
            "report-title",
            lambda n: ngettext("%(num)d activity to report", "%(num)d activities to report", n),
        ),
        "join_requests": (
            "joins-title",
            lambda n: ngettext("%(num)d request to join", "%(num)d requests to join", n),
        ),
        "proposals": (
            "proposals-title",
            lambda n: ngettext("%(num)d proposal to answer", "%(num)d proposals to answer", n),
        ),
        "to_verify": (
            "verify-title",
            lambda n: ngettext("%(num)d school to verify", "%(num)d schools to verify", n),
        ),
        "applications": (
            "applications-title",
            lambda n: ngettext(
                "%(num)d ambassador application", "%(num)d ambassador applications", n
            ),
        ),
        "requests": (
            "requests-title",
            lambda n: ngettext(
                "%(num)d mentoring request waiting", "%(num)d mentoring requests waiting", n
            ),
        ),
    }
    return [
        (anchor, text(block.total))
        for name, (anchor, text) in texts.items()
        if (block := blocks[name]) is not None and block.total
    ]
