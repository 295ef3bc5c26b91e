"""What every administered entity has in common: scope, form, saving with audit and live reload.

Scope: rows of a model with a ``site_id`` are those of the site the admin works on
(counter.site_scope); one named by id must be of a site the user may manage, and a new one
belongs to the site worked on.

An entity module subclasses :class:`Entity` (fields, columns, who may see which rows) and adds
itself to ``ENTITIES``; :mod:`counter.admin.views` serves the list and edit pages for all of them.
"""

from __future__ import annotations

from datetime import date

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter.admin.fields import Field
from counter.site_scope import current_site
from shared.audit import record_audit
from shared.models import Agency, StaffUser
from shared.queue import publishing

ENTITIES: dict[str, Entity] = {}


def is_admin() -> bool:
    return current_user.is_authenticated and current_user.role == StaffUser.ADMIN


def agency_choices() -> list[tuple[int, str]]:
    from shared.web.database import get_session

    stmt = select(Agency).where(Agency.site_id == current_site().id)
    stmt = stmt.order_by(Agency.display_order, Agency.id)
    if not is_admin():
        stmt = stmt.where(Agency.id == current_user.agency_id)
    return [(a.id, a.short_name) for a in get_session().execute(stmt).scalars()]


class Entity:
    key = ""
    title: object = ""
    model: type = object
    fields: list[Field] = []
    columns: list[tuple[object, str]] = []  # (label, attribute)
    supervisors = False  # may supervisors manage their own agency's rows?
    single = False  # one row only (the mall): no list, no "new"
    deletable = False  # may rows be deleted (audited) from their edit page?
    config_what: str | None = None  # config.changed "what" for kiosks and TVs
    order_by = "id"
    list_template: str | None = None  # more on the list page (included with entity and rows)
    edit_template: str | None = None  # more on the edit page (included with entity and obj)

    def allowed(self) -> bool:
        return is_admin() or (self.supervisors and current_user.role == StaffUser.SUPERVISOR)

    def may_edit(self, obj) -> bool:
        return is_admin() or getattr(obj, "agency_id", None) == current_user.agency_id

    def rows(self, session: Session) -> list:
        stmt = select(self.model).order_by(getattr(self.model, self.order_by))
        if hasattr(self.model, "site_id"):
            stmt = stmt.where(self.model.site_id == current_site().id)
        if not is_admin() and hasattr(self.model, "agency_id"):
            stmt = stmt.where(self.model.agency_id == current_user.agency_id)
        return list(session.execute(stmt).scalars())

    def load(self, session: Session, object_id: int):
        """The row, if it is of a site the user may manage (else None: a 404)."""
        obj = session.get(self.model, object_id)
        if obj is not None and not current_user.can_manage_site(self.site_id_of(obj)):
            return None
        return obj

    def site_id_of(self, obj) -> int | None:
        return getattr(obj, "site_id", None)

    def delete(self, session: Session, obj) -> None:
        """Delete, audited with what the row held, and tell kiosks and TVs."""
        held = {f.name: self.audit_value(getattr(obj, f.name, None)) for f in self.fields}
        object_id = obj.id
        session.delete(obj)
        session.flush()
        details = {"deleted": held}
        record_audit(session, current_user, f"{self.key}.delete", self.key, object_id, details)
        if self.config_what:
            site_id = self.site_id_of(obj) or current_site().id
            publishing.config_changed(session, site_id, self.config_what, [object_id])

    def list_notice(self, rows: list) -> dict | None:
        """A warning above the list: {"id", "text", "link_key" (an entity), "link"}, or None."""
        return None

    def initial(self, field: Field) -> object:
        """A new object's value on its form: the model's column default, the one place it is
        set (so the first save of a new service does not fail on four empty numbers)."""
        table = getattr(self.model, "__table__", None)
        column = table.c.get(field.name) if table is not None else None
        default = column.default if column is not None else None
        return default.arg if default is not None and default.is_scalar else None

    def form_fields(self, obj) -> list[Field]:
        return self.fields

    def new(self) -> object:
        obj = self.model()
        if hasattr(self.model, "site_id"):
            obj.site_id = current_site().id
        return obj

    def check(self, session: Session, obj, values: dict) -> dict:
        """Errors that need the database (uniqueness and the like): {field: message}."""
        return {}

    def assign(self, session: Session, obj, values: dict) -> None:
        for name, value in values.items():
            setattr(obj, name, value)

    def describe(self, obj) -> str:
        return getattr(obj, "name", str(obj.id))

    def cell(self, obj, attribute: str) -> object:
        value = getattr(obj, attribute)
        if isinstance(value, bool):
            return "✓" if value else "–"
        return value

    def audit_value(self, value):
        if isinstance(value, list):
            return [getattr(v, "id", v) for v in value]
        if isinstance(value, date):
            return value.isoformat()  # the audit log is JSON
        return getattr(value, "id", value)

    def save(self, session: Session, obj, values: dict, *, created: bool) -> None:
        """Assign, audit the changed fields and tell kiosks and TVs to reload."""
        before = {name: self.audit_value(getattr(obj, name, None)) for name in values}
        if created:
            session.add(obj)
        self.assign(session, obj, values)
        session.flush()
        changes = {
            name: [before[name], self.audit_value(getattr(obj, name, None))]
            for name in values
            if name != "password" and before[name] != self.audit_value(getattr(obj, name, None))
        }
        action = f"{self.key}.{'create' if created else 'update'}"
        record_audit(session, current_user, action, self.key, obj.id, {"changes": changes})
        if self.config_what:
            site_id = self.site_id_of(obj) or current_site().id
            publishing.config_changed(session, site_id, self.config_what, [obj.id])


class CurrentSiteEntity(Entity):
    """Settings kept on the site row itself: the one row is the site worked on."""

    single = True

    def rows(self, session: Session) -> list:
        return [current_site()]

    def load(self, session: Session, object_id: int):
        site = current_site()
        return site if site.id == object_id else None

    def site_id_of(self, obj) -> int | None:
        return obj.id


def register(entity: Entity) -> Entity:
    ENTITIES[entity.key] = entity
    return entity
