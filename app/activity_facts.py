"""What is derived from activity rows, kept in step with them in the same transaction.

- ``pillar_mask`` and ``language_mask`` of an activity: the bits of its pillar and
  language links, so that list filters test a column instead of a subquery;
- the dashboard summaries (app.models.summary): held activities per country, local
  day and region, with their participants, pillars and the schools they reached.

Every ORM flush that touches activities or their links reads what those activities
contribute from the database before and after the flush and applies the difference
as upserts that add (so concurrent writers never overwrite each other's counts).
That covers every writer that goes through the session, however it changes the rows.
Bulk writes in Core (the demo generator) call :func:`rebuild` instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    Interval,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    literal,
    literal_column,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.database import UTCDateTime
from app.models import (
    PILLAR_CODES,
    Activity,
    ActivityLanguage,
    ActivityPillar,
    ActivityReach,
    Country,
    HeldDay,
    HeldPillarDay,
    ReachedDay,
)
from app.models.activity import PARTICIPANT_COLUMNS
from app.models.enums import LANGUAGES, ActivityStatus

PILLAR_BITS = {code: 1 << position for position, code in enumerate(PILLAR_CODES)}
LANGUAGE_BITS = {code: 1 << position for position, code in enumerate(LANGUAGES)}
LINKS = (ActivityPillar, ActivityLanguage, ActivityReach)
SUMMARIES: tuple[Table, ...] = (HeldDay.__table__, HeldPillarDay.__table__, ReachedDay.__table__)
_PENDING = "activity_facts"

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
    apply(connection, {key: values for key, values in delta.items() if any(values)})


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
    total: Contribution = defaultdict(lambda: (0,))
    for row in held:
        day = row.starts_at.astimezone(zones[row.country_code]).date()
        place = (row.country_code, day, row.region_code)
        people = sum(getattr(row, column) or 0 for column in PARTICIPANT_COLUMNS)
        key = (SUMMARIES[0], (*place, row.type))
        activities, participants = total.get(key, (0, 0))
        total[key] = (activities + 1, participants + people)
        for code in pillars.get(row.id, ()):
            key = (SUMMARIES[1], (*place, code))
            total[key] = (total[key][0] + 1,)
        for school in reached.get(row.id, ()):
            key = (SUMMARIES[2], (*place, school))
            total[key] = (total[key][0] + 1,)
    return dict(total), masks


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
    """Add ``delta`` to the summary rows, dropping rows that fall to zero activities."""
    by_table: dict[Table, list[tuple[tuple, tuple[int, ...]]]] = defaultdict(list)
    for (table, key), values in delta.items():
        by_table[table].append((key, values))
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for table, entries in by_table.items():
        keys = [column.name for column in table.primary_key.columns]
        counters = [column.name for column in table.columns if not column.primary_key]
        statement = dialect.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + statement.excluded[name] for name in counters},
        )
        connection.execute(
            statement,
            [
                dict(zip(keys, key, strict=True)) | dict(zip(counters, values, strict=True))
                for key, values in entries
            ],
        )
        connection.execute(
            delete(table).where(
                table.c.activities <= 0,
                tuple_(*table.primary_key.columns).in_([key for key, _values in entries]),
            )
        )


# --------------------------------------------------------------------------- from scratch


def rebuild(connection: Connection) -> None:
    """Replace the summaries with a fresh aggregation of the activity rows (set-based)."""
    for table in SUMMARIES:
        connection.execute(delete(table))
    span = connection.execute(
        select(func.min(Activity.starts_at), func.max(Activity.starts_at))
    ).one()
    if span[0] is None:
        return
    zones = dict(connection.execute(select(Country.code, Country.timezone)).all())
    offsets = zone_offsets(zones, span[0], span[1])
    day = _local_day(connection.dialect.name, offsets)
    held = and_(
        Activity.status == ActivityStatus.HELD,
        offsets.c.country_code == Activity.country_code,
        Activity.starts_at >= offsets.c.since,
        Activity.starts_at < offsets.c.until,
    )
    place = (Activity.country_code, day, Activity.region_code)
    people = sum(func.coalesce(getattr(Activity, column), 0) for column in PARTICIPANT_COLUMNS)
    school = case(
        (
            ActivityReach.school_id.is_not(None),
            literal("#") + cast(ActivityReach.school_id, String),
        ),
        else_=literal("=") + ActivityReach.school_name,
    )
    for table, extra, joined, counters in (
        (SUMMARIES[0], Activity.type, None, (func.count(), func.sum(people))),
        (SUMMARIES[1], ActivityPillar.pillar_code, ActivityPillar, (func.count(),)),
        (SUMMARIES[2], school, ActivityReach, (func.count(),)),
    ):
        query = select(*place, extra, *counters).select_from(Activity).join(offsets, held)
        if joined is not None:
            query = query.join(joined, joined.activity_id == Activity.id)
        query = query.group_by(*place, extra)
        connection.execute(insert(table).from_select([c.name for c in table.columns], query))


def rebuild_masks(connection: Connection) -> int:
    """Recompute every activity's masks from its links; returns how many changed."""
    changed = 0
    for column, link, code, bits in (
        (Activity.pillar_mask, ActivityPillar, ActivityPillar.pillar_code, PILLAR_BITS),
        (Activity.language_mask, ActivityLanguage, ActivityLanguage.language, LANGUAGE_BITS),
    ):
        value = (
            select(func.coalesce(func.sum(case(bits, value=code, else_=0)), 0))
            .where(link.activity_id == Activity.id)
            .scalar_subquery()
        )
        result = connection.execute(
            update(Activity.__table__)
            .where(column != value)
            .values({column.key: value, "updated_at": Activity.__table__.c.updated_at})
        )
        changed += result.rowcount
    return changed


def zone_offsets(zones: dict[str, str], first: datetime, last: datetime):
    """A CTE of (country_code, since, until, minutes): each country's UTC offset over time.

    Computed here with zoneinfo, so that SQLite (which has no time zones) and PostgreSQL
    place activities on the same local days.
    """
    rows = []
    for code, name in sorted(zones.items()):
        zone = ZoneInfo(name)
        for since, until, minutes in _intervals(
            zone, first - timedelta(days=1), last + timedelta(days=2)
        ):
            rows.append(
                select(
                    literal(code, String).label("country_code"),
                    literal(since, UTCDateTime()).label("since"),
                    literal(until, UTCDateTime()).label("until"),
                    literal(minutes, Integer).label("minutes"),
                )
            )
    return union_all(*rows).cte("zone_offset")


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    return int(moment.astimezone(zone).utcoffset().total_seconds() // 60)


def _intervals(zone: ZoneInfo, first: datetime, last: datetime):
    """(since, until, minutes) covering [first, last), a new interval at each change."""
    first = first.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since, minutes, cursor = first, _offset(zone, first), first
    while cursor < last:
        step = cursor + timedelta(days=1)
        if _offset(zone, step) != minutes:
            low, high = cursor, step  # the change lies in (low, high]: find its second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == minutes else (low, middle)
            yield since, high, minutes
            since, minutes = high, _offset(zone, high)
        cursor = step
    yield since, cursor, minutes


def _local_day(dialect: str, offsets):
    if dialect == "postgresql":
        shifted = (
            Activity.starts_at + literal_column("interval '1 minute'", Interval) * offsets.c.minutes
        )
        return cast(shifted, Date)
    return func.date(Activity.starts_at, func.printf("%+d minutes", offsets.c.minutes))
