"""Loading what a request names: a registration by its signed link, an activity whose
registrations the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_login import current_user

from app import policy
from app.accounts.addresses import email_key
from app.activities.enums import RegistrationMode
from app.activities.loaders import load_activity
from app.activities.models import Activity
from app.registrations.links import from_token
from app.registrations.models import Registration
from app.registrations.places import Places, closes_at, has_registrations, is_open, places


def load_by_token(token: str) -> Registration:
    """404 for a forged link, and for one whose registration has been erased since."""
    registration = from_token(token)
    if registration is None or registration.anonymised_at is not None:
        abort(404)
    return registration


def signed_in_as(address: str) -> bool:
    """Whether the request's user is signed in with this address, confirmed already: their
    registration needs no confirmation link."""
    return bool(
        current_user.is_authenticated
        and current_user.email_verified_at is not None
        and email_key(current_user.email) == email_key(address)
    )


def load_organised(activity_id: int) -> Activity:
    """The activity, for its organising school's staff and its coordinators only."""
    activity = load_activity(activity_id)
    policy.require(policy.can_manage_registrations(current_user, activity))
    return activity


@dataclass(frozen=True)
class Panel:
    """What the activity's page says about coming to it."""

    mode: RegistrationMode
    open: bool
    closes_at: datetime
    places: Places
    #: Whether the reader organises it (the list of registrations is theirs).
    manage: bool
    #: Whether anyone has registered (the list is linked even when registration is off).
    any: bool


def panel(activity: Activity) -> Panel:
    now = places(activity.id, activity.capacity)
    manage = policy.can_manage_registrations(current_user, activity)
    return Panel(
        mode=activity.registration,
        open=is_open(activity),
        closes_at=closes_at(activity),
        places=now,
        manage=manage,
        any=manage and has_registrations(activity.id),
    )
