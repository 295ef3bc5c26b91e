"""Who may see which report: admins everything, supervisors their agency, clerks themselves."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import Session

from shared.models import Agency, Counter, Service, StaffUser
from shared.reports import Scope
from shared.web.auth import require_agency

MODELS = {"agency": Agency, "service": Service, "counter": Counter, "clerk": StaffUser}


def default_scope() -> Scope:
    if current_user.role == StaffUser.ADMIN:
        return Scope("mall")
    if current_user.role == StaffUser.SUPERVISOR:
        return Scope("agency", current_user.agency_id)
    return Scope("clerk", current_user.id)


def scope_target(session: Session, scope: Scope):
    """The agency, service, counter or clerk the scope names (404 if it does not exist)."""
    if scope.kind == "mall":
        return None
    target = session.get(MODELS[scope.kind], scope.id)
    if target is None:
        abort(404)
    return target


def check_scope(session: Session, scope: Scope):
    """403 unless the signed-in user may read this scope; the target object otherwise."""
    target = scope_target(session, scope)
    role = current_user.role
    if role == StaffUser.ADMIN:
        return target
    if role == StaffUser.CLERK:
        # A clerk sees only their own figures: the clerk scope naming themselves.
        if scope.kind != "clerk" or scope.id != current_user.id:
            abort(403)
        return target
    if scope.kind == "mall":
        abort(403)
    agency_id = target.id if scope.kind == "agency" else target.agency_id
    require_agency(agency_id)
    return target


def scope_label(scope: Scope, target) -> str:
    if target is None:
        return ""
    if scope.kind == "counter":
        return f"{target.name} ({target.agency.short_name})"
    return target.name
