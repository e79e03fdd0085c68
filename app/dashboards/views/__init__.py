"""The dashboards pages."""

from flask import Blueprint

from app.dashboards.declaration import WHITE_SPOTS

bp = Blueprint("dashboards", __name__, template_folder="../templates", url_prefix="/dashboards")


@bp.app_template_global()
def spot_label(code: str) -> str:
    return str(WHITE_SPOTS[code])


from app.dashboards.views import report, routes  # noqa: E402, F401

#: The public open data of each country (no sign-in).
open_data_bp = Blueprint(
    "open_data", __name__, template_folder="../templates", url_prefix="/open-data"
)

from app.dashboards.views import open_data  # noqa: E402, F401
