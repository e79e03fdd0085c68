"""The closed vocabularies of the design: the base of every feature's enums, and those shared.

Values are stored as strings with a CHECK constraint (see :func:`enum_type`), so
SQLite and PostgreSQL enforce the same sets.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l


class Choice(StrEnum):
    """A string enum whose members carry a lazily translated ``label``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


#: ISO 639-1 codes offered as school and activity languages (names come from CLDR).
#: Append only: an activity's ``language_mask`` uses each code's position as its bit.
LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "tr", "nb", "nn", "is",
    "sq", "mk", "sr", "bs", "uk", "ka", "hy", "az", "ar", "ru", "ca", "eu", "gl", "lb",
)  # fmt: skip


def enum_type(enum: type[Choice], name: str) -> sa.Enum:
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Mode(Choice):
    IN_PERSON = "in_person", _l("In person")
    ONLINE = "online", _l("Online")
    HYBRID = "hybrid", _l("Hybrid")
