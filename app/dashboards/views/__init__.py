"""The dashboards pages."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__, template_folder="../templates", url_prefix="/dashboards")


@bp.app_template_global()
def spot_label(code: str) -> str:
    from app.dashboards.views.routes import SPOT_LABELS

    return str(SPOT_LABELS[code])


from app.dashboards.views import routes  # noqa: E402, F401
