"""The notification centre: what the operations told a user, newest first, read or not."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.core.models import Notification
from app.core.pagination import BadCursor
from app.core.safety import safe_next
from app.home import operations
from app.home.queries import notices
from app.home.views import bp


@dataclass(frozen=True)
class Text:
    message: object  # a lazy string with the placeholders of ``names``
    endpoint: str
    key: str  # the payload key of the object the text is about
    user: bool = False  # the text names the payload's user as well


#: Each kind of notification (and outcome, after a colon) as a sentence and a link.
TEXTS = {
    "mentoring.proposal": Text(
        _l("You are proposed as the mentor of %(school)s. Please answer the proposal."),
        "mentoring.show_match",
        "match",
    ),
    "mentoring.mentoring_accepted": Text(
        _l("A mentor has accepted to mentor %(school)s."), "mentoring.show_match", "match"
    ),
    "mentoring.mentoring_declined": Text(
        _l("The mentor proposed for %(school)s has declined."), "mentoring.show_match", "match"
    ),
    "school.verified": Text(
        _l("%(school)s has been verified: it is now part of the network."),
        "schools.show",
        "school",
    ),
    "school.to_verify": Text(
        _l("%(school)s has registered and waits for verification."), "schools.show", "school"
    ),
    "school.refused": Text(
        _l("The registration of %(school)s has been refused; its page says why."),
        "schools.show",
        "school",
    ),
    "school.join_declined": Text(
        _l("Your request to join %(school)s has been declined."), "schools.show", "school"
    ),
    "ambassador.applied": Text(
        _l("%(school)s applies to be an ambassador school."), "schools.show", "period"
    ),
    "mentoring.request": Text(_l("%(school)s asks for a mentor."), "schools.show", "school"),
    "school.join_request": Text(
        _l("%(user)s asks to join %(school)s."), "schools.members", "school", user=True
    ),
    "school.join_approved": Text(
        _l("You are now a member of %(school)s."), "schools.show", "school"
    ),
    "ambassador.decided:yes": Text(
        _l("%(school)s has been approved as an ambassador school."), "schools.show", "period"
    ),
    "ambassador.decided:no": Text(
        _l("The ambassador application of %(school)s has not been approved."),
        "schools.show",
        "period",
    ),
    "label.decided:yes": Text(
        _l("The eTwinning School label of %(school)s has been verified."), "schools.show", "award"
    ),
    "label.decided:no": Text(
        _l("The label request of %(school)s has been refused."), "schools.show", "award"
    ),
}
OUTCOMES = {"ambassador.decided": "approved", "label.decided": "verified"}


@dataclass
class Shown:
    notification: Notification
    text: str
    url: str | None


def _text_of(notification: Notification) -> Text | None:
    kind = notification.kind
    if kind in OUTCOMES:
        kind += ":yes" if notification.payload.get(OUTCOMES[kind]) else ":no"
    return TEXTS.get(kind)


def describe(notification: Notification, names: dict) -> Shown:
    """The notification as a sentence in the reader's language, with a link to its object;
    a general sentence without a link when the object is gone or the kind is unknown."""
    payload = notification.payload if isinstance(notification.payload, dict) else {}
    text = _text_of(notification)
    found = names.get((text.key, payload.get(text.key))) if text else None
    if text is None or found is None:
        return Shown(notification, str(_l("Something changed that concerns you.")), None)
    school_id, school = found
    values = {"school": school}
    if text.user:
        values["user"] = names.get(("user", payload.get("user")), (None, _l("Someone")))[1]
    if text.key == "match":
        url = url_for(text.endpoint, match_id=payload["match"])
    else:
        url = url_for(text.endpoint, school_id=school_id)
    return Shown(notification, str(text.message) % values, url)


@bp.get("/notifications")
@login_required
def notifications():
    try:
        page = notices.page(
            current_user.id, request.args.get("after"), current_app.config["PER_PAGE"]
        )
    except BadCursor:
        abort(400)
    names = notices.subjects(page.items)
    return render_template(
        "home/notifications.html",
        page=page,
        shown=[describe(item, names) for item in page.items],
        unread=notices.unread_count(current_user.id),
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read_notification(notification_id: int):
    notification = notices.own(current_user.id, notification_id)
    if notification is None:
        abort(404)
    operations.mark_read(notification)
    return redirect(safe_next(request.form.get("next"), "main.notifications"))


@bp.post("/notifications/read")
@login_required
def read_all_notifications():
    operations.mark_all_read(current_user.id)
    return redirect(url_for("main.notifications"))


@bp.app_context_processor
def notification_bell():
    """``unread_notifications()`` for the navbar: one indexed count, only when rendered."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notices.unread_count(current_user.id)

    return {"unread_notifications": unread_notifications}
