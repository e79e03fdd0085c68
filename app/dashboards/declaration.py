"""What a dashboard shows, declared once.

:data:`FIGURES` is the one list of a region's figures. It drives the key figures and the
region table of the page, the CSV/XLSX export, the API's answer and its OpenAPI schema,
the country total and the sortable columns; :class:`RegionFigures` is made from it. A
new figure is one entry here and, in :mod:`app.dashboards.figures`, the query that
computes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

WAITING_DAYS = 30
QUIET_MONTHS = 6

#: Kinds of figure: a count summed over regions, a moment (the latest wins), and the
#: activities held, counted per activity type (``held``) and exported per type.
COUNT, MOMENT, PER_TYPE = "count", "moment", "per_type"


@dataclass(frozen=True)
class Figure:
    name: str
    label: str  # the export's column header and the API's description
    column: str  # the region table's header
    card: str | None = None  # the label among the key figures; None: not a key figure
    kind: str = COUNT
    overview: bool = False  # shown on the admins' overview of all countries
    #: Known for any past moment, so compared with the same period a year earlier;
    #: False: known only as it is now.
    compared: bool = True


FIGURES: tuple[Figure, ...] = (
    Figure("schools", _l("Schools"), _l("Schools"), _l("Schools"), overview=True),
    Figure(
        "labelled", _l("eTwinning Schools"), _l("eTwinning Schools"), _l("Valid eTwinning Schools")
    ),
    Figure(
        "ambassadors",
        _l("Ambassador schools"),
        _l("Ambassadors"),
        _l("Ambassador schools"),
        overview=True,
    ),
    Figure(
        "activities",
        _l("Activities held"),
        _l("Activities"),
        _l("Activities held"),
        kind=PER_TYPE,
        overview=True,
    ),
    Figure(
        "participants", _l("Participants"), _l("Participants"), _l("Participants"), overview=True
    ),
    Figure("reached", _l("Schools reached"), _l("Reached"), _l("Schools reached")),
    Figure(
        "open_requests",
        _l("Open requests"),
        _l("Open requests"),
        _l("Open mentoring requests"),
        overview=True,
    ),
    Figure(
        "waiting_long",
        _l("Waiting over 30 days"),
        _l("Waiting > 30 days"),
        _l("Waiting over 30 days"),
    ),
    Figure(
        "active_matches",
        _l("Active mentorships"),
        _l("Active mentorships"),
        _l("Active mentorships"),
        overview=True,
    ),
    Figure(
        "free_capacity",
        _l("Free mentor places"),
        _l("Free places"),
        _l("Free mentor places"),
        compared=False,
    ),
    Figure("last_activity", _l("Last activity"), _l("Last activity"), kind=MOMENT),
)
KEY_FIGURES = tuple(figure for figure in FIGURES if figure.card is not None)
OVERVIEW = tuple(figure for figure in FIGURES if figure.overview)
SORTABLE = ("name", *(figure.name for figure in FIGURES))

WHITE_SPOTS = {
    "no_ambassador": _l("no ambassador school"),
    "no_recent_activity": _l("no activity in the last six months"),
    "waiting_requests": _l("mentoring requests waiting over 30 days"),
}
FUNNEL = {
    "requested": _l("Requested"),
    "proposed": _l("Mentor proposed"),
    "accepted": _l("Accepted"),
    "active": _l("Started"),
    "completed": _l("Completed"),
}


@dataclass
class Period:
    start: date
    end: date  # inclusive
    timezone: str = "UTC"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.timezone)
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


class _Region:
    """What every region's figures can say of themselves."""

    held: dict[str, int]
    pillars: dict[str, int]

    @property
    def activities(self) -> int:
        return sum(self.held.values())

    def white_spots(self, today: date) -> list[str]:
        spots = []
        if not self.ambassadors:
            spots.append("no_ambassador")
        quiet_since = today - timedelta(days=QUIET_MONTHS * 30)
        if self.last_activity is None or self.last_activity.date() < quiet_since:
            spots.append("no_recent_activity")
        if self.waiting_long:
            spots.append("waiting_requests")
        return spots

    def add(self, other: _Region) -> None:
        """Add ``other``'s figures to these (the country's total of its regions)."""
        for figure in FIGURES:
            if figure.kind == COUNT:
                setattr(self, figure.name, getattr(self, figure.name) + getattr(other, figure.name))
            elif figure.kind == MOMENT:
                mine, theirs = getattr(self, figure.name), getattr(other, figure.name)
                if theirs is not None and (mine is None or theirs > mine):
                    setattr(self, figure.name, theirs)
        for counts, more in ((self.held, other.held), (self.pillars, other.pillars)):
            for key, count in more.items():
                counts[key] = counts.get(key, 0) + count


def _field(figure: Figure) -> tuple:
    if figure.kind == MOMENT:
        return figure.name, datetime | None, field(default=None)
    return figure.name, int, field(default=0)


#: One region's figures (or the country's): ``code``, ``name``, a field per figure of
#: :data:`FIGURES` (the activities held per type in ``held``), and ``pillars``.
RegionFigures = make_dataclass(
    "RegionFigures",
    [
        ("code", str),
        ("name", str),
        *(_field(figure) for figure in FIGURES if figure.kind != PER_TYPE),
        ("held", dict, field(default_factory=dict)),
        ("pillars", dict, field(default_factory=dict)),
    ],
    bases=(_Region,),
)
RegionFigures.__module__ = __name__
