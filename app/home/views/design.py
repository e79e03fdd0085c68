"""The project's components on one page, for whoever builds pages: development only."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, render_template
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.core.i18n import current_locale
from app.core.pagination import Page
from app.home import queries as public
from app.home.forms import SampleForm
from app.home.views import bp


@bp.get("/design")
def design():
    if not (current_app.debug or current_app.testing):
        abort(404)
    pillars = public.short_labels(current_locale())
    errors = SampleForm(formdata=MultiDict({"visibility": "public"}))
    errors.pillars.choices = list(pillars.items())
    errors.validate()
    choices = SampleForm(formdata=MultiDict({"visibility": "network"}))
    choices.pillars.choices = list(pillars.items())
    for category, message in (
        ("success", _("Saved: a change went through.")),
        ("info", _("For your information: nothing needed changing.")),
        ("warning", _("Careful: something needs a look.")),
        ("danger", _("Something went wrong and nothing was saved.")),
    ):
        flash(message, category)
    rows = [{"code": code, "count": count} for code, count in (("TR", 12), ("RO", 7), ("NL", 4))]
    start = datetime(2026, 3, 12, 14, 30, tzinfo=UTC)
    return render_template(
        "home/design.html",
        pillars=pillars,
        errors=errors,
        choices=choices,
        rows=rows,
        page=Page(items=rows[:2], next_cursor="sample"),
        empty_page=Page(items=[], next_cursor=None),
        start=start,
        end=start.replace(hour=15, minute=45),
    )
