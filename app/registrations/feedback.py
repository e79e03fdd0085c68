"""The survey after a held activity: each attendee asked once, by a signed link; what the
organising school and the coordinators read from the answers.

Coordinators see the answers per region and per type of activity, with the number of
answers; a group of fewer than :data:`SMALL_GROUP` answers is counted but not broken down
(its average and next steps could point at the few who answered).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.errors import Refused
from app.core.extensions import db
from app.registrations.enums import NextStep, RegistrationStatus
from app.registrations.links import mail_registrant, token
from app.registrations.models import Feedback, Registration

#: Fewer answers than this are not broken down on the coordinators' page.
SMALL_GROUP = 5
#: Attendees of activities that ended longer ago than this are not asked any more.
ASK_WITHIN = timedelta(days=30)


class AlreadyAnswered(Refused):
    reason = _l("Thank you: your answer has been recorded already.")


def can_answer(registration: Registration) -> bool:
    """Attendees of a held activity, once."""
    return (
        registration.activity.status is ActivityStatus.HELD
        and bool(registration.attended)
        and registration.status is RegistrationStatus.CONFIRMED
        and registration.anonymised_at is None
    )


def ask_due(now: datetime) -> int:
    """Ask the attendees of activities held and ended within ASK_WITHIN (a periodic task);
    how many were asked. Each is asked once (``feedback_asked_at``)."""
    due = db.session.scalars(
        select(Registration)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(
            Activity.status == ActivityStatus.HELD,
            Activity.ends_at <= now,
            Activity.ends_at > now - ASK_WITHIN,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.attended > 0,
            Registration.email != "",
            Registration.feedback_asked_at.is_(None),
        )
        .order_by(Registration.id)
        .limit(1000)
    ).all()
    for registration in due:
        registration.feedback_asked_at = now
        mail_registrant(
            registration,
            "registration_feedback",
            key=f"feedback:{registration.id}",
            feedback_link=url_for(
                "registrations.feedback_form", token=token(registration), _external=True
            ),
        )
    db.session.flush()
    return len(due)


def answer(registration: Registration, rating: int, next_step: NextStep, comment: str) -> None:
    if registration.feedback is not None:
        raise AlreadyAnswered
    db.session.add(
        Feedback(
            registration_id=registration.id,
            rating=rating,
            next_step=next_step,
            comment=comment.strip(),
        )
    )
    db.session.flush()


# Reading -------------------------------------------------------------------------------


@dataclass
class Summary:
    """Answers of a group: how many, their average rating and next steps; ``shown`` is
    False when the group is too small to be broken down."""

    answers: int = 0
    ratings: int = 0
    steps: Counter = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return self.ratings / self.answers if self.answers else None

    @property
    def shown(self) -> bool:
        return self.answers >= SMALL_GROUP

    def add(self, rating: int, step: NextStep, comment: str = "") -> None:
        self.answers += 1
        self.ratings += rating
        self.steps[step] += 1
        if comment:
            self.comments.append(comment)

    def share(self, step: NextStep) -> float:
        return self.steps[step] / self.answers if self.answers else 0.0


def for_activity(activity_id: int) -> Summary:
    """The organising school's summary of its activity, comments included."""
    summary = Summary()
    rows = db.session.execute(
        select(Feedback.rating, Feedback.next_step, Feedback.comment)
        .join(Registration, Registration.id == Feedback.registration_id)
        .where(Registration.activity_id == activity_id)
        .order_by(Feedback.created_at)
    )
    for rating, step, comment in rows:
        summary.add(rating, step, comment)
    return summary


@dataclass
class CountryFeedback:
    total: Summary
    by_region: dict[str, Summary]
    by_type: dict[str, Summary]


def for_country(country_code: str, start: date, end: date) -> CountryFeedback:
    """Answers about the country's activities held between ``start`` and ``end`` (days,
    inclusive), per region and per type of activity; no comments (they are the school's)."""
    rows = db.session.execute(
        select(Activity.region_code, Activity.type, Feedback.rating, Feedback.next_step)
        .join(Registration, Registration.id == Feedback.registration_id)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(
            Activity.country_code == country_code,
            Activity.status == ActivityStatus.HELD,
            Activity.starts_at >= _midnight(start),
            Activity.starts_at < _midnight(end + timedelta(days=1)),
        )
    )
    result = CountryFeedback(Summary(), {}, {})
    for region, kind, rating, step in rows:
        result.total.add(rating, step)
        result.by_region.setdefault(region, Summary()).add(rating, step)
        result.by_type.setdefault(kind.value, Summary()).add(rating, step)
    return result


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def answered_count(activity_id: int) -> int:
    return db.session.scalar(
        select(func.count(Feedback.registration_id))
        .join(Registration, Registration.id == Feedback.registration_id)
        .where(Registration.activity_id == activity_id)
    )
