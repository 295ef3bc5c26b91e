"""The admin pages of every entity: list, new, edit. Validation errors re-show the form (422)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from counter.access import MANAGERS
from counter.admin.base import ENTITIES, Entity
from counter.admin.fields import WEEKDAYS, hours_text, parse_form
from counter.admin.rows import rearrange
from counter.blueprint import bp
from shared import media
from shared.web.auth import require_roles
from shared.web.database import get_session


def _entity(key: str) -> Entity:
    entity = ENTITIES.get(key)
    if entity is None:
        abort(404)
    if not entity.allowed():
        abort(403)
    return entity


def _load(entity: Entity, object_id: int):
    obj = entity.load(get_session(), object_id)
    if obj is None:
        abort(404)
    if not entity.may_edit(obj):
        abort(403)
    return obj


def _form(
    entity: Entity, obj, *, errors=None, status=200, created=False, upload_error=None, form=None
):
    if form is None and errors:
        form = request.form
    return (
        render_template(
            "counter/admin/edit.html",
            entity=entity,
            obj=obj,
            fields=entity.form_fields(obj),
            errors=errors or {},
            form=form,
            creating=created,
            hours_text=hours_text,
            weekdays=WEEKDAYS,
            upload_error=upload_error,
            media_accept=media.accept_attribute(media.TV_MEDIA),
            image_accept=media.accept_attribute(media.IMAGES),
            image_kinds=media.labels(media.IMAGES),
            media_kinds=media.labels(media.TV_MEDIA),
        ),
        status,
    )


def edit_page(entity: Entity, obj, *, upload_error: str, status: int):
    """An object's page again, saying why its upload was refused."""
    return _form(entity, obj, status=status, upload_error=upload_error)


@bp.get("/admin/")
@require_roles(*MANAGERS)
def admin_home():
    allowed = [e for e in ENTITIES.values() if e.allowed()]
    return render_template("counter/admin/home.html", entities=allowed)


@bp.get("/admin/<key>/")
@require_roles(*MANAGERS)
def admin_list(key: str):
    entity = _entity(key)
    rows = entity.rows(get_session())
    if entity.single and rows:
        return redirect(url_for("counter.admin_edit", key=key, object_id=rows[0].id))
    return render_template("counter/admin/list.html", entity=entity, rows=rows)


@bp.route("/admin/<key>/new", methods=["GET", "POST"])
@require_roles(*MANAGERS)
def admin_new(key: str):
    entity = _entity(key)
    if entity.single:
        abort(404)
    obj = entity.new()
    if request.method == "GET":
        return _form(entity, None, created=True)
    return _submit(entity, obj, created=True)


@bp.route("/admin/<key>/<int:object_id>", methods=["GET", "POST"])
@require_roles(*MANAGERS)
def admin_edit(key: str, object_id: int):
    entity = _entity(key)
    obj = _load(entity, object_id)
    if request.method == "GET":
        return _form(entity, obj)
    return _submit(entity, obj, created=False)


def _submit(entity: Entity, obj, *, created: bool):
    session = get_session()
    fields = entity.form_fields(None if created else obj)
    rearranged = rearrange(fields, request.form)  # a row moved, added or removed: not saved yet
    if rearranged is not None:
        return _form(entity, None if created else obj, created=created, form=rearranged)
    values, errors = parse_form(fields, request.form)
    if not errors:
        errors = entity.check(session, None if created else obj, values)
    if errors:
        return _form(entity, None if created else obj, errors=errors, status=422, created=created)
    entity.save(session, obj, values, created=created)
    session.commit()
    flash(gettext("Saved: %(name)s", name=entity.describe(obj)))
    after = getattr(entity, "after_save", None)
    target = after(obj, created) if after else None
    return target or redirect(url_for("counter.admin_list", key=entity.key))


@bp.app_template_filter("attr_or_self")
def id_or_value(value):
    """A related object's id, or the value itself (multi-choice fields hold either)."""
    return getattr(value, "id", value)


@bp.post("/admin/<key>/<int:object_id>/delete")
@require_roles(*MANAGERS)
def admin_delete(key: str, object_id: int):
    entity = _entity(key)
    if not entity.deletable:
        abort(404)
    obj = _load(entity, object_id)
    name = entity.describe(obj)
    entity.delete(get_session(), obj)
    get_session().commit()
    flash(gettext("Deleted: %(name)s", name=name))
    return redirect(url_for("counter.admin_list", key=entity.key))
