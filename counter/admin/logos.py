"""The mall's and the agencies' logos: uploaded images only (see shared.media), kept in the
database and served by id; there is no field to type a path into."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from counter.admin.base import ENTITIES
from counter.admin.views import edit_page
from counter.blueprint import bp
from shared import media
from shared.audit import record_audit
from shared.queue import publishing
from shared.queue.errors import DomainError
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.errors import translate

HAS_LOGO = ("mall", "agencies")
UPLOAD_LIMIT = media.LOGO_LIMIT + 64 * 1024  # the image and the rest of the form


def _owner(key: str, object_id: int):
    entity = ENTITIES.get(key) if key in HAS_LOGO else None
    if entity is None:
        abort(404)
    obj = entity.load(get_session(), object_id)
    if obj is None:
        abort(404)
    return entity, obj


def _changed(entity, obj, old_id: int | None) -> None:
    session = get_session()
    media.drop_image_if_unused(session, old_id)
    details = {"logo": [old_id, obj.logo_image_id]}
    record_audit(session, current_user, f"{entity.key}.logo", entity.key, obj.id, details)
    site_id = entity.site_id_of(obj)
    publishing.config_changed(session, site_id, entity.config_what, [obj.id])
    session.commit()


@bp.post("/admin/<key>/<int:object_id>/logo")
@require_roles("admin")
def upload_logo(key: str, object_id: int):
    entity, obj = _owner(key, object_id)
    upload = request.files.get("file")
    try:
        image = media.store_image(
            get_session(),
            upload.filename if upload else "",
            upload.stream if upload else io.BytesIO(),
        )
    except DomainError as refused:
        get_session().rollback()
        return edit_page(entity, obj, upload_error=translate(refused), status=refused.status)
    old_id, obj.logo_image_id = obj.logo_image_id, image.id
    _changed(entity, obj, old_id)
    flash(gettext("Logo uploaded."))
    return redirect(url_for("counter.admin_edit", key=key, object_id=obj.id))


@bp.post("/admin/<key>/<int:object_id>/logo/delete")
@require_roles("admin")
def delete_logo(key: str, object_id: int):
    entity, obj = _owner(key, object_id)
    old_id, obj.logo_image_id = obj.logo_image_id, None
    _changed(entity, obj, old_id)
    flash(gettext("Logo removed."))
    return redirect(url_for("counter.admin_edit", key=key, object_id=obj.id))


@bp.get("/admin/images/<int:image_id>")
@require_roles("admin")
def admin_image(image_id: int):
    """The uploaded image itself, for the preview on the mall's and the agencies' pages."""
    image = media.servable_image(get_session(), image_id)
    if image is None:
        abort(404)
    response = send_file(io.BytesIO(image.data), mimetype=image.content_type, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
