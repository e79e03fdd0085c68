"""E-mail addresses that only look different are one account.

``admın@`` (Turkish dotless ı), ``ａdmin@`` (full-width a) and ``ADMİN@`` (Turkish dotted
capital İ) were three accounts beside ``admin@``. Each address now has a comparison key,
stored in a unique column (``user.email_key``): NFKC (full-width and other compatibility
forms become plain letters), the Turkish dotted and dotless i both as ``i``, then Unicode
case folding. An address whose key is taken belongs to the existing account.

A local part (before the ``@``) that mixes letters of several scripts, such as ``аdmin``
with a Cyrillic а, is refused outright: nobody's real address needs that.
"""

from __future__ import annotations

import unicodedata

#: Turkish İ and ı, and an i followed by a combining dot above (what İ lower-cases to).
_DOTTED_AND_DOTLESS = str.maketrans({"\u0130": "i", "\u0131": "i"})
#: Scripts whose letters are written together in one name (Japanese mixes three).
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK"}


def email_key(address: str) -> str:
    """The form under which two addresses that read alike compare equal."""
    text = unicodedata.normalize("NFKC", address.strip())
    text = text.translate(_DOTTED_AND_DOTLESS).casefold()
    return unicodedata.normalize("NFKC", text).replace("i\u0307", "i")


def scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text`` (by their Unicode names: LATIN, CYRILLIC, …)."""
    found = set()
    for char in unicodedata.normalize("NFKC", text):
        if not unicodedata.category(char).startswith("L"):
            continue
        word = unicodedata.name(char, "UNKNOWN").split()[0]
        found.add(_SAME_SCRIPT.get(word, word))
    return found


def mixes_scripts(address: str) -> bool:
    """Whether the part before the ``@`` mixes letters of more than one script."""
    local, _at, _domain = address.strip().rpartition("@")
    return len(scripts(local or address)) > 1
