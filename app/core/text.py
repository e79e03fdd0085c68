"""Text folding for search that ignores case and accents in all five languages."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition does not reduce to a base letter.
_SPECIAL = str.maketrans(
    {
        "ı": "i",  # Turkish dotless i
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
        "ß": "ss",
    }
)
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s%]+")  # % stays: someone may search for "100%"


def search_key(*parts: str | None) -> str:
    """Fold text for matching: ``"İSTANBUL Şişli"`` → ``"istanbul sisli"``.

    Case folding, compatibility decomposition (``ĳ`` → ``ij``), then combining
    marks removed, so that Romanian ș/ț match with comma-below and cedilla alike
    and Turkish İ/ı match i. Punctuation becomes a space (``„Ștefan cel Mare”`` →
    ``stefan cel mare``).
    """
    text = " ".join(part for part in parts if part)
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def search_words(text: str) -> list[str]:
    """The folded words of a search, each to be found somewhere in the search key.

    A word inside another word of the query is left out (``"is istanbul"`` needs only
    ``istanbul``): whatever contains the longer one contains it too. Longest first, so a
    database tests the rarest-looking word before the others.
    """
    words: list[str] = []
    for word in sorted(set(search_key(text).split()), key=lambda w: (-len(w), w)):
        if not any(word in kept for kept in words):
            words.append(word)
    return words
