"""The version of each country's dashboard data, bumped by every write that changes it.

Dashboards are cached under their country's ``data_version`` (app.dashboards.views): a
report, a verification, a new ambassador or a mentorship that starts bumps the version
in the same transaction, so the next dashboard is computed afresh, never stale.

Every ORM flush is watched: a new, changed or deleted row of a table the dashboards read
names its country (directly, or through its activity, school or mentoring request);
activities count only when held (or no longer held): planning one changes no figure. An
ORM-enabled bulk statement on such a table (the CSV import) bumps every country. The
versions are bumped just before the commit, after the last flush, in country order, so
concurrent writers take the country rows' locks in the same order and last.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, attributes

from app.activities.enums import ActivityStatus
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.dashboards.models import HostInvitation
from app.geography.models import Country
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.schools.models import AmbassadorPeriod, LabelAward, School

_TOUCHED = "dashboard_countries"
#: Every country: a write whose countries are not known row by row.
EVERY = "*"
_BY_COUNTRY = (Activity, School, MentoringRequest, MentorProfile, HostInvitation)
_BY_ACTIVITY = (ActivityPillar, ActivityLanguage, ActivityReach)
_BY_SCHOOL = (AmbassadorPeriod, LabelAward)
WATCHED = (*_BY_COUNTRY, *_BY_ACTIVITY, *_BY_SCHOOL, Match)


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


def _after_flush(session: Session, _context) -> None:
    rows = [
        row
        for row in (*session.new, *session.dirty, *session.deleted)
        if isinstance(row, WATCHED) and (row not in session.dirty or session.is_modified(row))
    ]
    if not rows:
        return
    touched = session.info.setdefault(_TOUCHED, set())
    if EVERY in touched:
        return
    with session.no_autoflush:
        for row in rows:
            touched |= _countries(session, row)
    touched.discard(None)


def _bulk(state) -> None:
    """An ORM-enabled INSERT, UPDATE or DELETE on a watched table: every country."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, WATCHED):
        state.session.info[_TOUCHED] = {EVERY}


def _before_commit(session: Session) -> None:
    if not session.info.get(_TOUCHED) and not (session.new or session.dirty or session.deleted):
        return
    session.flush()
    touched = session.info.pop(_TOUCHED, None)
    if touched:
        bump(session, touched)


def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)


def bump(session: Session, countries: set[str]) -> None:
    """Give ``countries`` (or every country, :data:`EVERY`) a new data version."""
    statement = update(Country).values(data_version=Country.data_version + 1)
    if EVERY not in countries:
        statement = statement.where(Country.code.in_(sorted(countries)))
    session.execute(statement.execution_options(synchronize_session=False))
