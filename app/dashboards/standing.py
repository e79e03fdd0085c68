"""The figures that count how things stood at a moment (schools, labels, ambassadors,
open requests, active mentorships), for one or more moments in the same statements.

The dashboard compares its period with the same period a year earlier: both moments are
counted in one pass over the country's rows (one conditional aggregate per moment),
instead of one pass each. A moment's ``until`` is the end of a period that has ended, or
None while the period goes on (then "now": no condition on when rows changed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select, true

from app.core.extensions import db
from app.core.school_years import valid_label_years
from app.dashboards.declaration import WAITING_DAYS, RegionFigures
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest
from app.schools.enums import SchoolStatus
from app.schools.models import AmbassadorPeriod, School
from app.schools.operations import ambassador_on


@dataclass(frozen=True)
class Moment:
    """When figures are counted: ``today`` is the day (the period's last, or today), and
    ``until`` the end of a period that has ended (None: now)."""

    today: date
    until: datetime | None
    year_start: tuple[int, int]

    @property
    def label_years(self) -> tuple[int, int]:
        return valid_label_years(self.today, self.year_start)

    @property
    def waiting_since(self) -> datetime:
        return datetime.combine(self.today - timedelta(days=WAITING_DAYS), time.min, tzinfo=UTC)


Figures = dict[str, RegionFigures]


def _count(condition: ColumnElement[bool]):
    return func.sum(case((condition, 1), else_=0))


def _fill(tables: Sequence[Figures], rows, *setters: Callable[[RegionFigures, int], None]):
    """Each row is (region, then per moment one value per setter)."""
    width = len(setters)
    for code, *values in rows:
        for index, figures in enumerate(tables):
            if code in figures:
                for offset, setter in enumerate(setters):
                    setter(figures[code], int(values[index * width + offset] or 0))


def verified_by(until: datetime | None) -> ColumnElement[bool]:
    """SQL: the school was verified before ``until`` (rows verified before the moment was
    kept have no moment and count as always verified)."""
    if until is None:
        return true()
    return or_(School.verified_at.is_(None), School.verified_at < until)


def open_at(until: datetime | None) -> ColumnElement[bool]:
    """SQL: a request open at ``until``: made before it and still open, or closed later
    (a request's last change is when it stopped being open); now: open."""
    if until is None:
        return MentoringRequest.status == RequestStatus.OPEN
    return and_(
        MentoringRequest.created_at < until,
        or_(MentoringRequest.status == RequestStatus.OPEN, MentoringRequest.updated_at >= until),
    )


def active_at(until: datetime | None) -> ColumnElement[bool]:
    """SQL: a mentorship going on at ``until``: started before it, not finished by then;
    now: active."""
    if until is None:
        return Match.status == MatchStatus.ACTIVE
    return and_(
        func.coalesce(Match.decided_at, Match.created_at) < until,
        or_(
            Match.status == MatchStatus.ACTIVE,
            and_(
                Match.status.in_((MatchStatus.COMPLETED, MatchStatus.ENDED)),
                Match.finished_at >= until,
            ),
        ),
    )


def fill(
    tables: Sequence[Figures], moments: Sequence[Moment], country: str, region: str | None
) -> None:
    """Count, for each moment, its figures into the table of the same position."""
    in_region = [
        School.country_code == country,
        *([School.region_code == region] if region else []),
    ]

    def labelled(moment: Moment):
        first, last = moment.label_years
        return and_(verified_by(moment.until), School.label_year.between(first, last))

    schools = select(
        School.region_code,
        *(c for m in moments for c in (_count(verified_by(m.until)), _count(labelled(m)))),
    ).where(*in_region, School.status == SchoolStatus.VERIFIED)
    _fill(
        tables,
        db.session.execute(schools.group_by(School.region_code)),
        lambda f, n: setattr(f, "schools", n),
        lambda f, n: setattr(f, "labelled", n),
    )

    # From the current ambassador periods to their schools, not the other way round.
    covers = [and_(*ambassador_on(m.today)) for m in moments]
    ambassadors = (
        select(
            School.region_code,
            *(func.count(distinct(case((cover, School.id)))) for cover in covers),
        )
        .select_from(AmbassadorPeriod)
        .join(School, School.id == AmbassadorPeriod.school_id)
        .where(*in_region, School.status == SchoolStatus.VERIFIED, or_(*covers))
        .group_by(School.region_code)
    )
    _fill(tables, db.session.execute(ambassadors), lambda f, n: setattr(f, "ambassadors", n))

    in_scope = [
        MentoringRequest.country_code == country,
        *([MentoringRequest.region_code == region] if region else []),
    ]
    opens = [open_at(m.until) for m in moments]
    requests = (
        select(
            MentoringRequest.region_code,
            *(
                c
                for m, is_open in zip(moments, opens, strict=True)
                for c in (
                    _count(is_open),
                    _count(and_(is_open, MentoringRequest.created_at < m.waiting_since)),
                )
            ),
        )
        .where(*in_scope, or_(*opens))
        .group_by(MentoringRequest.region_code)
    )
    _fill(
        tables,
        db.session.execute(requests),
        lambda f, n: setattr(f, "open_requests", n),
        lambda f, n: setattr(f, "waiting_long", n),
    )

    actives = [active_at(m.until) for m in moments]
    matches = (
        select(MentoringRequest.region_code, *(_count(active) for active in actives))
        .join(Match, Match.request_id == MentoringRequest.id)
        .where(*in_scope, or_(*actives))
        .group_by(MentoringRequest.region_code)
    )
    _fill(tables, db.session.execute(matches), lambda f, n: setattr(f, "active_matches", n))
