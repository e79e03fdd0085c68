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
