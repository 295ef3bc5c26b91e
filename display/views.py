"""The lobby TV: its page, the zone snapshot it (re)loads, and the admin's media files."""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    send_from_directory,
)
from flask_babel import gettext
from sqlalchemy import select

from shared import media, signage, voice
from shared.models import Display
from shared.queue.sites import active_sites, default_site, get_site, site_by_slug
from shared.web.database import get_session
from shared.web.i18n import use_site_language

bp = Blueprint(
    "display", __name__, url_prefix="/display", template_folder="templates", static_folder="static"
)


def instance_path() -> str:
    return current_app.config["ANTRE"].instance_path


@bp.get("/zone/<int:zone>")
@bp.get("/")
def tv(zone: int | None = None):
    """The TV page for a zone (``/display/zone/1`` or ``/display/?zone=1``); else a chooser of
    the zones of one site (``/display/?site=<slug>``, or the only site), or of the sites."""
    session = get_session()
    zone = zone if zone is not None else request.args.get("zone")
    if zone is None:
        slug = request.args.get("site")
        sites = [site_by_slug(session, slug)] if slug else active_sites(session)
        if sites == [None]:
            abort(404, gettext("Unknown site."))
        if len(sites) != 1:
            return render_template("display/choose_site.html", sites=sites)
        displays = session.execute(
            select(Display).where(Display.site_id == sites[0].id).order_by(Display.id)
        ).scalars()
        return render_template("display/choose.html", site=sites[0], displays=list(displays))
    display = signage.get_display(session, zone)
    use_site_language(display.site)
    return render_template("display/tv.html", display=display)


@bp.get("/api/state")
def state():
    """The zone's snapshot: the same data the Socket.IO events update, with their seqs."""
    session = get_session()
    snapshot = signage.build_zone_state(
        session, signage.get_display(session, request.args.get("zone"))
    )
    site = snapshot["site"]["slug"]
    snapshot["zone"]["voice"]["server"] = voice.server_voice(instance_path(), site)
    snapshot["zone"]["voice"]["server_english"] = voice.espeak_path() is not None
    response = jsonify(snapshot)
    response.cache_control.no_store = True
    return response


@bp.get("/media/<path:filename>")
def media_file(filename: str):
    """A file the admin uploaded for a display: only names a display lists (generated at upload)
    and of the types the upload accepts (shared.media), never any other file of the folder."""
    kind = media.type_of_name(filename, media.TV_MEDIA)
    listed = filename in {
        name for d in get_session().execute(select(Display)).scalars() for name in d.media or []
    }
    if kind is None or not listed:
        abort(404)
    response = send_from_directory(
        Path(instance_path()) / "media", filename, mimetype=kind.mime, max_age=3600
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/logo/site/<int:site_id>")
def site_logo(site_id: int):
    """A site's logo for the TV's header, by the image id the site names."""
    return _logo(get_site(get_session(), site_id).logo_image_id)


@bp.get("/logo/mall")
def mall_logo():
    """The first site's logo: the address of one-site installations before sites existed."""
    return _logo(default_site(get_session()).logo_image_id)


def _logo(image_id: int | None):
    image = media.servable_image(get_session(), image_id)
    if image is None:
        abort(404)
    response = send_file(io.BytesIO(image.data), mimetype=image.content_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
