"""When an activity takes place, as people say it: "Wednesday 10 March 2027, 17:30–18:45
(Istanbul Time)" in the reader's language, with the zone named by CLDR, never seconds or
a raw zone id."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_timezone_location,
    get_timezone_name,
)
from flask_babel import gettext as _

from app.core import i18n


def zone_label(timezone: str, locale: str | None = None) -> str:
    """The zone by its main city in the locale's words ("Istanbul Time", "tijd in
    Istanboel", "İstanbul Saati"); zones without a city by their CLDR name."""
    locale = locale or i18n.current_locale()
    if "/" not in timezone or timezone.startswith("Etc/"):
        return get_timezone_name(ZoneInfo(timezone), "generic", locale=locale)
    city = get_timezone_location(timezone, locale=locale, return_city=True)
    return Locale.parse(locale).zone_formats["region"] % city


def event_when(start: datetime, end: datetime, timezone: str) -> str:
    """From ``start`` to ``end`` (UTC) in ``timezone``, in the reader's language."""
    locale = i18n.current_locale()
    zone = ZoneInfo(timezone)
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return _(
            "%(date)s, %(times)s (%(zone)s)",
            date=format_date(start.date(), "full", locale=locale),
            times=format_interval(start, end, "Hm", locale=locale),
            zone=zone_label(timezone, locale),
        )
    return _(
        "%(start)s – %(end)s (%(zone)s)",
        start=_moment(start, locale),
        end=_moment(end, locale),
        zone=zone_label(timezone, locale),
    )


def _moment(moment: datetime, locale: str) -> str:
    """A day and a time to the minute, joined the locale's way."""
    joined = Locale.parse(locale).datetime_formats["medium"]
    return str(joined).format(
        format_time(moment, "HH:mm", locale=locale), format_date(moment, "medium", locale=locale)
    )
