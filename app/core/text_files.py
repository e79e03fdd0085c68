"""Text files as people save them: which encoding a file is in, checked against its content.

Spreadsheets save "CSV" in the Windows code page of the computer's language (Windows-1252
in Dutch and Norwegian, Windows-1254 in Turkish, Windows-1250 in Romanian), "CSV UTF-8"
with or without a byte order mark, and "Unicode text" as UTF-16 with a byte order mark.
A byte order mark is believed first, then UTF-8 (which a file in a code page is almost
never by accident); otherwise charset-normalizer lists the code pages that decode the
file and the caller's ``plausible`` decides which reads its letters best.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

from charset_normalizer import from_bytes

#: Single-byte encodings tried, the more common first (it wins a tie).
CODE_PAGES = ("cp1252", "cp1254", "cp1250")
LABELS = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 (BOM)",
    "utf_16": "UTF-16",
    "cp1252": "Windows-1252",
    "cp1254": "Windows-1254",
    "cp1250": "Windows-1250",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    #: Python's name of the encoding, and a name for people (``Windows-1254``).
    codec: str
    label: str


class Undecodable(ValueError):
    """No encoding reads the file; ``line`` is the first line that cannot be read."""

    def __init__(self, line: int):
        super().__init__(f"line {line} cannot be decoded")
        self.line = line


def _decoded(text: str, codec: str) -> Decoded:
    return Decoded(text, codec, LABELS[codec])


def _line_of(raw: bytes, position: int) -> int:
    return raw[:position].count(b"\n") + 1


def decode(raw: bytes, plausible: Callable[[str], int] | None = None) -> Decoded:
    """The text of ``raw``; ``plausible(text)`` counts the letters that look wrong (fewer
    is better) to choose between code pages. Raises Undecodable."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw, "utf_8_sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf_16")
    try:
        return _decoded(raw.decode("utf-8"), "utf_8")
    except UnicodeDecodeError as problem:
        if _mostly_utf8(raw):  # UTF-8 with a damaged line, not a code page
            raise Undecodable(_line_of(raw, problem.start)) from None
        first_bad = problem.start
    found = [match.encoding for match in from_bytes(raw, cp_isolation=list(CODE_PAGES))]
    candidates = [codec for codec in CODE_PAGES if codec in found]
    if not candidates:
        candidates = [codec for codec in CODE_PAGES if _decodes(raw, codec)]
    if not candidates:
        bad = next((i for i, byte in enumerate(raw) if not _decodes(bytes([byte]), "cp1252")), 0)
        raise Undecodable(_line_of(raw, bad or first_bad))
    texts = {codec: raw.decode(codec) for codec in candidates}
    if plausible is None:
        return _decoded(texts[candidates[0]], candidates[0])
    best = min(candidates, key=lambda codec: (plausible(texts[codec]), CODE_PAGES.index(codec)))
    return _decoded(texts[best], best)


def _strict(raw: bytes, codec: str) -> Decoded:
    try:
        return _decoded(raw.decode(codec), codec)
    except UnicodeDecodeError:
        readable = raw.decode(codec, errors="replace")
        raise Undecodable(readable[: readable.index("\ufffd")].count("\n") + 1) from None


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(raw: bytes) -> bool:
    """More well-formed multi-byte UTF-8 characters than bytes that break it."""
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    return sum(1 for char in text if ord(char) > 127 and char != "\ufffd") > broken
