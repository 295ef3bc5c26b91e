"""Issuing tickets at the kiosk (or counter) and transferring them to another service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared import rows, timeutil
from shared.audit import record_audit
from shared.models import Counter, Kiosk, PriorityGroup, Service, Site, StaffUser, Ticket, Visit
from shared.models.health import PAYERS
from shared.queue import errors, publishing, states
from shared.queue.availability import unavailability
from shared.queue.loading import desks_of
from shared.queue.ordering import REGULAR
from shared.queue.pathways import route_new_visit
from shared.queue.sites import get_site, offers_priority
from shared.queue.stepping import (
    bind_doctor_session,
    hold_booked_place,
    new_ticket,
    queue_at_step,
)

SOURCES = ("kiosk", "booking", "counter")


def _check_priority(session: Session, site: Site, priority: str) -> None:
    if priority == REGULAR:
        return
    group = session.get(PriorityGroup, priority)
    if group is None or not group.active or not offers_priority(site, priority):
        raise errors.InvalidPriority()


def issue_ticket(
    session: Session,
    service_id: int,
    *,
    priority: str = REGULAR,
    source: str = "kiosk",
    kiosk: Kiosk | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    check_availability: bool = True,
    boost: int = 1,
    queued_at: datetime | None = None,
    payer: str | None = None,
    doctor_session_id: int | None = None,
    place_held: bool = False,
    printer: bool = True,
) -> Ticket:
    """A new ticket, numbered atomically.

    ``idempotency_key`` is only stored: looking it up (under its lock) is ``take_ticket``'s part,
    done once there rather than again here.

    ``boost`` 0 and ``queued_at`` place it differently in its queue (a booked citizen's check-in).
    On a pathway, choosing a later step's service (a poli, with ``payer`` and a doctor's session)
    queues the visit at the first step and keeps the choice; a booking goes straight to it.
    ``place_held``: the booking already took its place in ``doctor_session_id``.
    ``printer`` False: the kiosk has none, so the ticket is written with nothing to print.
    """
    now = now or timeutil.now_utc()
    service = session.get(Service, service_id)
    if service is None or (kiosk is not None and kiosk.site_id != service.site_id):
        raise errors.NotFound(errors.N_("Unknown service."))
    if source not in SOURCES:
        raise errors.DomainError(errors.N_("Unknown ticket source."))
    site = get_site(session, service.site_id)
    _check_priority(session, site, priority)
    day = timeutil.business_date(now, site.timezone)
    if payer is not None and payer not in PAYERS:
        raise errors.DomainError(errors.N_("Unknown payer."))
    route = route_new_visit(session, service, payer=payer, direct=source == "booking")
    # The check below counts the open counters, as light values that the commit's count of the
    # new ticket's place reuses (loading.desks_of), read before the daily number's row is
    # locked (PostgreSQL holds that lock until the commit). Most tickets join far behind the
    # head: only an arrival near it makes the commit read the Counter objects its placing needs.
    if check_availability:
        for checked in dict.fromkeys((route.service, service)):
            desks = desks_of(session, checked)
            opened = sum(1 for desk in desks if desk.status == Counter.OPEN)
            reason = unavailability(session, site, checked, now, day, open_counters=opened)
            if reason is not None:
                raise reason
    visit = rows.new(
        Visit,
        business_date=day,
        created_at=now,
        pathway=route.pathway,
        payer=route.payer,
        plan=route.plan or None,
    )
    if doctor_session_id is not None and place_held:
        hold_booked_place(session, visit, service, doctor_session_id)
    elif doctor_session_id is not None:
        bind_doctor_session(session, visit, service, doctor_session_id)
    ticket = queue_at_step(
        session,
        visit,
        route.service,
        route.step,
        now,
        priority=priority,
        source=source,
        kiosk_id=kiosk.id if kiosk else None,
        idempotency_key=idempotency_key,
        status=states.WAITING,
        print_state="pending" if printer and (kiosk is not None or source == "kiosk") else "none",
        boost=boost,
        queued_at=queued_at or now,
    )
    if route.service.daily_quota is not None and ticket.number > route.service.daily_quota:
        raise errors.QuotaExhausted()  # the caller rolls back, which gives the number back
    rows.write_new(session, visit, ticket)  # the events below name their ids
    states.log_change(session, ticket, "issue", None, at=now)
    publishing.ticket_changed(session, ticket, "issue", now)
    return ticket


def transfer_ticket(
    session: Session,
    ticket: Ticket,
    target_service_id: int,
    *,
    actor: StaffUser | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Ticket:
    """End ``ticket`` as transferred and queue the same visit in another service."""
    now = now or timeutil.now_utc()
    target = session.get(Service, target_service_id)
    if target is None or not target.active or target.site_id != ticket.service.site_id:
        raise errors.NotFound(errors.N_("Unknown service."))
    if target.id == ticket.service_id:
        raise errors.NotTransferable()
    counter = ticket.counter
    ended = {"finished_at": ticket.finished_at or now}
    states.apply(
        session, ticket, "transfer", at=now, actor=actor, counter=counter, note=note, changes=ended
    )
    front = target.transfer_placement == "front"
    first_issued = min(t.issued_at for t in ticket.visit.tickets)
    new = new_ticket(
        session,
        target,
        ticket.visit,
        now,
        priority=ticket.priority,
        source=ticket.source,
        status=states.WAITING,
        boost=0 if front else 1,
        queued_at=now if front else first_issued,
        transferred_from=ticket,
        note=note,
    )
    rows.write_new(session, new)
    states.log_change(session, new, "issue", None, at=now, actor=actor, note=note)
    record_audit(
        session,
        actor,
        "ticket.transfer",
        "ticket",
        ticket.id,
        {"from": ticket.display_number, "to": new.display_number, "note": note},
        at=now,
    )
    publishing.ticket_changed(session, ticket, "transfer", now)
    publishing.ticket_changed(session, new, "issue", now)
    return new
