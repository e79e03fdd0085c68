"""The five pillars of the mission in the requested language."""

from __future__ import annotations

from flask import jsonify

from app.core.api import bp
from app.core.api.spec import listing, operation, schema
from app.core.i18n import current_locale
from app.home.queries import short_labels
from app.mission.texts import mission

TEXT = {"type": "string"}
PILLAR = schema(
    "Pillar",
    {
        "code": TEXT,
        "title": {**TEXT, "description": "Verbatim from the mission text"},
        "paragraphs": {"type": "array", "items": TEXT},
        "short_label": TEXT,
    },
)
PILLARS = listing(PILLAR, paged=False)


@bp.get("/pillars")
@operation("/pillars", "get", "The five pillars of the mission", "Reference", PILLARS)
def pillars():
    locale = current_locale()
    labels = short_labels(locale)
    items = [
        {
            "code": section.code,
            "title": section.title,
            "paragraphs": [part for part in section.paragraph.split("\n\n") if part],
            "short_label": labels.get(section.code, section.title),
        }
        for section in mission(locale).pillars
    ]
    return jsonify({"items": items, "next": None})
