"""Who may see which report: admins everything, supervisors their agency, clerks themselves.

The report page offers exactly these scopes, by name (:func:`scope_options`); a scope outside
them (typed into the address) answers a page saying what the user may see, not a bare 403.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter.reports_tables import SCOPE_NAMES
from shared.models import Agency, Counter, Service, StaffUser
from shared.queue.errors import N_, DomainError
from shared.reports import Scope
from shared.web.auth import may_manage_agency

MODELS = {"agency": Agency, "service": Service, "counter": Counter, "clerk": StaffUser}


class ReportForbidden(DomainError):
    status = 403
    code = "report_forbidden"
    message = N_("This report is outside what you may see.")


ALLOWED = {
    StaffUser.SUPERVISOR: N_(
        "Supervisors see the reports of their own agency: its services, counters and clerks."
    ),
    StaffUser.CLERK: N_("Clerks see their own figures only."),
}


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
    """ReportForbidden unless the signed-in user may read this scope; the target otherwise."""
    target = scope_target(session, scope)
    role = current_user.role
    if role == StaffUser.ADMIN:
        return target
    refused = ReportForbidden(ALLOWED.get(role))
    if role == StaffUser.CLERK:
        # A clerk sees only their own figures: the clerk scope naming themselves.
        if scope.kind != "clerk" or scope.id != current_user.id:
            raise refused
        return target
    if scope.kind == "mall":
        raise refused
    agency_id = target.id if scope.kind == "agency" else target.agency_id
    if not may_manage_agency(current_user, agency_id):
        raise refused
    return target


def scope_value(scope: Scope) -> str:
    return scope.kind if scope.id is None else f"{scope.kind}:{scope.id}"


def scope_options(session: Session) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes the signed-in user may read, by name, in groups: [(group, [(value, name)])]."""
    user = current_user
    if user.role == StaffUser.CLERK:
        return [(gettext(SCOPE_NAMES["clerk"]), [(f"clerk:{user.id}", user.name)])]
    agencies = select(Agency).order_by(Agency.display_order, Agency.id)
    if user.role != StaffUser.ADMIN:
        agencies = agencies.where(Agency.id == user.agency_id)
    agencies = list(session.execute(agencies).scalars())
    ids = [a.id for a in agencies]
    services = session.execute(
        select(Service)
        .join(Agency)
        .where(Service.agency_id.in_(ids))
        .order_by(Agency.display_order, Service.display_order, Service.id)
    ).scalars()
    counters = session.execute(
        select(Counter).where(Counter.agency_id.in_(ids)).order_by(Counter.number)
    ).scalars()
    clerks = session.execute(
        select(StaffUser)
        .where(StaffUser.agency_id.in_(ids), StaffUser.role == StaffUser.CLERK)
        .order_by(StaffUser.name)
    ).scalars()
    groups = []
    if user.role == StaffUser.ADMIN:
        groups.append((gettext(SCOPE_NAMES["mall"]), [("mall", gettext(SCOPE_NAMES["mall"]))]))
    groups += [
        (gettext(SCOPE_NAMES["agency"]), [(f"agency:{a.id}", a.name) for a in agencies]),
        (
            gettext(SCOPE_NAMES["service"]),
            [(f"service:{s.id}", f"{s.agency.short_name} · {s.name}") for s in services],
        ),
        (
            gettext(SCOPE_NAMES["counter"]),
            [(f"counter:{c.id}", f"{c.number} · {c.name}") for c in counters],
        ),
        (gettext(SCOPE_NAMES["clerk"]), [(f"clerk:{k.id}", k.name) for k in clerks]),
    ]
    return [(label, options) for label, options in groups if options]


def scope_label(scope: Scope, target) -> str:
    if target is None:
        return ""
    if scope.kind == "counter":
        return f"{target.name} ({target.agency.short_name})"
    return target.name
