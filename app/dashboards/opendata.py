"""Open data: a country's activities held per region, type and pillar, per school year.

Published under CC BY 4.0 as a page, CSV and JSON, from the month rows of the summaries
(app.dashboards.models): two queries whatever the number of activities.

Small counts are suppressed, so that a count cannot point at one school or teacher:

- a count from 1 to ``SMALLEST - 1`` is not published (``activities`` is empty and
  ``suppressed`` true); zeros are published, as they say nothing of anyone;
- totals are the sums of the *published* counts only (``complete`` says whether any
  count in them was suppressed), so no suppressed count can be worked out from a total
  and the published counts: secondary suppression is not needed, and every published
  total adds up.

Pillar counts do not add up to the activities: an activity may serve several pillars.
The current school year is provisional: its counts grow as schools report activities.
A month counts in the school year its first day belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.activities.enums import ActivityType
from app.core.extensions import db
from app.core.school_years import Start, school_year_bounds, school_year_label, school_year_of
from app.dashboards.models import MONTH, HeldSummary, PillarSummary
from app.geography.models import Region
from app.mission.models import PILLAR_CODES

SMALLEST = 5  # the smallest count published
YEARS = 3  # school years published: the current one and the two before
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
TYPE, PILLAR, TOTAL = "type", "pillar", "total"
NOTES = (
    _l(
        "Counts from 1 to 4 are not published (activities is null, suppressed is true), so "
        "that no count points at a single school. Totals are sums of the published counts "
        "only (complete is false when they leave some out), so every total adds up."
    ),
    _l(
        "Figures of the current school year (provisional is true) grow as schools report "
        "their activities. An activity may serve several pillars, so the pillars do not add "
        "up to the activities."
    ),
)
COUNTRY_TOTAL = ""  # the region code of the country's totals
COLUMNS = (
    "school_year",
    "provisional",
    "region",
    "region_name",
    "dimension",
    "category",
    "activities",
    "suppressed",
    "complete",
)


@dataclass
class Cell:
    year: int
    provisional: bool
    region: str
    region_name: str
    dimension: str  # type, pillar or total
    category: str  # an activity type, a pillar code, or "activities" (total)
    activities: int | None  # None: suppressed
    suppressed: bool = False
    complete: bool = True  # a total with no suppressed count in it

    @property
    def school_year(self) -> str:
        return school_year_label(self.year)

    def row(self) -> dict:
        return {
            "school_year": self.school_year,
            "provisional": self.provisional,
            "region": self.region,
            "region_name": self.region_name,
            "dimension": self.dimension,
            "category": self.category,
            "activities": self.activities,
            "suppressed": self.suppressed,
            "complete": self.complete,
        }


def published(count: int) -> int | None:
    """A count as published: None when it is too small to publish."""
    return None if 0 < count < SMALLEST else count


def _counts(model, column, country: str, since: date, until: date):
    """(month, region, category) → activities, from the month rows."""
    return db.session.execute(
        select(model.day, model.region_code, column, func.sum(model.activities))
        .where(
            model.country_code == country,
            model.span == MONTH,
            model.day.between(since, until),
        )
        .group_by(model.day, model.region_code, column)
    ).all()


def statistics(country: str, start: Start, today: date, name=str) -> list[Cell]:
    """The cells of the last YEARS school years of ``country`` up to the current one,
    oldest first; ``name`` gives a region's name in the reader's language."""
    current = school_year_of(today, start)
    first = current - YEARS + 1
    since = date(first, start[0], 1)
    until = school_year_bounds(current, start)[1]
    regions = db.session.execute(
        select(Region.code, Region.name)
        .where(Region.country_code == country, Region.is_leaf.is_(True))
        .order_by(Region.code)
    ).all()
    counts: dict[tuple, int] = defaultdict(int)
    for dimension, model, column in (
        (TYPE, HeldSummary, HeldSummary.type),
        (PILLAR, PillarSummary, PillarSummary.pillar_code),
    ):
        for month, region, category, activities in _counts(model, column, country, since, until):
            category = category.value if isinstance(category, ActivityType) else str(category)
            year = school_year_of(month, (start[0], 1))
            counts[(year, region, dimension, category)] += int(activities)
    categories = {TYPE: [kind.value for kind in ActivityType], PILLAR: list(PILLAR_CODES)}
    cells: list[Cell] = []
    for year in range(first, current + 1):
        provisional = year == current
        by_category: dict[tuple[str, str], list[Cell]] = defaultdict(list)
        for code, official in regions:
            shown = name(official)
            types = []
            for dimension, kinds in categories.items():
                for category in kinds:
                    value = published(counts.get((year, code, dimension, category), 0))
                    cell = Cell(
                        year, provisional, code, shown, dimension, category, value,
                        suppressed=value is None,
                    )  # fmt: skip
                    cells.append(cell)
                    by_category[(dimension, category)].append(cell)
                    if dimension == TYPE:
                        types.append(cell)
            cells.append(_total(year, provisional, code, shown, TOTAL, types))
        country = {
            key: _total(year, provisional, COUNTRY_TOTAL, "", key[0], parts, key[1])
            for key, parts in by_category.items()
        }
        cells.extend(country.values())
        types = [cell for (dimension, _c), cell in country.items() if dimension == TYPE]
        cells.append(_total(year, provisional, COUNTRY_TOTAL, "", TOTAL, types))
    return cells


def _total(
    year: int,
    provisional: bool,
    region: str,
    shown: str,
    dimension: str,
    parts: list[Cell],
    category: str = "activities",
) -> Cell:
    """The sum of the published counts of ``parts``."""
    return Cell(
        year,
        provisional,
        region,
        shown,
        dimension,
        category,
        sum(part.activities or 0 for part in parts),
        complete=all(not part.suppressed and part.complete for part in parts),
    )
