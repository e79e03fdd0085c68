"""What people read about matching, in their language: the facts behind a fit, the fit
on a scale of 100, and why a run left a request without a proposal."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.i18n import current_locale, language_name
from app.mentoring.enums import UnmatchedReason
from app.mentoring.models import UnmatchedRequest
from app.schools.enums import EducationLevel

REGION = {
    "same": lambda: _("Same region"),
    "served": lambda: _("Serves the school's region"),
    "online": lambda: _("Online, from another region"),
}


def fit_text(fit: float) -> str:
    return _("Fit: %(fit)s out of 100", fit=round(fit))


def facts(explanation: dict | None, waiting: bool = True) -> list[str]:
    """The facts of a pair in words, e.g. "Same region", "Both teach: Primary",
    "2 of 3 pillars", "Waiting 55 days" (nothing for a pair stored without facts);
    without ``waiting`` where the page already says how long the school has waited."""
    return [
        text
        for criterion, text, _points in criteria(explanation)
        if waiting or criterion != "waiting"
    ]


def criteria(explanation: dict | None) -> list[tuple[str, str, int | None]]:
    """(criterion, the fact in words, its points in the fit) for each fact of a pair: the
    points add up to the fit. Waiting has no points: it decides which requests are
    served first, not how well a pair fits."""
    explanation = explanation or {}
    if "fit" not in explanation:
        return []
    parts = explanation.get("parts") or {}
    said = []
    if explanation.get("region") in REGION:
        said.append(("region", REGION[explanation["region"]](), parts.get("region")))
    levels = explanation.get("levels") or []
    if levels:
        names = format_list([str(level_label(code)) for code in levels], locale=current_locale())
        said.append(("level", _("Both teach: %(levels)s", levels=names), parts.get("level")))
    elif explanation.get("levels_wanted"):
        said.append(("level", _("No education level in common"), parts.get("level")))
    else:
        said.append(("level", _("Any education level"), parts.get("level")))
    wanted = explanation.get("pillars_wanted") or 0
    if not wanted:
        said.append(("pillars", _("Any pillar"), parts.get("pillars")))
    else:
        covered = len(explanation.get("pillars") or [])
        text = ngettext(
            "%(covered)s of %(num)s pillar", "%(covered)s of %(num)s pillars", wanted,
            covered=covered,
        )  # fmt: skip
        said.append(("pillars", text, parts.get("pillars")))
    days = explanation.get("waiting_days") or 0
    if days:
        text = ngettext("Waiting %(num)s day", "Waiting %(num)s days", days)
        said.append(("waiting", text, None))
    return said


def level_label(code: str) -> str:
    try:
        return EducationLevel(code).label
    except ValueError:
        return code


def unmatched_reason(row: UnmatchedRequest) -> str:
    """Why the run left ``row.request`` without a proposal, in a sentence."""
    if row.reason is UnmatchedReason.LANGUAGE and row.request.languages:
        names = [language_name(code) for code in row.request.languages]
        languages = format_list(names, style="or", locale=current_locale())
        return _("No mentor speaks %(languages)s.", languages=languages)
    return str(row.reason.label)
