"""Sorting names in the reader's alphabet, by ICU's collation of the reader's locale.

In Turkish, Ç follows C, İ follows I and Ş follows S; in Norwegian, Æ, Ø and Å close the
alphabet; in Romanian, Ă and Â follow A. Codepoint order (Python's) puts every letter
with a diacritic after Z.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

from app.core.i18n import country_name, current_locale

T = TypeVar("T")


@lru_cache(maxsize=16)
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale))


def collation_key(locale: str | None = None) -> Callable[[str], bytes]:
    """A sort key of names in ``locale``'s (else the reader's) alphabet."""
    return _collator(locale or current_locale()).getSortKey


def collated(items: Iterable[T], name: Callable[[T], str], locale: str | None = None) -> list[T]:
    """``items`` sorted by the name ``name`` gives them, in the reader's alphabet."""
    key = collation_key(locale)
    return sorted(items, key=lambda item: key(name(item)))


def by_country_name(rows: Iterable[dict]) -> list[dict]:
    """Rows with a ``code`` of a country, by the country's name in the reader's language."""
    return collated(rows, lambda row: country_name(row["code"]))
