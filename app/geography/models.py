"""Countries and their ISO 3166-2 subdivisions (pycountry with app.geography.overrides)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.school_years import Start, parse_start


class Country(db.Model):
    """A country the network works in. Its name comes from CLDR at render time."""

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(String(64))
    #: The first day of the country's school year, "MM-DD" (set by ``flask regions load``).
    school_year_start: Mapped[str] = mapped_column(
        String(5), default="09-01", server_default="09-01"
    )
    #: Bumped by every write to what the country's dashboards show (app.dashboards.freshness).
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Bumped by every write to what the country's public listings show (calendar, month
    #: view, feeds): any activity, planned ones too, and its schools and regions; for an
    #: activity that starts beyond the horizon, ``later_listing_version`` instead
    #: (app.geography.listing).
    listing_version: Mapped[int] = mapped_column(default=0, server_default="0")
    later_listing_version: Mapped[int] = mapped_column(default=0, server_default="0")

    regions: Mapped[list[Region]] = relationship(
        back_populates="country", order_by="Region.code", cascade="all, delete-orphan"
    )

    @property
    def year_start(self) -> Start:
        """The first day of the school year as (month, day), for app.core.school_years."""
        return parse_start(self.school_year_start)


class Region(db.Model):
    """An ISO 3166-2 subdivision. ``name`` is the official (pycountry) name."""

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # e.g. TR-34, BE-VAN
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    name: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(64))
    #: Leaf subdivisions are the ones schools belong to and dashboards group by.
    is_leaf: Mapped[bool] = mapped_column(default=True)
    #: ``current``; ``territory`` (schools may be there, dashboards leave it out) or
    #: ``abolished`` (kept for the schools still in it; see app.geography.overrides).
    status: Mapped[str] = mapped_column(String(16), default="current", server_default="current")

    country: Mapped[Country] = relationship(back_populates="regions")

    @classmethod
    def selectable(cls):
        """The regions a school, an activity or a mentor may be placed in."""
        return cls.is_leaf.is_(True) & (cls.status != "abolished")

    @classmethod
    def on_dashboard(cls):
        """The regions a country's dashboard, map and white spots group by."""
        return cls.is_leaf.is_(True) & (cls.status == "current")
