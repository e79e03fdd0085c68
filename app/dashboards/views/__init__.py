"""The dashboards pages."""

from datetime import date

from babel.dates import format_date
from flask import Blueprint

from app.dashboards.declaration import WHITE_SPOTS

bp = Blueprint("dashboards", __name__, template_folder="../templates", url_prefix="/dashboards")


@bp.app_template_global()
def spot_label(code: str) -> str:
    return str(WHITE_SPOTS[code])


@bp.app_template_global()
def month_short(key: str) -> str:
    """A month ("2026-09") by its short name in the reader's language ("Sep", "Eyl")."""
    from app.core.i18n import current_locale

    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "LLL", locale=current_locale())


@bp.app_template_global()
def axis_ticks(top: int) -> list[int]:
    """The ticks of a count axis from 0 to a round number at least ``top`` (1, 2 or 5
    times a power of ten), with its middle where that is a whole number."""
    step = 1
    while step * 10 < top:
        step *= 10
    end = next(factor * step for factor in (1, 2, 5, 10) if factor * step >= max(top, 1))
    return [0, end // 2, end] if end % 2 == 0 else [0, end]


from app.dashboards.views import report, routes  # noqa: E402, F401

#: The public open data of each country (no sign-in).
open_data_bp = Blueprint(
    "open_data", __name__, template_folder="../templates", url_prefix="/open-data"
)

from app.dashboards.views import open_data  # noqa: E402, F401
