"""The eTwinning School mission text, kept verbatim per language in ``app/mission/data/``.

The five pillars are the last five headings of each text, in the order of
:data:`app.mission.models.PILLAR_CODES`; everything between the title and the first
pillar is the introduction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.mission.models import PILLAR_CODES

_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")

#: Two-to-four-word labels for badges and chart legends, translated in the catalogs.
SHORT_LABELS = {
    "shared_leadership": _l("Shared leadership"),
    "collaboration": _l("Collaboration"),
    "students_agents_of_change": _l("Students as agents of change"),
    "models_for_other_schools": _l("Models for other schools"),
    "inclusive_innovative": _l("Inclusive and innovative"),
}


@dataclass(frozen=True)
class PillarSection:
    code: str
    title: str
    paragraph: str


@dataclass(frozen=True)
class Mission:
    locale: str
    introduction: tuple[str, ...]
    pillars: tuple[PillarSection, ...]


def _paragraphs(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip()
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def parse_mission(text: str, locale: str) -> Mission:
    headings: list[tuple[int, str]] = []  # (line index, title)
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match:
            headings.append((index, match.group(2)))
    if len(headings) < len(PILLAR_CODES) + 1:
        raise ValueError(f"mission text {locale!r} has too few headings")
    pillar_headings = headings[-len(PILLAR_CODES) :]
    first_pillar_line = pillar_headings[0][0]
    intro_start = max(i for i, _ in headings if i < first_pillar_line)
    introduction = _paragraphs(lines[intro_start + 1 : first_pillar_line])
    sections = []
    bounds = [i for i, _ in pillar_headings] + [len(lines)]
    for code, (line_index, title), end in zip(
        PILLAR_CODES, pillar_headings, bounds[1:], strict=True
    ):
        paragraph = "\n\n".join(_paragraphs(lines[line_index + 1 : end]))
        sections.append(PillarSection(code=code, title=title, paragraph=paragraph))
    return Mission(locale=locale, introduction=tuple(introduction), pillars=tuple(sections))


@cache
def mission(locale: str) -> Mission:
    source = resources.files("app.mission").joinpath("data", f"{locale}.md")
    return parse_mission(source.read_text(encoding="utf-8"), locale)


def short_label(code: str, locale: str) -> str:
    with force_locale(locale):
        return str(SHORT_LABELS[code])
