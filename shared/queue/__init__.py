"""The queue's rules, as functions that take a session, flush, and never commit.

Views and commands call these, commit once, and answer. Events are recorded here and published
by shared.events after the commit.
"""

from shared.queue.availability import ServiceStatus, service_status, unavailability
from shared.queue.calling import active_ticket, call_next, call_ticket, recall_ticket
from shared.queue.counters import set_counter_status
from shared.queue.errors import DomainError
from shared.queue.issuing import issue_ticket, transfer_ticket
from shared.queue.ordering import interleave, service_order
from shared.queue.position import (
    Position,
    is_expired,
    latest_in_visit,
    queue_positions,
    ticket_position,
)
from shared.queue.serving import (
    cancel_ticket,
    finish_ticket,
    mark_no_show,
    reactivate_ticket,
    start_ticket,
)

__all__ = [
    "DomainError",
    "Position",
    "is_expired",
    "latest_in_visit",
    "queue_positions",
    "ticket_position",
    "ServiceStatus",
    "active_ticket",
    "call_next",
    "call_ticket",
    "cancel_ticket",
    "finish_ticket",
    "interleave",
    "issue_ticket",
    "mark_no_show",
    "reactivate_ticket",
    "recall_ticket",
    "service_order",
    "service_status",
    "set_counter_status",
    "start_ticket",
    "transfer_ticket",
    "unavailability",
]
