"""Countries and their ISO 3166-2 subdivisions (loaded from pycountry)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db


class Country(db.Model):
    """A country the network works in. Its name comes from CLDR at render time."""

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(String(64))

    regions: Mapped[list[Region]] = relationship(
        back_populates="country", order_by="Region.code", cascade="all, delete-orphan"
    )


class Region(db.Model):
    """An ISO 3166-2 subdivision. ``name`` is the official (pycountry) name."""

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # e.g. TR-34, BE-VAN
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    name: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(64))
    #: Leaf subdivisions are the ones schools belong to and dashboards group by.
    is_leaf: Mapped[bool] = mapped_column(default=True)

    country: Mapped[Country] = relationship(back_populates="regions")
