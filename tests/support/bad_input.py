"""Hypothesis strategies for input nobody should send: odd Unicode, odd lengths, odd dates."""

from __future__ import annotations

import os
from datetime import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.accounts.models import Membership, User
from app.activities.models import Activity, ActivityLanguage, ActivityPillar
from app.mentoring.models import MentoringRequest
from app.schools.models import School, SchoolLanguage, SchoolLevel

#: What a form may answer to anything at all (never 500).
ACCEPTABLE = {200, 302, 303, 400, 409, 422}

#: Few examples per form, so that the suite stays fast; the fixtures' transaction is
#: shared by a test's examples, which is why the function-scoped check is off.
FORMS = settings(
    max_examples=int(os.environ.get("BAD_INPUT_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL = (
    "",
    " ",
    "\x00",
    "name\x00with nul",
    "\u202egnp.exe\u202c",  # right-to-left override
    "\u200f\u200e\u2066\u2069",  # bidi marks and isolates
    "🎉👩🏽‍🏫🇹🇷",  # emoji, skin tone, ZWJ sequence, flag
    "e\u0301\u0308\u20dd\u0336",  # stacked combining marks
    "İıŞşĞğ ș ț ş ţ æøå ĳ",
    "\ufeff\u200b\u2028\u2029",  # BOM, zero width space, line and paragraph separators
    "'; DROP TABLE school; --",
    "<script>alert(1)</script>",
    "%(name)s {0} %s",
    "\r\n\t\x0b\x0c\x1f\x7f",
    "\U0010fffd\uffff",
)


def text(max_length: int) -> st.SearchStrategy[str]:
    """Odd text from empty to ten times ``max_length`` characters."""
    piece = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=30))
    repeated = st.builds(
        lambda part, length: (part * (length // max(len(part), 1) + 1))[:length],
        piece,
        st.integers(min_value=0, max_value=10 * max_length),
    )
    return st.one_of(piece, repeated)


ODD_DATES = (
    "",
    "2027-02-30T10:00",
    "2027-13-01T10:00",
    "2027-05-01T25:61",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1999-12-31T23:59",
    "2027-03-28T02:30",  # does not exist in Amsterdam (clocks go forward)
    "2027-10-31T02:30",  # happens twice in Amsterdam (clocks go back)
    "٢٠٢٧-٠٥-٠١T10:00",  # Arabic-Indic digits
    "2027-05-01",
    "not a date",
)


def local_datetimes() -> st.SearchStrategy[str]:
    any_time = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
    return st.one_of(
        st.sampled_from(ODD_DATES),
        any_time.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
        text(20),
    )


def choices(valid: tuple[str, ...] | list[str]) -> st.SearchStrategy[list[str]]:
    """Several values of a multiple choice: valid ones mixed with odd text."""
    return st.lists(st.one_of(st.sampled_from(list(valid)), text(12)), max_size=4)


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["", "1e9", "0x10", "٣", "½", "NaN", "-0", " 7 "]),
        text(10),
    )


_COUNTED = (
    User,
    Membership,
    School,
    SchoolLanguage,
    SchoolLevel,
    Activity,
    ActivityPillar,
    ActivityLanguage,
    MentoringRequest,
)


def row_counts(session) -> dict[str, int]:
    """Rows of the tables the forms write to (the audit log aside: failures are logged)."""
    session.expire_all()
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in _COUNTED
    }


def form_with_odd_fields(
    valid: dict[str, object], odd: dict[str, st.SearchStrategy]
) -> st.SearchStrategy[dict[str, object]]:
    """A valid form with up to three of its fields replaced by odd values, so that both
    the checks and the writes behind them meet odd input."""
    return st.builds(
        lambda names, values: {**valid, **{name: values[name] for name in names}},
        st.sets(st.sampled_from(sorted(odd)), max_size=3),
        st.fixed_dictionaries(odd),
    )
