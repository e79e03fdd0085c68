"""Held activities summed per country, stretch of time and region: what dashboards read.

Every row covers one ``span`` of local time in the country's time zone, starting on
``day``: a day, a month (``day`` is its first) or a school year (``day`` is 1 September).
A dashboard period is read as whole months plus the days of the months it cuts, so a
school year costs a few thousand rows however many activities were held. Schools reached
cannot be added up: they are read from the school-year rows of reach_summary, which hold
the days of the year each school was reached on as bits, so that any period is a bit
test and a count (a distinct count over the school years a period spans).

Only held activities count. app.dashboards.facts keeps every row equal to a fresh
aggregation of the activity rows on every flush, and rebuilds them on demand
(``flask summaries rebuild``). The tables are clustered by their key on SQLite, so the
rows of one span of a country's period are one contiguous range.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.activities.enums import ActivityType
from app.core.database import utcnow
from app.core.enums import enum_type
from app.core.extensions import db

DAY, MONTH, YEAR = "day", "month", "year"
WHOLE_COUNTRY = ""  # reach_summary.region_code of the rows of a whole country
#: reach_summary's set of the days of a school year (day 0 is 1 September) a school was
#: reached on, on its school-year rows: day i is bit i % BITS of column DAY_BITS[i // BITS].
BITS = 63
DAY_BITS = tuple(f"days_{part}" for part in range(6))


def _table_args(*spans: str) -> tuple:
    known = ", ".join(f"'{span}'" for span in spans)
    return (
        CheckConstraint(f"span IN ({known})", name="span_known"),
        {"sqlite_with_rowid": False},
    )


class SummaryKey:
    """The key every summary starts with: a country, a span of its local time, a region."""

    country_code: Mapped[str] = mapped_column(
        ForeignKey("country.code"), primary_key=True, sort_order=-4
    )
    span: Mapped[str] = mapped_column(String(5), primary_key=True, sort_order=-3)
    day: Mapped[date] = mapped_column(primary_key=True, sort_order=-2)
    region_code: Mapped[str] = mapped_column(
        ForeignKey("region.code"), primary_key=True, sort_order=-1
    )


class HeldSummary(SummaryKey, db.Model):
    """How many activities of a type were held, and their participants (days, months)."""

    __table_args__ = _table_args(DAY, MONTH)

    type: Mapped[ActivityType] = mapped_column(
        enum_type(ActivityType, "held_summary_type"), primary_key=True
    )
    activities: Mapped[int]
    participants: Mapped[int]


class PillarSummary(SummaryKey, db.Model):
    """How many held activities served a pillar (days, months)."""

    __table_args__ = _table_args(DAY, MONTH)

    pillar_code: Mapped[str] = mapped_column(ForeignKey("pillar.code"), primary_key=True)
    activities: Mapped[int]


class ReachSummary(SummaryKey, db.Model):
    """A school held activities reached, with how many reached it (days, months, school years).

    ``school`` is ``#`` and the id of a registered school, or ``=`` and the name of one
    not registered, so that one distinct count over it counts both kinds. Rows with the
    region ``WHOLE_COUNTRY`` count each school once per country, however many regions
    reached it, so that the country's figure of one span is a count of rows too.

    School-year rows also hold the days of the year the school was reached on
    (``DAY_BITS``, 0 on other rows), so that the schools reached in any period inside a
    school year are the year's rows with a bit of the period set: no union of spans.
    """

    __table_args__ = _table_args(DAY, MONTH, YEAR)

    region_code: Mapped[str] = mapped_column(String(8), primary_key=True, sort_order=-1)

    school: Mapped[str] = mapped_column(String(201), primary_key=True)
    activities: Mapped[int]
    days_0: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    days_1: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    days_2: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    days_3: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    days_4: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    days_5: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class HostInvitation(db.Model):
    """A coordinator asked a school's mentor to run an information session in a region
    with no ambassador or recent activity (a white spot); asked once per region."""

    __table_args__ = (UniqueConstraint("region_code", "mentor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor_profile.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
