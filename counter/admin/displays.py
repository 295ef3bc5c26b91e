"""Displays (lobby TVs): the zone (agencies and counters shown), voice, and media to play.

Media files go to ``<instance>/media/<generated name>`` and are listed in ``Display.media``; the
display app serves only listed names, at /display/media/<name>. What is accepted (and served) is
shared.media.TV_MEDIA, judged by the file's content, not its name.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.access import site_object_or_404
from counter.admin import logos
from counter.admin.base import ENTITIES, Entity, agency_choices, register
from counter.admin.fields import Field
from counter.admin.views import edit_page
from counter.blueprint import bp
from counter.site_scope import current_site
from shared import media
from shared.audit import record_audit
from shared.models import Counter, Display
from shared.queue import publishing
from shared.queue.errors import DomainError
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.errors import error_response, translate

MEDIA_LIMIT = 50 * 1024 * 1024  # one video of a few minutes


def counter_choices():
    stmt = select(Counter).where(Counter.site_id == current_site().id).order_by(Counter.number)
    rows = get_session().execute(stmt).scalars()
    return [(c.id, f"{c.number} · {c.name}") for c in rows]


class Displays(Entity):
    key = "displays"
    title = _l("Displays")
    model = Display
    config_what = "displays"
    fields = [
        Field("name", _l("Name"), required=True, max_length=80),
        Field("agency_ids", _l("Agencies shown (none: all)"), kind="multi", choices=agency_choices),
        Field(
            "counter_ids", _l("Counters shown (none: all)"), kind="multi", choices=counter_choices
        ),
        Field("voice_enabled", _l("Announce calls by voice"), kind="bool"),
        Field("voice_repeat", _l("Times each call is spoken"), kind="int", minimum=1, maximum=3),
        Field("voice_english", _l("Also announce in English"), kind="bool"),
    ]
    columns = [(_l("Name"), "name"), (_l("Announce calls by voice"), "voice_enabled")]

    def new(self):
        display = super().new()  # of the site worked on
        display.media = []
        return display


def media_dir() -> Path:
    return Path(current_app.config["ANTRE"].instance_path) / "media"


UPLOAD_LIMITS = {
    "counter.upload_display_media": MEDIA_LIMIT,
    "counter.upload_logo": logos.UPLOAD_LIMIT,
}


def raise_upload_limit() -> None:
    """The app-wide limit is small (JSON and forms); the uploads alone may carry a file.

    Runs before CSRFProtect (which reads the form, and so the body) as an app-level hook.
    """
    limit = UPLOAD_LIMITS.get(request.endpoint or "")
    if limit:
        request.max_content_length = limit


@bp.post("/admin/displays/<int:display_id>/media")
@require_roles("admin")
def upload_display_media(display_id: int):
    display = site_object_or_404(Display, display_id)
    upload = request.files.get("file")
    try:
        kind = media.check_upload(
            upload.filename if upload else "",
            upload.stream if upload else io.BytesIO(),
            media.TV_MEDIA,
        )
    except DomainError as refused:
        entity = ENTITIES["displays"]
        return edit_page(entity, display, upload_error=translate(refused), status=refused.status)
    stored = secrets.token_hex(16) + kind.suffixes[0]  # never a name the uploader chose
    folder = media_dir()
    folder.mkdir(parents=True, exist_ok=True)
    upload.save(folder / stored)
    display.media = [*display.media, stored]
    _changed(display, "displays.media_add", stored)
    flash(gettext("Uploaded: %(name)s", name=upload.filename))
    return redirect(url_for("counter.admin_edit", key="displays", object_id=display.id))


@bp.post("/admin/displays/<int:display_id>/media/delete")
@require_roles("admin")
def delete_display_media(display_id: int):
    display = site_object_or_404(Display, display_id)
    name = request.form.get("name", "")
    if name not in display.media:
        return error_response(404, "not_found", gettext("Not found."))
    display.media = [m for m in display.media if m != name]
    still_used = any(
        name in d.media
        for d in get_session().execute(select(Display)).scalars()  # of any site: files are shared
        if d is not display
    )
    if not still_used:
        (media_dir() / name).unlink(missing_ok=True)
    _changed(display, "displays.media_remove", name)
    return redirect(url_for("counter.admin_edit", key="displays", object_id=display.id))


def _changed(display: Display, action: str, name: str) -> None:
    session = get_session()
    record_audit(session, current_user, action, "displays", display.id, {"file": name})
    publishing.config_changed(session, display.site_id, "displays", [display.id])
    session.commit()


register(Displays())
