"""The pillars of the eTwinning School mission: the list, and a page for each."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, render_template

from app.core.i18n import current_locale
from app.home import queries as public

bp = Blueprint("mission", __name__, template_folder="templates")


@bp.get("/pillars")
def pillars():
    return render_template("mission/pillars.html", pillars=public.pillar_texts(current_locale()))


@bp.get("/pillars/<code>")
def pillar(code: str):
    text = public.pillar_text(code, current_locale())
    if text is None:
        abort(404)
    now = datetime.now(UTC)
    return render_template(
        "mission/pillar.html",
        pillar=text,
        labels=public.short_labels(current_locale()),
        upcoming=public.upcoming_public_activities(now, limit=10, pillar=code),
        held=public.held_activity_count(code),
    )
