"""The calendar's filters, shared by its pages and by the feeds that keep them."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.activities.forms import FeedFilterForm
from app.core.collation import collated
from app.core.extensions import db
from app.core.i18n import region_name
from app.geography.models import Region


def region_choices(country_code: str) -> list[tuple[str, str]]:
    """The country's regions, in the reader's language and alphabetical order."""
    regions = db.session.scalars(
        select(Region).where(Region.country_code == country_code, Region.selectable())
    ).all()
    return collated(((r.code, region_name(r.name)) for r in regions), lambda c: c[1])


def check(form: FeedFilterForm) -> None:
    """Filters that cannot be used answer 400 with the reasons."""
    if not form.validate():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        abort(400, description=_("These filters cannot be used: %(problems)s", problems=problems))


def feed_address(country_code: str, chosen: dict[str, str]) -> str:
    """The full address of the feed of a calendar with the ``chosen`` filters: the region's
    feed when a region is chosen, else the country's."""
    chosen = dict(chosen)
    region = chosen.pop("region", None)
    if region:
        return url_for(
            "activities.region_feed", cc=country_code, region_code=region, _external=True, **chosen
        )
    return url_for("activities.country_feed", cc=country_code, _external=True, **chosen)
