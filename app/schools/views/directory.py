"""The public directory: country → region → ambassador schools and their activities."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from app.core.collation import by_country_name, collated
from app.core.enums import LANGUAGES
from app.core.extensions import db
from app.core.i18n import current_locale, region_name
from app.core.pagination import BadCursor, kept_filters
from app.core.security import page_family
from app.geography.models import Country, Region
from app.home.queries import short_labels
from app.schools import directory
from app.schools.enums import EducationLevel
from app.schools.forms import language_choices
from app.schools.views import bp


@bp.get("/directory")
@page_family("directory")
def directory_index():
    now = datetime.now(UTC)
    return render_template(
        "schools/directory.html", countries=by_country_name(directory.country_overview(now.date()))
    )


@bp.get("/directory/<cc>")
@page_family("directory")
def directory_country(cc: str):
    country = db.session.get(Country, cc.upper())
    if country is None:
        abort(404)
    now = datetime.now(UTC)
    rows = collated(
        directory.region_overview(country.code, now.date()),
        lambda row: region_name(row["region"]["name"]),
    )
    return render_template("schools/directory_country.html", country=country, rows=rows)


@bp.get("/directory/<cc>/<region_code>")
@page_family("directory")
def directory_region(cc: str, region_code: str):
    region = db.session.get(Region, region_code.upper())
    if region is None or region.country_code != cc.upper():
        abort(404)
    level = request.args.get("level") or None
    language = request.args.get("language") or None
    levels = {member.value for member in EducationLevel}
    if level not in {None, *levels} or language not in {None, *LANGUAGES}:
        abort(400, description=_("That filter value is not available."))
    now = datetime.now(UTC)
    try:
        page = directory.region_ambassadors(
            region.code,
            now.date(),
            level,
            language,
            request.args.get("after"),
            current_app.config["PER_PAGE"],
        )
    except BadCursor:
        abort(400)
    page.keep = kept_filters(("level", "language"))
    filtered = bool(level or language)
    nearest = [] if page.items or filtered else directory.nearest_ambassadors(region, now.date())
    return render_template(
        "schools/directory_region.html",
        region=region,
        page=page,
        level=level,
        language=language,
        language_choices=language_choices(),
        nearest=nearest,
        upcoming=directory.upcoming_in_region(region.code, now),
        labels=short_labels(current_locale()),
    )
