from flask import Blueprint

bp = Blueprint(
    "kiosk", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static"
)


@bp.get("/")
def home():
    return "kiosk"
