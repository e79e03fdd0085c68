"""Read-only queries behind the public pages (home, pillars)."""

from __future__ import annotations

from datetime import date, datetime

from flask import g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.activities.enums import ActivityStatus, Visibility
from app.activities.models import Activity
from app.core.extensions import db
from app.dashboards.facts import PILLAR_BITS
from app.dashboards.models import MONTH, PillarSummary
from app.mission.models import Pillar, PillarText
from app.schools.models import School
from app.schools.operations import ambassadors_by


def pillar_texts(locale: str) -> list[PillarText]:
    query = (
        select(PillarText).join(Pillar).where(PillarText.locale == locale).order_by(Pillar.position)
    )
    return list(db.session.scalars(query))


def short_labels(locale: str) -> dict[str, str]:
    """The pillars' short labels in ``locale``, read once per request (a page and its
    filter form both name them)."""
    known = g.setdefault("short_labels", {}) if has_app_context() else {}
    if locale not in known:
        known[locale] = {text.pillar_code: text.short_label for text in pillar_texts(locale)}
    return known[locale]


def pillar_text(code: str, locale: str) -> PillarText | None:
    return db.session.get(PillarText, (code, locale))


def upcoming_public_activities(
    now: datetime, limit: int = 6, pillar: str | None = None
) -> list[Activity]:
    query = (
        select(Activity)
        .where(
            Activity.starts_at >= now,
            Activity.visibility == Visibility.PUBLIC,
            Activity.status != ActivityStatus.CANCELLED,
        )
        .options(selectinload(Activity.pillars))
        .order_by(Activity.starts_at, Activity.id)
        .limit(limit)
    )
    if pillar:
        query = query.where(Activity.pillar_mask.op("&")(PILLAR_BITS.get(pillar, 0)) != 0)
    return list(db.session.scalars(query))


def held_activity_count(pillar: str) -> int:
    """Held activities that served ``pillar``, from the monthly summaries."""
    query = select(func.sum(PillarSummary.activities)).where(
        PillarSummary.span == MONTH, PillarSummary.pillar_code == pillar
    )
    return int(db.session.scalar(query) or 0)


def ambassador_counts(today: date) -> list[tuple[str, int]]:
    """Countries with their number of schools holding ambassador status today."""
    query = ambassadors_by(School.country_code, today).order_by(School.country_code)
    return [(code, count) for code, count in db.session.execute(query)]
