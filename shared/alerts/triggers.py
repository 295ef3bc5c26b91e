"""When a citizen who asked is told: near their turn, at the call, at a new number.

Each alert is an outbox message written in the transaction of the change (shared/outbox), so a
rolled-back call alerts no one and a committed one is delivered even after a crash. The phone or
push subscription travels only in the outbox row, never in an event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.alerts.texts import render, template
from shared.models import AlertSubscription, Service, Site, Ticket
from shared.outbox import enqueue
from shared.queue.position import QueueHead
from shared.queue.states import WAITING
from shared.sql import plain_rows

KIND = "alert"
PLACED_KEY = "antre.placed"  # {service id: QueueHead} of this transaction's moved queues
CALLED = "alert_call"  # events.mark_dirty kind: tickets called (or recalled) in the transaction
# Built once: every change of a ticket asks (building cost more than running them).
_OF_VISIT = select(AlertSubscription).where(
    AlertSubscription.visit_id == bindparam("visit_id"), AlertSubscription.active.is_(True)
)
# The commit's read of subscriptions: those of the tickets just called, and of the waiting
# tickets at the heads just placed.
_AT_COMMIT = (
    select(AlertSubscription, Ticket)
    .join(Ticket, Ticket.visit_id == AlertSubscription.visit_id)
    .where(
        or_(
            Ticket.id.in_(bindparam("called", expanding=True)),
            and_(Ticket.id.in_(bindparam("near", expanding=True)), Ticket.status == WAITING),
        ),
        AlertSubscription.active.is_(True),
    )
)
# Whether there is any: most calls and placed heads have no subscriber, and this plain read
# (shared/sql.py) costs a fraction of building the objects; they are read when there is one.
_ANY_AT_COMMIT = _AT_COMMIT.with_only_columns(AlertSubscription.id).limit(1)


def _subscriptions(session: Session, visit_id: int) -> list[AlertSubscription]:
    return list(session.execute(_OF_VISIT, {"visit_id": visit_id}).scalars())


def _send(
    session: Session,
    subscription: AlertSubscription,
    key: str,
    ticket: Ticket,
    now: datetime,
    **values,
) -> None:
    site = session.get(Site, subscription.site_id)
    text = render(
        template(session, subscription.site_id, key, subscription.language),
        number=ticket.display_number,
        service=ticket.service.name,
        site=site.name,
        **values,
    )
    payload = {
        "event": key,
        "channel": subscription.channel,
        "to": subscription.phone,
        "push": {"endpoint": subscription.push_endpoint, "keys": subscription.push_keys}
        if subscription.channel == "push"
        else None,
        "text": text,
        "ticket": ticket.display_number,
        "link_path": f"/t/{ticket.code}",
        "language": subscription.language,
    }
    enqueue(
        session,
        KIND,
        payload,
        site_id=subscription.site_id,
        key=f"alert:{subscription.id}",  # one citizen's alerts arrive in the order written
        ref=("alert_subscription", subscription.id),
        now=now,
    )


def alert_ticket_change(session: Session, ticket: Ticket, action: str, now: datetime) -> None:
    """The call (and a recall): sent at the commit, read with those near their turn; a new
    number after a transfer or a pathway step."""
    if action in ("call", "recall"):
        events.mark_dirty(session, CALLED, ticket.id, at=now)  # a rollback forgets it
    elif action == "issue" and (ticket.transferred_from_id is not None or ticket.step is not None):
        for subscription in _subscriptions(session, ticket.visit_id):
            _send(session, subscription, "step", ticket, now)


def remember_placed(session: Session, service_id: int, placed: QueueHead) -> None:
    session.info.setdefault(PLACED_KEY, {})[service_id] = placed


def alert_at_commit(session: Session) -> None:
    """Before the commit: tell the tickets called in the transaction, and each subscribed waiting
    ticket now within its service's lead, in one read of their subscriptions (after a plain
    read that finds whether there is any).

    Only the queues' heads are placed (the window covers every service's lead), so only their
    tickets are looked at, however long the queue.
    """
    placed: dict[int, QueueHead] = session.info.pop(PLACED_KEY, {})
    near = [ticket_id for head in placed.values() for ticket_id in head.places]
    called = sorted(events.dirty(session, CALLED))
    if not near and not called:
        return
    wanted = {"called": called, "near": near}
    if plain_rows(session, _ANY_AT_COMMIT, wanted).first() is None:
        return
    rows = session.execute(_AT_COMMIT, wanted).all()
    now = events.changed_at(session) or timeutil.now_utc()
    for subscription, ticket in rows:
        if ticket.id in called:
            _send(session, subscription, "call", ticket, now, counter=ticket.counter.name)
            continue
        if subscription.near_sent_ticket_id == ticket.id:
            continue
        position = placed[ticket.service_id].of(ticket.id)
        lead = session.get(Service, ticket.service_id).alert_lead
        if position is None or position.people_ahead > lead:
            continue
        subscription.near_sent_ticket_id = ticket.id
        _send(session, subscription, "near", ticket, now, ahead=position.people_ahead)
