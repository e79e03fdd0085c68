"""The five pillars of the eTwinning School mission, with their text per language."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db

PILLAR_CODES = (
    "shared_leadership",
    "collaboration",
    "students_agents_of_change",
    "models_for_other_schools",
    "inclusive_innovative",
)


class Pillar(db.Model):
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(unique=True)

    texts: Mapped[list[PillarText]] = relationship(
        back_populates="pillar", cascade="all, delete-orphan"
    )


class PillarText(db.Model):
    """Title and paragraph verbatim from the mission text, and a short label."""

    pillar_code: Mapped[str] = mapped_column(
        ForeignKey("pillar.code", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    paragraph: Mapped[str] = mapped_column(Text)
    short_label: Mapped[str] = mapped_column(String(64))

    pillar: Mapped[Pillar] = relationship(back_populates="texts")
