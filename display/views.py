"""The lobby TV: its page, the zone snapshot it (re)loads, and the admin's media files."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
)
from sqlalchemy import select

from shared import signage, voice
from shared.models import Display
from shared.web.database import get_session

bp = Blueprint(
    "display", __name__, url_prefix="/display", template_folder="templates", static_folder="static"
)
MEDIA_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".mp4", ".webm", ".ogv"}


def instance_path() -> str:
    return current_app.config["ANTRE"].instance_path


@bp.get("/zone/<int:zone>")
@bp.get("/")
def tv(zone: int | None = None):
    """The TV page for a zone (``/display/zone/1`` or ``/display/?zone=1``); else a chooser."""
    session = get_session()
    zone = zone if zone is not None else request.args.get("zone")
    if zone is None:
        displays = session.execute(select(Display).order_by(Display.id)).scalars().all()
        return render_template("display/choose.html", displays=displays)
    display = signage.get_display(session, zone)
    return render_template("display/tv.html", display=display)


@bp.get("/api/state")
def state():
    """The zone's snapshot: the same data the Socket.IO events update, with their seqs."""
    session = get_session()
    snapshot = signage.build_zone_state(
        session, signage.get_display(session, request.args.get("zone"))
    )
    snapshot["zone"]["voice"]["server"] = voice.server_voice(instance_path())
    snapshot["zone"]["voice"]["server_english"] = voice.espeak_path() is not None
    response = jsonify(snapshot)
    response.cache_control.no_store = True
    return response


@bp.get("/media/<path:filename>")
def media(filename: str):
    """Images and videos the admin uploaded (send_from_directory refuses ../ and the like)."""
    if Path(filename).suffix.lower() not in MEDIA_TYPES:
        abort(404)
    return send_from_directory(Path(instance_path()) / "media", filename, max_age=3600)
