"""What is derived from activity rows, kept in step with them in the same transaction.

- ``pillar_mask`` and ``language_mask`` of an activity: the bits of its pillar and
  language links, so that list filters test a column instead of a subquery;
- the dashboard summaries (app.dashboards.models): held activities per country, span of
  local time (day, month, school year) and region, with their participants, pillars
  and the schools they reached.

Every ORM flush that touches activities or their links reads what those activities
contribute from the database before and after the flush and applies the difference
as upserts that add (so concurrent writers never overwrite each other's counts).
That covers every writer that goes through the session, however it changes the rows.
Bulk writes in Core (the demo generator) call app.dashboards.rebuild.rebuild instead.
A counter that would fall below zero means the summaries had drifted: the change is
refused (:class:`SummaryDrift`) rather than the row dropped, and ``flask summaries
check`` reports any drift against a rebuild.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from itertools import chain
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    delete,
    event,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.activities.enums import ActivityStatus
from app.activities.models import (
    PARTICIPANT_COLUMNS,
    Activity,
    ActivityLanguage,
    ActivityPillar,
    ActivityReach,
)
from app.core.enums import LANGUAGES
from app.core.errors import Refused
from app.dashboards.models import (
    DAY,
    DAY_BITS,
    MONTH,
    WHOLE_COUNTRY,
    YEAR,
    HeldSummary,
    PillarSummary,
    ReachSummary,
)
from app.dashboards.spans import day_bits, spans_of
from app.geography.models import Country
from app.mission.models import PILLAR_CODES

PILLAR_BITS = {code: 1 << position for position, code in enumerate(PILLAR_CODES)}
LANGUAGE_BITS = {code: 1 << position for position, code in enumerate(LANGUAGES)}
LINKS = (ActivityPillar, ActivityLanguage, ActivityReach)
HELD, PILLARS, REACH = HeldSummary.__table__, PillarSummary.__table__, ReachSummary.__table__
SUMMARIES: tuple[Table, ...] = (HELD, PILLARS, REACH)
_PENDING = "activity_facts"
logger = logging.getLogger(__name__)

#: The spans each summary has rows for (see app.dashboards.models).
SPANS = {HELD: (DAY, MONTH), PILLARS: (DAY, MONTH), REACH: (DAY, MONTH, YEAR)}
#: (summary table, key) → values added to its counters
Contribution = dict[tuple[Table, tuple], tuple[int, ...]]


def mask(bits: dict[str, int], codes: Iterable[str]) -> int:
    """The bits of ``codes``; codes without a bit add nothing."""
    value = 0
    for code in codes:
        value |= bits.get(code, 0)
    return value


def reached_key(school_id: int | None, school_name: str | None) -> str:
    return f"#{school_id}" if school_id is not None else f"={school_name}"


# --------------------------------------------------------------------------- every flush


def register() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def _touched(session: Session) -> tuple[set[int], list[object]]:
    """Ids of the activities this flush changes, and objects whose id it has yet to give."""
    known: set[int] = set()
    later: list[object] = []
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, Activity):
            ident = instance.id
        elif isinstance(instance, LINKS):
            ident = instance.activity_id
        else:
            continue
        if ident is None:
            later.append(instance)
        else:
            known.add(ident)
    return known, later


def _before_flush(session: Session, flush_context, instances) -> None:
    known, later = _touched(session)
    if not known and not later:
        session.info.pop(_PENDING, None)
        return
    connection = session.connection()
    before = _contributions(connection, known)[0] if known else {}
    session.info[_PENDING] = (known, later, before)


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    known, later, before = pending
    ids = known | {
        instance.id if isinstance(instance, Activity) else instance.activity_id
        for instance in later
    }
    ids.discard(None)
    connection = session.connection()
    after, masks = _contributions(connection, ids, with_masks=True)
    _store_masks(session, connection, masks)
    delta = {
        key: tuple(
            new - old
            for new, old in zip(after.get(key, (0, 0)), before.get(key, (0, 0)), strict=False)
        )
        for key in after.keys() | before.keys()
    }
    # A school's school-year row is kept even when its count does not change (a report
    # moved from one day to another): its day bits may, and it is locked in key order.
    apply(
        connection,
        {
            key: values
            for key, values in delta.items()
            if any(values) or (key[0] is REACH and key[1][1] == YEAR)
        },
    )


def _contributions(
    connection: Connection, ids: set[int], with_masks: bool = False
) -> tuple[Contribution, dict[int, tuple[int, int, int, int]]]:
    """What the activities ``ids`` add to the summaries, as the database has them now.

    With ``with_masks``, also (stored pillar mask, stored language mask, pillar mask and
    language mask of the links) of each activity.
    """
    rows = connection.execute(
        select(
            Activity.id,
            Activity.status,
            Activity.country_code,
            Activity.region_code,
            Activity.type,
            Activity.starts_at,
            Activity.pillar_mask,
            Activity.language_mask,
            *(getattr(Activity, column) for column in PARTICIPANT_COLUMNS),
        ).where(Activity.id.in_(ids))
    ).all()
    pillars = _links(connection, ActivityPillar.pillar_code, ids)
    masks: dict[int, tuple[int, int, int, int]] = {}
    if with_masks:
        languages = _links(connection, ActivityLanguage.language, ids)
        for row in rows:
            masks[row.id] = (
                row.pillar_mask,
                row.language_mask,
                mask(PILLAR_BITS, pillars.get(row.id, ())),
                mask(LANGUAGE_BITS, languages.get(row.id, ())),
            )
    held = [row for row in rows if row.status == ActivityStatus.HELD]
    if not held:
        return {}, masks
    zones = {
        code: ZoneInfo(name)
        for code, name in connection.execute(select(Country.code, Country.timezone))
    }
    reached = _reached(connection, {row.id for row in held})
    total: Contribution = {}
    for row in held:
        spans = spans_of(row.starts_at.astimezone(zones[row.country_code]).date())
        people = sum(getattr(row, column) or 0 for column in PARTICIPANT_COLUMNS)
        place = (row.country_code, spans, row.region_code)
        _add(total, HELD, place, row.type, (1, people))
        for code in pillars.get(row.id, ()):
            _add(total, PILLARS, place, code, (1,))
        for school in reached.get(row.id, ()):
            _add(total, REACH, place, school, (1,))
            _add(total, REACH, (row.country_code, spans, WHOLE_COUNTRY), school, (1,))
    return dict(total), masks


def _add(total: Contribution, table: Table, place: tuple, last, values: tuple[int, ...]) -> None:
    """Add ``values`` to the rows of every span of ``table`` that ``place`` lies in."""
    country, spans, region = place
    for span in SPANS[table]:
        key = (table, (country, span, spans[span], region, last))
        before = total.get(key, (0,) * len(values))
        total[key] = tuple(a + b for a, b in zip(before, values, strict=True))


def _links(connection: Connection, column, ids: set[int]) -> dict[int, list[str]]:
    table = column.class_
    found: dict[int, list[str]] = defaultdict(list)
    for ident, code in connection.execute(
        select(table.activity_id, column).where(table.activity_id.in_(ids))
    ):
        found[ident].append(code)
    return found


def _reached(connection: Connection, ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for ident, school_id, school_name in connection.execute(
        select(ActivityReach.activity_id, ActivityReach.school_id, ActivityReach.school_name).where(
            ActivityReach.activity_id.in_(ids)
        )
    ):
        found[ident].append(reached_key(school_id, school_name))
    return found


def _store_masks(session: Session, connection: Connection, masks) -> None:
    table = Activity.__table__
    changed = [
        {"ident": ident, "pillars": pillars, "languages": languages}
        for ident, (stored_p, stored_l, pillars, languages) in masks.items()
        if (stored_p, stored_l) != (pillars, languages)
    ]
    if not changed:
        return
    connection.execute(
        update(table)
        .where(table.c.id == bindparam("ident"))
        .values(
            pillar_mask=bindparam("pillars"),
            language_mask=bindparam("languages"),
            updated_at=table.c.updated_at,  # derived data: not a change by anyone
        ),
        changed,
    )
    for row in changed:
        instance = session.identity_map.get(identity_key(Activity, row["ident"]))
        if instance is not None:
            set_committed_value(instance, "pillar_mask", row["pillars"])
            set_committed_value(instance, "language_mask", row["languages"])


def apply(connection: Connection, delta: Contribution) -> None:
    """Add ``delta`` to the summary rows, dropping rows that fall to zero activities, and
    set the day bits of the school-year rows of schools reached again from their days."""
    by_table: dict[Table, list[tuple[tuple, tuple[int, ...]]]] = defaultdict(list)
    for (table, key), values in delta.items():
        by_table[table].append((key, values))
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for table in SUMMARIES:  # one order of tables and keys: concurrent writers never deadlock
        entries = sorted(by_table.get(table, ()), key=lambda entry: entry[0])
        if not entries:
            continue
        keys = [column.name for column in table.primary_key.columns]
        counters = [
            column.name
            for column in table.columns
            if not column.primary_key and column.name not in DAY_BITS
        ]
        statement = dialect.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + statement.excluded[name] for name in counters},
        ).returning(*table.primary_key.columns, *(table.c[name] for name in counters))
        results = connection.execute(
            statement,
            [
                dict(zip(keys, key, strict=True)) | dict(zip(counters, values, strict=True))
                for key, values in entries
            ],
        ).all()
        below_zero = [row for row in results if any(value < 0 for value in row[len(keys) :])]
        if below_zero:
            raise SummaryDrift.found(table, below_zero)
        connection.execute(
            delete(table).where(
                table.c.activities <= 0,
                tuple_(*table.primary_key.columns).in_([key for key, _values in entries]),
            )
        )
    _refresh_day_bits(
        connection, [key for table, key in delta if table is REACH and key[1] == YEAR]
    )


class SummaryDrift(Refused):
    """A summary counter would fall below zero: the summaries had drifted from the activity
    rows before this change (a write that bypassed the session). The change is refused and
    the drift logged; ``flask summaries check`` finds it, ``flask summaries rebuild`` repairs
    it."""

    reason = _l(
        "The dashboard figures are out of step with the activities, so this change was not "
        "saved. The administrators have been told; please try again later."
    )

    @classmethod
    def found(cls, table: Table, rows: list) -> SummaryDrift:
        logger.error(
            "summary drift: %s would fall below zero at %s; run flask summaries rebuild",
            table.name,
            [tuple(row) for row in rows[:10]],
        )
        return cls()


def _refresh_day_bits(connection: Connection, years: list[tuple]) -> None:
    """Day bits of the school-year rows ``years`` (keys of REACH), from their day rows.

    Runs after the upserts, which lock these rows: a concurrent writer of the same rows
    waits and then reads this transaction's days as well.
    """
    if not years:
        return
    c = REACH.c
    days: dict[tuple, set[int]] = {key: set() for key in years}
    by_year: dict[tuple[str, date], list[tuple]] = defaultdict(list)
    for country, _span, first, region, school in years:
        by_year[(country, first)].append((region, school))
    for (country, first), places in by_year.items():
        for region, school, day in connection.execute(
            select(c.region_code, c.school, c.day).where(
                c.country_code == country,
                c.span == DAY,
                c.day >= first,
                c.day < date(first.year + 1, 9, 1),
                tuple_(c.region_code, c.school).in_(places),
            )
        ):
            days[(country, YEAR, first, region, school)].add((day - first).days)
    connection.execute(
        update(REACH)
        .where(
            c.country_code == bindparam("k_country"),
            c.span == YEAR,
            c.day == bindparam("k_day"),
            c.region_code == bindparam("k_region"),
            c.school == bindparam("k_school"),
        )
        .values({name: bindparam(f"v_{name}") for name in DAY_BITS}),
        [
            {"k_country": key[0], "k_day": key[2], "k_region": key[3], "k_school": key[4]}
            | {f"v_{name}": value for name, value in zip(DAY_BITS, day_bits(found), strict=True)}
            for key, found in sorted(days.items())
        ],
    )
