"""Held activities summed per country, local day and region: what dashboards read.

A row per (country, day, region, …) where ``day`` is the local date of the start in the
country's time zone. Only held activities count. app.activity_facts keeps the rows equal
to a fresh aggregation of the activity rows on every flush, and rebuilds them on demand
(``flask summaries rebuild``). The tables are clustered by their key on SQLite, so a
period of a country is one contiguous range.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.enums import ActivityType, enum_type

CLUSTERED = {"sqlite_with_rowid": False}


class DayPlace:
    """The key every summary starts with: a country, one of its local days, a region."""

    country_code: Mapped[str] = mapped_column(
        ForeignKey("country.code"), primary_key=True, sort_order=-3
    )
    day: Mapped[date] = mapped_column(primary_key=True, sort_order=-2)
    region_code: Mapped[str] = mapped_column(
        ForeignKey("region.code"), primary_key=True, sort_order=-1
    )


class HeldDay(DayPlace, db.Model):
    """How many activities of a type were held, and their participants."""

    __tablename__ = "held_day"
    __table_args__ = (CLUSTERED,)

    type: Mapped[ActivityType] = mapped_column(
        enum_type(ActivityType, "held_day_type"), primary_key=True
    )
    activities: Mapped[int]
    participants: Mapped[int]


class HeldPillarDay(DayPlace, db.Model):
    """How many held activities served a pillar."""

    __tablename__ = "held_pillar_day"
    __table_args__ = (CLUSTERED,)

    pillar_code: Mapped[str] = mapped_column(ForeignKey("pillar.code"), primary_key=True)
    activities: Mapped[int]


class ReachedDay(DayPlace, db.Model):
    """A school that held activities reached, with how many of them reached it.

    ``school`` is ``#`` and the id of a registered school, or ``=`` and the name of one
    not registered, so that one distinct count over it counts both kinds.
    """

    __tablename__ = "reached_day"
    __table_args__ = (CLUSTERED,)

    school: Mapped[str] = mapped_column(String(201), primary_key=True)
    activities: Mapped[int]
