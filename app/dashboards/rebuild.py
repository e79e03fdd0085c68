"""The facts app.dashboards.facts keeps in step, computed again from scratch, set-based.

For bulk writes in Core that bypass the session (the demo generator), and as a repair
tool (``flask summaries rebuild``). Local days come from a table of each country's UTC
offsets over time, made with zoneinfo, so that SQLite (which has no time zones) and
PostgreSQL place activities on the same days as the flush hooks do in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    Interval,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    except_,
    func,
    insert,
    literal,
    literal_column,
    select,
    union_all,
    update,
)

from app.activities.enums import ActivityStatus
from app.activities.models import (
    PARTICIPANT_COLUMNS,
    Activity,
    ActivityLanguage,
    ActivityPillar,
    ActivityReach,
)
from app.core.database import UTCDateTime
from app.core.extensions import db
from app.core.transaction import command_transaction
from app.dashboards.facts import HELD, LANGUAGE_BITS, PILLAR_BITS, PILLARS, REACH, SPANS, SUMMARIES
from app.dashboards.models import BITS, DAY, DAY_BITS, MONTH, WHOLE_COUNTRY, YEAR
from app.geography.models import Country

summaries_cli = AppGroup("summaries", help="The dashboard summaries and the activity masks.")


@summaries_cli.command("rebuild")
@command_transaction
def rebuild_command() -> None:
    """Compute the summaries and masks again from the activity rows."""
    connection = db.session.connection()
    changed = rebuild_masks(connection)
    rebuild(connection)
    click.echo(f"Summaries rebuilt; {changed} activity masks corrected.")


@summaries_cli.command("check")
def check_command() -> None:
    """Compare the summaries and masks with a rebuild; exit 1 when they differ (drift)."""
    found = drift(db.session.connection())
    db.session.rollback()
    for name, (missing, extra) in found.items():
        if missing or extra:
            click.echo(
                f"{name}: {missing} rows of a rebuild missing or different, {extra} rows extra"
            )
    if any(missing or extra for missing, extra in found.values()):
        click.echo("Drift found: run flask summaries rebuild.", err=True)
        raise SystemExit(1)
    click.echo("Summaries and masks agree with a rebuild.")


def drift(connection: Connection) -> dict[str, tuple[int, int]]:
    """How far each summary is from a fresh rebuild: (rows of the rebuild missing or different
    in the table, rows of the table the rebuild lacks); ``masks``: (masks that differ, 0).

    Copies the summaries into temporary tables, then rebuilds inside a savepoint that it
    rolls back: nothing changes. The caller ends its transaction afterwards.
    """
    copies = {}
    for table in SUMMARIES:
        copy = Table(
            f"drift_{table.name}",
            MetaData(),
            *(Column(column.name, column.type.copy()) for column in table.columns),
            prefixes=["TEMPORARY"],
        )
        copy.create(connection)
        connection.execute(insert(copy).from_select(list(table.columns.keys()), select(table)))
        copies[table] = copy
    savepoint = connection.begin_nested()
    found = {"masks": (rebuild_masks(connection), 0)}
    rebuild(connection)
    for table, copy in copies.items():
        found[table.name] = tuple(
            connection.scalar(select(func.count()).select_from(except_(first, second).subquery()))
            for first, second in ((select(table), select(copy)), (select(copy), select(table)))
        )
    savepoint.rollback()
    for copy in copies.values():
        copy.drop(connection)
    return found


def rebuild(connection: Connection) -> None:
    """Replace the summaries with a fresh aggregation of the activity rows."""
    for table in SUMMARIES:
        connection.execute(delete(table))
    first, last = connection.execute(
        select(func.min(Activity.starts_at), func.max(Activity.starts_at))
    ).one()
    if first is None:
        return
    zones = dict(connection.execute(select(Country.code, Country.timezone)).all())
    offsets = zone_offsets(zones, first, last)
    held = and_(
        Activity.status == ActivityStatus.HELD,
        offsets.c.country_code == Activity.country_code,
        Activity.starts_at >= offsets.c.since,
        Activity.starts_at < offsets.c.until,
    )
    place = (
        Activity.country_code,
        literal(DAY),
        _local_day(connection, offsets),
        Activity.region_code,
    )
    people = sum(func.coalesce(getattr(Activity, column), 0) for column in PARTICIPANT_COLUMNS)
    school = case(
        (
            ActivityReach.school_id.is_not(None),
            literal("#") + cast(ActivityReach.school_id, String),
        ),
        else_=literal("=") + ActivityReach.school_name,
    )
    for table, last_key, joined, counters in (
        (HELD, Activity.type, None, (func.count(), func.sum(people))),
        (PILLARS, ActivityPillar.pillar_code, ActivityPillar, (func.count(),)),
        (REACH, school, ActivityReach, (func.count(),)),
    ):
        query = select(*place, last_key, *counters).select_from(Activity).join(offsets, held)
        if joined is not None:
            query = query.join(joined, joined.activity_id == Activity.id)
        query = query.group_by(*place, last_key)
        columns = [c.name for c in table.columns if c.name not in DAY_BITS]
        connection.execute(insert(table).from_select(columns, query))
        if table is REACH:
            _whole_country(connection)
        for span in SPANS[table][1:]:
            _roll_up(connection, table, span)


def _whole_country(connection: Connection) -> None:
    """The schools reached in each whole country on each day, from its regions' rows."""
    c = REACH.c
    query = (
        select(
            c.country_code, c.span, c.day, literal(WHOLE_COUNTRY), c.school, func.sum(c.activities)
        )
        .where(c.span == DAY)
        .group_by(c.country_code, c.span, c.day, c.school)
    )
    columns = ["country_code", "span", "day", "region_code", "school", "activities"]
    connection.execute(insert(REACH).from_select(columns, query))


def _roll_up(connection: Connection, table, span: str) -> None:
    """Rows of ``span`` as sums of the day rows."""
    start = _span_start(connection, span, table.c.day)
    keys = [c for c in table.primary_key.columns if c.name not in ("span", "day")]
    counters = [c for c in table.columns if not c.primary_key and c.name not in DAY_BITS]
    bits = _day_bits(connection, table.c.day, start) if span == YEAR else []
    query = (
        select(
            table.c.country_code,
            literal(span),
            start,
            *keys[1:],
            *(func.sum(c) for c in counters),
            *bits,
        )
        .where(table.c.span == DAY)
        .group_by(table.c.country_code, start, *keys[1:])
    )
    columns = [
        "country_code",
        "span",
        "day",
        *(c.name for c in keys[1:]),
        *(c.name for c in counters),
        *(DAY_BITS if bits else ()),
    ]
    connection.execute(insert(table).from_select(columns, query))


def _day_bits(connection: Connection, day, start) -> list:
    """SQL: the DAY_BITS columns of a school year, as sums of its days' bits (one row per
    day and school, so a sum is the union)."""
    if connection.dialect.name == "postgresql":
        index = cast(day - start, Integer)
    else:
        index = cast(func.julianday(day) - func.julianday(start), Integer)
    one = cast(literal(1), BigInteger)
    return [
        cast(
            func.sum(
                case(
                    (
                        and_(index >= part * BITS, index < (part + 1) * BITS),
                        one.op("<<")(index - part * BITS),
                    ),
                    else_=0,
                )
            ),
            BigInteger,
        )
        for part in range(len(DAY_BITS))
    ]


def _span_start(connection: Connection, span: str, day):
    """SQL: the first day of the month or school year (from 1 September) of ``day``."""
    postgres = connection.dialect.name == "postgresql"
    if span == MONTH:
        if postgres:
            return cast(func.date_trunc("month", day), Date)
        return func.date(day, "start of month")
    if postgres:  # YEAR
        eight_months = literal_column("interval '8 months'", Interval)
        return cast(func.date_trunc("year", day - eight_months) + eight_months, Date)
    return func.date(day, "start of month", "-8 months", "start of year", "+8 months")


def _local_day(connection: Connection, offsets):
    if connection.dialect.name == "postgresql":
        minute = literal_column("interval '1 minute'", Interval)
        return cast(Activity.starts_at + minute * offsets.c.minutes, Date)
    return func.date(Activity.starts_at, func.printf("%+d minutes", offsets.c.minutes))


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
    """A CTE of (country_code, since, until, minutes): each country's UTC offset over time."""
    rows = [
        select(
            literal(code, String).label("country_code"),
            literal(since, UTCDateTime()).label("since"),
            literal(until, UTCDateTime()).label("until"),
            literal(minutes, Integer).label("minutes"),
        )
        for code, name in sorted(zones.items())
        for since, until, minutes in _intervals(
            ZoneInfo(name), first - timedelta(days=1), last + timedelta(days=2)
        )
    ]
    return union_all(*rows).cte("zone_offset")


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    return int(moment.astimezone(zone).utcoffset().total_seconds() // 60)


def _at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _intervals(zone: ZoneInfo, first: datetime, last: datetime) -> Iterator[tuple]:
    """(since, until, minutes) covering [first, last), a new interval at each change."""
    first = first.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since, minutes, cursor = first, _offset(zone, first), first
    while cursor < last:
        step = cursor + timedelta(days=1)
        if _offset(zone, step) != minutes:
            # The change lies in (low, high]; zones change on whole seconds.
            low, high = int(cursor.timestamp()), int(step.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (
                    (middle, high) if _offset(zone, _at(middle)) == minutes else (low, middle)
                )
            high = _at(high)
            yield since, high, minutes
            since, minutes = high, _offset(zone, high)
        cursor = step
    yield since, cursor, minutes
