"""Verification codes that need no table: an HMAC of what the certificate is of.

``R-<registration id>-<check>`` for a certificate of attendance and
``M-<match id>-<side>-<check>`` for one of mentoring (side ``S``: the school that was
mentored, ``M``: the mentor's school). The check is the first 10 base32 characters
(50 bits) of HMAC-SHA256 over the rest of the code, keyed by ``CERTIFICATE_KEY`` (the
``SECRET_KEY`` unless set): nobody without the key can make a code that checks, and a
mistyped character fails. Codes are compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app

from app.core.safety import MAX_ID

#: Characters of the check (base32, RFC 4648: A–Z and 2–7).
CHECK_LENGTH = 10
#: The longest code a person may type (a match id of 19 digits and its side).
MAX_LENGTH = 40

_SHAPE = re.compile(rf"^(?:R-(\d{{1,19}})|M-(\d{{1,19}})-([SM]))-([A-Z2-7]{{{CHECK_LENGTH}}})$")


class Side(StrEnum):
    """The school of a match a mentoring certificate is for."""

    MENTORED = "S"
    MENTOR = "M"


@dataclass(frozen=True)
class Subject:
    """What a code names: a registration, or a match and one of its sides."""

    kind: str  # "R" or "M"
    id: int
    side: Side | None = None

    @property
    def stem(self) -> str:
        return f"R-{self.id}" if self.side is None else f"M-{self.id}-{self.side.value}"


def _key() -> bytes:
    config = current_app.config
    return (config.get("CERTIFICATE_KEY") or config["SECRET_KEY"]).encode()


def _check(stem: str) -> str:
    digest = hmac.new(_key(), b"certificate:" + stem.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CHECK_LENGTH]


def _code(subject: Subject) -> str:
    return f"{subject.stem}-{_check(subject.stem)}"


def for_registration(registration_id: int) -> str:
    return _code(Subject("R", registration_id))


def for_match(match_id: int, side: Side) -> str:
    return _code(Subject("M", match_id, side))


def normalise(typed: str) -> str:
    """A code as printed: capitals, no spaces (people type codes as they read them)."""
    return "".join(typed.split()).upper()


def subject(typed: str) -> Subject | None:
    """What a code names, or None for a code that does not check (forged or mistyped)."""
    code = normalise(typed)
    if len(code) > MAX_LENGTH:
        return None
    found = _SHAPE.match(code)
    if found is None:
        return None
    registration_id, match_id, side, _given = found.groups()
    number = int(registration_id or match_id)
    if number > MAX_ID:
        return None
    named = Subject("R", number) if side is None else Subject("M", number, Side(side))
    # The whole code against the one the key makes, in constant time (leading zeros in the
    # id make another stem, so they fail too).
    if not hmac.compare_digest(_code(named).encode(), code.encode()):
        return None
    return named
