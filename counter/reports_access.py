"""Who may see which report: admins everything of their site (an installation admin, of every
site), supervisors their agency, clerks themselves. The "mall" scope is the site worked on
(counter.site_scope).

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
from counter.site_scope import current_site
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
    StaffUser.ADMIN: N_("Site admins see the reports of their own site."),
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
    refused = ReportForbidden(ALLOWED.get(role))
    if role == StaffUser.ADMIN:
        if target is not None and not current_user.can_manage_site(target_site_id(target)):
            raise refused
        return target
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


def target_site_id(target) -> int | None:
    """The site of a scope's agency, service, counter or clerk (each carries it)."""
    return target.site_id


def query_scope(scope: Scope, site_id: int) -> Scope:
    """The scope the figures are read for: "mall" is the site worked on, not every site."""
    return Scope("mall", site_id) if scope.kind == "mall" else scope


def scope_value(scope: Scope) -> str:
    return scope.kind if scope.id is None else f"{scope.kind}:{scope.id}"


def scope_options(session: Session) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes the signed-in user may read, by name, in groups: [(group, [(value, name)])]."""
    user = current_user
    if user.role == StaffUser.CLERK:
        return [(gettext(SCOPE_NAMES["clerk"]), [(f"clerk:{user.id}", user.name)])]
    agencies = select(Agency).order_by(Agency.display_order, Agency.id)
    agencies = agencies.where(Agency.site_id == current_site().id)
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
