from flask import Blueprint

bp = Blueprint(
    "display", __name__, url_prefix="/display", template_folder="templates", static_folder="static"
)


@bp.get("/")
def tv():
    return "display"
