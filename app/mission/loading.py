"""Storing the five pillars from the mission texts in every language.

Idempotent: run again, it updates what changed and adds what is missing; it flushes and
leaves the commit to the caller.
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.core.i18n import LOCALES
from app.mission.models import PILLAR_CODES, Pillar, PillarText
from app.mission.texts import mission, short_label


def load_pillars() -> int:
    """Store the pillars' titles, paragraphs and short labels in every locale."""
    existing = {pillar.code: pillar for pillar in db.session.scalars(select(Pillar))}
    texts = {(t.pillar_code, t.locale): t for t in db.session.scalars(select(PillarText))}
    for position, code in enumerate(PILLAR_CODES, start=1):
        if code not in existing:
            existing[code] = Pillar(code=code, position=position)
            db.session.add(existing[code])
        existing[code].position = position
    db.session.flush()
    for locale in LOCALES:
        for section in mission(locale).pillars:
            text = texts.get((section.code, locale))
            if text is None:
                text = PillarText(pillar_code=section.code, locale=locale)
                db.session.add(text)
            text.title = section.title
            text.paragraph = section.paragraph
            text.short_label = short_label(section.code, locale)
    db.session.flush()
    return len(PILLAR_CODES)
