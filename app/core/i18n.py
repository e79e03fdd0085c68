"""Locale choice and localised names of countries, regions and languages."""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

#: The application's locales; ``en`` is the source language.
LOCALES = ("en", "nl", "tr", "nb", "ro")
#: Other tags that mean one of ours: Norwegian and Nynorsk readers get Bokmål.
ALIASES = {"no": "nb", "nn": "nb"}


def normalise_locale(tag: str | None) -> str | None:
    """Map a language tag (``ro-RO``, ``nb_NO``, ``no``) to one of :data:`LOCALES`."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    primary = ALIASES.get(primary, primary)
    return primary if primary in LOCALES else None


def requested_locale() -> str | None:
    """The locale named by ``?lang=`` on this request, if any (validated by the caller)."""
    return request.args.get("lang") if has_request_context() else None


def select_locale() -> str:
    """``?lang=``, then the saved preference, then the session, then Accept-Language, then en.

    The API answers in the language of ``?lang=`` or Accept-Language only. Outside a
    request (the command line) the default locale is used.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    explicit = normalise_locale(requested_locale())
    if explicit:
        return explicit
    if not request.path.startswith("/api/"):
        if current_user and current_user.is_authenticated:
            saved = normalise_locale(current_user.locale)
            if saved:
                return saved
        chosen = normalise_locale(session.get("locale"))
        if chosen:
            return chosen
    for tag, _quality in request.accept_languages:
        matched = normalise_locale(tag)
        if matched:
            return matched
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or "en")


@lru_cache(maxsize=16)
def _babel_locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=16)
def _region_catalog(code: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[code], fallback=True)


def country_name(code: str, locale: str | None = None) -> str:
    names = _babel_locale(locale or current_locale()).territories
    return names.get(code.upper(), code.upper())


def language_name(code: str, locale: str | None = None) -> str:
    """Language name in the reader's language, e.g. ``tr`` → ``Turks`` for Dutch readers."""
    name = _babel_locale(locale or current_locale()).languages.get(code, code)
    return name[:1].upper() + name[1:]


def locale_display_name(code: str) -> str:
    """A locale's own name for itself, for the language switcher (``Norsk bokmål``)."""
    name = _babel_locale(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def region_name(official_name: str, locale: str | None = None) -> str:
    """The reader's exonym of a subdivision where one exists, else its official name.

    A translation that only spells the official name's letters otherwise (Romanian ș for
    Turkish ş in "Eskişehir", "Istanbul" for "İstanbul") is not an exonym: the country's
    own spelling is kept.
    """
    return _region_name(official_name, locale or current_locale())


@lru_cache(maxsize=4096)  # the catalogs are read once per process
def _region_name(official_name: str, locale: str) -> str:
    translated = _region_catalog(locale).gettext(official_name)
    translated = "".join(c for c in translated if unicodedata.category(c) != "Cf")
    if _letters(translated) == _letters(official_name):
        return official_name
    return translated


def _letters(name: str) -> str:
    """The base letters of a name: no diacritics, dotted and dotless i alike, any case."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def reject_unknown_lang() -> None:
    """``?lang=`` must name one of our languages; anything else is a 400, not a silent default."""
    from flask import abort
    from flask_babel import gettext as _

    tag = requested_locale()
    if tag is not None and normalise_locale(tag) is None:
        abort(400, description=_("That language is not available."))
