from flask import Blueprint

bp = Blueprint(
    "counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static"
)


@bp.get("/")
def index():
    return "counter"
