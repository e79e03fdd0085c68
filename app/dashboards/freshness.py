"""The versions of each country's data, bumped by every write that changes it.

Dashboards are cached under their country's ``data_version`` (app.dashboards.views): a
report, a verification, a new ambassador or a mentorship that starts bumps the version
in the same transaction, so the next dashboard is computed afresh, never stale. Public
listings (the calendar, its month view and feeds) are cached under ``listing_version``,
which every write to an activity of the country (planned ones too), its pillars and
languages, or the country's schools (their levels, languages and ambassador periods too)
and regions bumps; a write to an activity that starts beyond the horizon of
app.geography.listing bumps ``later_listing_version`` instead.

Every ORM flush is watched: a new, changed or deleted row of a table the dashboards read
names its country (directly, or through its activity, school or mentoring request);
activities count only when held (or no longer held): planning one changes no figure. An
ORM-enabled bulk statement on such a table (the CSV import) bumps every country. The
versions are bumped just before the commit, after the last flush, in country order, so
concurrent writers take the country rows' locks in the same order and last.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, event, select, update
from sqlalchemy.orm import Session, attributes

from app.activities.enums import ActivityStatus
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.dashboards.models import HostInvitation
from app.geography.listing import is_later
from app.geography.models import Country, Region
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.schools.models import AmbassadorPeriod, LabelAward, School, SchoolLanguage, SchoolLevel

_TOUCHED = "dashboard_countries"
_LISTED = "listing_countries"
_LATER = "later_listing_countries"
_PENDING = (_TOUCHED, _LISTED, _LATER)
#: Every country: a write whose countries are not known row by row.
EVERY = "*"
_BY_COUNTRY = (Activity, School, MentoringRequest, MentorProfile, HostInvitation)
_BY_ACTIVITY = (ActivityPillar, ActivityLanguage, ActivityReach)
_BY_SCHOOL = (AmbassadorPeriod, LabelAward)
WATCHED = (*_BY_COUNTRY, *_BY_ACTIVITY, *_BY_SCHOOL, Match)
#: What a listing shows: activities with their links, the schools (with their levels,
#: languages and ambassador periods, which the school search filters by) and regions.
_OF_SCHOOL = (SchoolLevel, SchoolLanguage, AmbassadorPeriod)
LISTED = (Activity, *_BY_ACTIVITY, School, *_OF_SCHOOL, Region)


def register() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)


def _column(session: Session, column, key) -> str | None:
    return session.execute(select(column).where(column.table.c.id == key)).scalar()


def _held(row: Activity) -> bool:
    """Only held activities are counted: planning one changes no figure."""
    history = attributes.get_history(row, "status")
    return ActivityStatus.HELD in (row.status, *(history.deleted or ()))


def _countries(session: Session, row) -> set[str | None]:
    if isinstance(row, Activity) and not _held(row):
        return set()
    if isinstance(row, _BY_COUNTRY):
        found = {row.country_code}
        history = attributes.get_history(row, "country_code")  # a school moved abroad
        return found | set(history.deleted or ())
    if isinstance(row, _BY_ACTIVITY):
        parent = session.identity_map.get((Activity, (row.activity_id,), None))
        if parent is not None:
            return {parent.country_code} if _held(parent) else set()
        found = session.execute(
            select(Activity.country_code, Activity.status).where(Activity.id == row.activity_id)
        ).first()
        return {found.country_code} if found and found.status == ActivityStatus.HELD else set()
    if isinstance(row, _BY_SCHOOL):
        return {_column(session, School.country_code, row.school_id)}
    return {_column(session, MentoringRequest.country_code, row.request_id)}  # a match


def _country_of(session: Session, model, key) -> str | None:
    """The country of the activity or school ``key``: from the session when it holds the
    row (a school written with its languages), else one query."""
    known = session.identity_map.get((model, (key,), None))
    if known is not None:
        return known.country_code
    return _column(session, model.country_code, key)


def _starts(session: Session, row) -> set[datetime]:
    """When the activity of ``row`` starts, and started before the change."""
    if isinstance(row, Activity):
        return {row.starts_at, *(attributes.get_history(row, "starts_at").deleted or ())}
    known = session.identity_map.get((Activity, (row.activity_id,), None))
    if known is not None:
        return {known.starts_at}
    found = _column(session, Activity.starts_at, row.activity_id)
    return {found} if found is not None else set()


def _listed(session: Session, row) -> set[str | None]:
    """The countries whose listings show ``row``, before and after the change."""
    if isinstance(row, _BY_ACTIVITY):
        return {_country_of(session, Activity, row.activity_id)}
    if isinstance(row, _OF_SCHOOL):
        return {_country_of(session, School, row.school_id)}
    history = attributes.get_history(row, "country_code")
    return {row.country_code, *(history.deleted or ())}


def _note_listed(session: Session, row, near: set, later: set) -> None:
    """Add the countries of ``row`` to those whose listings get a new version: the first
    one, or the later one for an activity that starts (and started) beyond the horizon."""
    countries = _listed(session, row)
    if not isinstance(row, (Activity, *_BY_ACTIVITY)):
        near |= countries
        return
    now = datetime.now(UTC)
    starts = _starts(session, row)
    if any(is_later(moment, now) for moment in starts):
        later |= countries
    if not all(is_later(moment, now) for moment in starts):
        near |= countries


def _after_flush(session: Session, _context) -> None:
    rows = [
        row
        for row in (*session.new, *session.dirty, *session.deleted)
        if isinstance(row, (*WATCHED, *LISTED))
        and (row not in session.dirty or session.is_modified(row))
    ]
    if not rows:
        return
    touched = session.info.setdefault(_TOUCHED, set())
    listed = session.info.setdefault(_LISTED, set())
    later = session.info.setdefault(_LATER, set())
    with session.no_autoflush:
        for row in rows:
            if isinstance(row, WATCHED) and EVERY not in touched:
                touched |= _countries(session, row)
            if isinstance(row, LISTED) and EVERY not in listed:
                _note_listed(session, row, listed, later)
    for found in (touched, listed, later):
        found.discard(None)


def _bulk(state) -> None:
    """An ORM-enabled INSERT, UPDATE or DELETE on a watched table: every country."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, WATCHED):
        state.session.info[_TOUCHED] = {EVERY}
    if mapper is not None and issubclass(mapper.class_, LISTED):
        state.session.info[_LISTED] = {EVERY}
        state.session.info[_LATER] = {EVERY}


def _before_commit(session: Session) -> None:
    pending = any(session.info.get(name) for name in _PENDING)
    if not pending and not (session.new or session.dirty or session.deleted):
        return
    session.flush()
    touched, listed, later = (session.info.pop(name, None) or set() for name in _PENDING)
    if touched or listed or later:
        bump(session, touched, listed, later)


def _forget(session: Session) -> None:
    for name in _PENDING:
        session.info.pop(name, None)


def _increment(column, countries: set[str]):
    """``column`` + 1 for ``countries`` (every country for :data:`EVERY`), else unchanged."""
    if EVERY in countries:
        return column + 1
    return column + case((Country.code.in_(sorted(countries)), 1), else_=0)


def bump(
    session: Session,
    countries: set[str],
    listed: set[str] = frozenset(),
    later: set[str] = frozenset(),
) -> None:
    """Give ``countries`` a new data version, ``listed`` a new listing version and
    ``later`` a new later listing version (each may be :data:`EVERY`), in one statement."""
    statement = update(Country).values(
        data_version=_increment(Country.data_version, countries),
        listing_version=_increment(Country.listing_version, listed),
        later_listing_version=_increment(Country.later_listing_version, later),
    )
    every = countries | listed | later
    if EVERY not in every:
        statement = statement.where(Country.code.in_(sorted(every)))
    session.execute(statement.execution_options(synchronize_session=False))
