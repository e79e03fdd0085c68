"""Recording a reminder once and mailing it; preferences; unsubscribe tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.accounts.models import User
from app.core.extensions import db
from app.core.mail import queue_mail
from app.notifications.enums import DAILY_KINDS, DIGEST_KINDS, Frequency, Kind
from app.notifications.models import MailPreference, ReminderLog

#: The token of a digest's link: every kind at once.
ALL = "all"
#: Rows per INSERT (SQLite takes at most 32,766 parameters in one statement).
CHUNK = 1000
_KINDS = frozenset(kind.value for kind in Kind)
_FIXED = ("subject_id", "period", "user_id", "email", "locale", "frequency")
_LINKS = {
    Kind.ACTIVITY_REPORT: ("activities.report", "activity_id"),
    Kind.PROPOSAL_WAITING: ("mentoring.show_match", "match_id"),
    Kind.MENTORSHIP_QUIET: ("mentoring.show_match", "match_id"),
    Kind.MENTORSHIP_CHECKIN: ("mentoring.show_match", "match_id"),
    Kind.LABEL_EXPIRING: ("schools.request_label", "school_id"),
    Kind.REQUEST_WAITING: ("mentoring.show_request", "request_id"),
    # What is new in a country: the school's page, or the request (by the row's period).
    Kind.COUNTRY_NEWS: ("schools.show", "school_id"),
    (Kind.COUNTRY_NEWS, "request"): ("mentoring.show_request", "request_id"),
}


# Tokens ------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_token(token: str) -> tuple[User, list[Kind]] | None:
    """The user and the kinds a token unsubscribes from; None for a token this site
    did not sign, or whose user is gone."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or (kind != ALL and kind not in _KINDS):
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return user, list(Kind) if kind == ALL else [Kind(kind)]


# Preferences -------------------------------------------------------------------------


def preferences(user_id: int) -> dict[Kind, Frequency]:
    rows = db.session.execute(
        select(MailPreference.kind, MailPreference.frequency).where(
            MailPreference.user_id == user_id
        )
    )
    chosen = {kind: frequency for kind, frequency in rows if kind in _KINDS}
    return {kind: Frequency(chosen.get(kind, default_frequency(kind))) for kind in Kind}


def default_frequency(kind: Kind) -> Frequency:
    if kind in DIGEST_KINDS:
        return Frequency.WEEKLY
    return Frequency.DAILY if kind in DAILY_KINDS else Frequency.IMMEDIATELY


def set_preferences(user_id: int, chosen: dict[Kind, Frequency]) -> None:
    stored = {row.kind: row for row in db.session.scalars(
        select(MailPreference).where(MailPreference.user_id == user_id))}  # fmt: skip
    for kind, frequency in chosen.items():
        if kind in stored:
            stored[kind].frequency = frequency
        else:
            db.session.add(MailPreference(user_id=user_id, kind=kind.value, frequency=frequency))
    db.session.flush()


# Recording and sending ---------------------------------------------------------------


def _insert():
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(ReminderLog)


def record_once(values: Sequence[dict]) -> set[tuple[str, int, str, int]]:
    """Insert the log rows not there yet; the keys of those this call inserted. A run
    at the same time inserts the others: each row is decided by exactly one run."""
    inserted: set[tuple[str, int, str, int]] = set()
    for start in range(0, len(values), CHUNK):
        statement = (
            _insert()
            .values(list(values[start : start + CHUNK]))
            .on_conflict_do_nothing(index_elements=["kind", "subject_id", "period", "user_id"])
            .returning(
                ReminderLog.kind, ReminderLog.subject_id, ReminderLog.period, ReminderLog.user_id
            )
        )
        inserted.update(tuple(row) for row in db.session.execute(statement))
    return inserted


def _key(values: dict) -> tuple[str, int, str, int]:
    return values["kind"], values["subject_id"], values["period"], values["user_id"]


def _plain(value):
    return value.date().isoformat() if isinstance(value, datetime | date) else value


def payload(kind: Kind, row) -> dict:
    """What the mail, or a later digest, says of the subject of ``row``."""
    data = {name: _plain(value) for name, value in row._mapping.items() if name not in _FIXED}
    endpoint, argument = _LINKS.get((kind, row.period), _LINKS[kind])
    # A row names the object to link when it is not the subject (a new ambassador
    # application links to its school).
    subject = data.pop(argument, row.subject_id)
    data["link"] = url_for(endpoint, **{argument: subject}, _external=True)
    return data


def unsubscribe_headers(user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    """The link that unsubscribes ``user_id`` from ``kind`` (from every kind, for a
    digest), and the headers of RFC 8058 that carry it."""
    link = url_for(
        "notifications.unsubscribe",
        token=unsubscribe_token(user_id, kind if kind in _KINDS else ALL),
        _external=True,
    )
    return link, {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def update_headers(user, _kind: str) -> dict[str, str] | None:
    """``app.core.notify``'s mail policy: the unsubscribe headers of an update, or None
    for a user who wants no updates by mail."""
    wanted = db.session.scalar(
        select(MailPreference.frequency).where(
            MailPreference.user_id == user.id, MailPreference.kind == Kind.UPDATES.value
        )
    )
    if wanted == Frequency.NEVER:
        return None
    return unsubscribe_headers(user.id, Kind.UPDATES.value)[1]


def mail(to: str, locale: str | None, template: str, *, kind: str, key: str,
         user_id: int, **context) -> None:  # fmt: skip
    """A non-essential mail: with its one-click unsubscribe link (RFC 8058)."""
    link, headers = unsubscribe_headers(user_id, kind)
    queue_mail(
        to,
        locale,
        f"notifications/{template}",
        kind=kind,
        key=key,
        headers=headers,
        unsubscribe=link,
        settings=url_for("notifications.preferences", _external=True),
        **context,
    )


def deliver(kind: Kind, rows: Iterable, now: datetime) -> int:
    """Record each row once, and mail those wanted immediately; how many were recorded
    (the others wait for their digest)."""
    rows = list(rows)
    values = [
        {
            "kind": kind.value,
            "subject_id": row.subject_id,
            "period": row.period,
            "user_id": row.user_id,
            "delivery": row.frequency or default_frequency(kind),
            "payload": payload(kind, row),
            "created_at": now,
        }
        for row in rows
    ]
    inserted = record_once(values)
    for row, value in zip(rows, values, strict=True):
        if _key(value) in inserted and value["delivery"] == Frequency.IMMEDIATELY:
            key = ":".join(str(part) for part in _key(value))
            mail(row.email, row.locale, kind.value, kind=kind.value, key=key,
                 user_id=row.user_id, item=value["payload"])  # fmt: skip
    return len(inserted)
