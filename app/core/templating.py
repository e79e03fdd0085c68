"""Jinja filters and globals: localised names, dates in a school's time zone, mission markup.

Features add their own globals from their blueprints (``add_app_template_global``)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import get_group_symbol
from flask import Flask
from flask_babel import format_date, format_decimal, format_percent
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape

from app.core import event_times, exports, i18n
from app.core.web_addresses import web_link

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def mission_markup(text: str) -> Markup:
    """The mission text's only markup is ``**bold**``; everything else is escaped."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(text))))  # noqa: S704


def mission_plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def local_datetime(value: datetime, timezone: str, format: str = "medium") -> str:
    """A UTC timestamp shown in ``timezone`` (usually the school's), in the reader's locale."""
    return babel_format_datetime(
        value, format, tzinfo=ZoneInfo(timezone), locale=i18n.current_locale()
    )


def local_date(value: datetime, timezone: str, format: str = "medium") -> str:
    local = value.astimezone(ZoneInfo(timezone))
    return babel_format_date(local.date(), format, locale=i18n.current_locale())


def local_time(value: datetime, timezone: str) -> str:
    return babel_format_time(
        value, "short", tzinfo=ZoneInfo(timezone), locale=i18n.current_locale()
    )


def number(value) -> str:
    """A number in the reader's locale; an unknown one as a dash.

    Counts (the dashboards show a thousand on a page) take a short way when Babel would
    only group their digits by threes with the locale's symbol; anything else goes
    through Babel."""
    if value is None:
        return "—"
    if type(value) is int and value >= 0:
        symbol = _thousands_symbol(i18n.current_locale())
        if symbol is not None:
            return f"{value:,}".replace(",", symbol)
    return format_decimal(value)


def one_decimal(value) -> str:
    """An average, say, with one decimal in the reader's locale: 4.3, 4,3; a dash if None."""
    return "—" if value is None else format_decimal(value, "#,##0.0")


@lru_cache(maxsize=16)
def _thousands_symbol(code: str) -> str | None:
    """The locale's grouping symbol if Babel writes whole numbers in groups of three with
    it (checked on samples), else None."""
    locale = Locale.parse(code)
    symbol = get_group_symbol(locale=locale)
    samples = (0, 7, 1234, 12345, 123456, 1234567, 9876543210)
    same = all(
        babel_format_decimal(v, locale=locale) == f"{v:,}".replace(",", symbol) for v in samples
    )
    return symbol if same else None


def register(app: Flask) -> None:
    if app.config.get("TEMPLATE_BYTECODE_CACHE"):
        cache_dir = app.config.get("TEMPLATE_BYTECODE_DIR") or Path(
            app.instance_path, "templates-compiled"
        )
        # Compiled templates kept on disk: the workers of a machine compile each template
        # once between them, and again only when its source changes (Jinja checks it).
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(cache_dir)
    app.jinja_env.filters.update(
        mission_markup=mission_markup,
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        country_name=i18n.country_name,
        language_name=i18n.language_name,
        region_name=i18n.region_name,
        number=number,
        one_decimal=one_decimal,
        format_date=format_date,
        percent=format_percent,
        web_link=web_link,
        event_when=event_times.event_when,
    )
    app.jinja_env.globals.update(
        LOCALES=i18n.LOCALES,
        locale_display_name=i18n.locale_display_name,
        current_locale=i18n.current_locale,
        csv_separator=exports.default_separator,
    )
