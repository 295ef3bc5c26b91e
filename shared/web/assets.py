"""Browser libraries installed from the npm registry (package.json), served locally: no CDN;
and the site icon."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory

# URL name -> file inside node_modules. Only these files are served.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "socket.io.min.js.map": "socket.io-client/dist/socket.io.min.js.map",
}

bp = Blueprint("vendor", __name__)


@bp.get("/static/vendor/<path:name>")
def vendor(name: str):
    relative = VENDOR_FILES.get(name)
    if relative is None:
        abort(404)
    root = Path(current_app.config["ANTRE"].node_modules)
    path = root / relative
    if not path.is_file():
        abort(404, f"{relative} is missing: run the setup command (npm ci)")
    response = send_from_directory(path.parent, path.name, max_age=86400)
    return response


@bp.get("/favicon.ico")
def favicon():
    """The mark browsers ask for on their own, on every page (pages link favicon.svg)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
