"""Recording events for webhooks, in the transaction of the change (a rollback sends nothing).

One call per change, from where each change already passes: ``publishing.ticket_changed``
(tickets), the booking module (bookings) and the survey module (answers). The subscribed
webhooks are read every time (nothing cached across requests, so a webhook added or disabled
counts at once). The stored payload has everything but the delivery's id: the body is built at
delivery time with the outbox message's ``uid``, so every retry is recognisably the same.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import config_cache, timeutil
from shared.models import Booking, Site, SurveyResponse, Ticket, Webhook
from shared.outbox import enqueue
from shared.queue.pathways import step_of
from shared.queue.payloads import iso

KIND = "webhook"
# The queue's actions that integrators hear of, and the event each becomes.
TICKET_EVENTS = {
    "issue": "ticket.issued",
    "call": "ticket.called",
    "recall": "ticket.called",
    "finish": "ticket.finished",
    "transfer": "ticket.transferred",
    "no_show": "ticket.no_show",
}
SCORES = tuple(f"u{n}" for n in range(1, 10))


def subscribed(session: Session, site_id: int, name: str) -> list[Webhook]:
    """The site's active webhooks subscribed to ``name``; an event no webhook of the site wants
    (every event, where there are none) is answered from what the process keeps of the site's
    configuration, without a statement (shared/config_cache.py)."""

    def read() -> list[Webhook]:
        return list(
            session.execute(
                select(Webhook).where(Webhook.site_id == site_id, Webhook.active.is_(True))
            ).scalars()
        )

    read_now: list[Webhook] = []

    def wanted() -> frozenset[str]:
        read_now.extend(read())
        return frozenset(name for webhook in read_now for name in (webhook.events or []))

    if name not in config_cache.kept(session, site_id, "webhook events", wanted):
        return []
    active = read_now or read()
    return [webhook for webhook in active if name in (webhook.events or [])]


def record_event(
    session: Session,
    site_id: int,
    name: str,
    data: dict,
    *,
    key: str,
    personal: dict | None = None,
    now: datetime | None = None,
    webhooks: list[Webhook] | None = None,
) -> int:
    """One outbox message per active webhook of the site subscribed to ``name`` (``webhooks``
    when the caller has just read them); ``personal`` goes in only for a webhook whose admin
    ticked it; ``now``: when the change happened. How many messages were written."""
    if webhooks is None:
        webhooks = subscribed(session, site_id, name)
    if not webhooks:
        return 0
    site = session.get(Site, site_id)
    occurred = iso(now or timeutil.now_utc())
    for webhook in webhooks:
        body = dict(data)
        if webhook.include_personal_data and personal:
            body["personal"] = personal
        payload = {"event": name, "site": site.slug, "occurred_at": occurred, "data": body}
        payload["host"] = urlsplit(webhook.url).hostname  # the rate limit's provider
        enqueue(
            session,
            KIND,
            payload,
            site_id=site_id,
            key=f"webhook:{webhook.id}:{key}",
            ref=("webhook", webhook.id),
        )
    return len(webhooks)


def _ticket_data(session: Session, ticket: Ticket) -> dict:
    """The ticket as an integrator sees it: no names, phones, NIK or card numbers."""
    step = step_of(ticket.visit, ticket)
    counter = ticket.counter
    data = {
        "ticket": {
            "id": ticket.id,
            "number": ticket.display_number,
            "status": ticket.status,
            "priority": ticket.priority,
            "source": ticket.source,
            "business_date": ticket.business_date.isoformat(),
            "recall_count": ticket.recall_count,
            "issued_at": iso(ticket.issued_at),
            "called_at": iso(ticket.called_at),
            "started_at": iso(ticket.started_at),
            "finished_at": iso(ticket.finished_at),
        },
        "service": {"code": ticket.service.code, "name": ticket.service.name},
        "counter": {"number": counter.number, "name": counter.name} if counter else None,
        "step": {"position": step.position, "name": step.name} if step else None,
    }
    if ticket.transferred_from is not None:
        data["transferred_from"] = ticket.transferred_from.display_number
    return data


def _booking_personal(booking: Booking | None) -> dict | None:
    if booking is None or (not booking.name and not booking.phone):
        return None
    return {"name": booking.name, "phone": booking.phone}


def ticket_event(session: Session, ticket: Ticket, action: str, now: datetime) -> None:
    """Called by ``publishing.ticket_changed`` for every change of a ticket, made at ``now``."""
    name = TICKET_EVENTS.get(action)
    webhooks = subscribed(session, ticket.service.site_id, name) if name else []
    if not webhooks:
        return
    data = _ticket_data(session, ticket)
    if action == "transfer":
        new = session.execute(
            select(Ticket).where(Ticket.transferred_from_id == ticket.id).order_by(Ticket.id.desc())
        ).scalar()
        data["transferred_to"] = new.display_number if new else None
    booking = session.execute(select(Booking).where(Booking.ticket_id == ticket.id)).scalar()
    if booking is not None:  # (known once checked in: from the call on)
        data["booking_id"] = booking.id
    record_event(
        session,
        ticket.service.site_id,
        name,
        data,
        key=f"ticket:{ticket.id}",
        personal=_booking_personal(booking),
        now=now,
        webhooks=webhooks,
    )


def booking_event(session: Session, booking: Booking, name: str) -> None:
    """booking.made / booking.cancelled, from the booking module."""
    service = booking.service
    data = {
        "booking": {
            "id": booking.id,
            "status": booking.status,
            "day": booking.day.isoformat(),
            "start": booking.start,
            "end": booking.end,
            "payer": booking.payer,
            "created_at": iso(booking.created_at),
            "cancelled_at": iso(booking.cancelled_at),
        },
        "service": {"code": service.code, "name": service.name},
    }
    record_event(
        session,
        service.site_id,
        name,
        data,
        key=f"booking:{booking.id}",
        personal=_booking_personal(booking),
        now=booking.cancelled_at if name == "booking.cancelled" else booking.created_at,
    )


def survey_event(session: Session, ticket: Ticket, response: SurveyResponse) -> None:
    """survey.answered: the scores only (never the respondent's age, sex or free text)."""
    data = {
        **_ticket_data(session, ticket),
        "survey": {
            "channel": response.channel,
            "submitted_at": iso(response.submitted_at),
            "scores": {key: getattr(response, key) for key in SCORES},
        },
    }
    record_event(
        session,
        ticket.service.site_id,
        "survey.answered",
        data,
        key=f"ticket:{ticket.id}",
        now=response.submitted_at,
    )
