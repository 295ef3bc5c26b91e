"""The console's JSON actions. Each parses, checks the agency, calls one domain function, commits
once and answers with the resulting state, so a retried request never does the work twice."""

from __future__ import annotations

from flask import abort, current_app, jsonify
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from counter import snapshots
from counter.access import (
    STAFF,
    counter_for_user,
    int_field,
    json_body,
    text_field,
    ticket_for_user,
)
from counter.blueprint import bp
from shared import queue, timeutil
from shared.models import Agency, Counter, Service
from shared.queue.retries import perform_once
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.errors import error_response


def _answer(counter: Counter | None, ticket, performed: bool = True, **extra):
    session = get_session()
    now = timeutil.now_utc()
    return jsonify(
        {
            "ticket": snapshots.ticket_view(ticket, now) if ticket is not None else None,
            "counter": snapshots.counter_view(session, counter) if counter is not None else None,
            "performed": performed,
            **extra,
        }
    )


@bp.get("/api/counters/<int:counter_id>")
@require_roles(*STAFF)
def counter_snapshot(counter_id: int):
    counter = counter_for_user(counter_id)
    return jsonify(snapshots.console_snapshot(get_session(), counter))


@bp.post("/api/counters/<int:counter_id>/call-next")
@require_roles(*STAFF)
def call_next(counter_id: int):
    body = json_body()
    counter = counter_for_user(counter_id)
    request_id = text_field(body, "request_id", limit=64) or None
    ticket = queue.call_next(get_session(), counter, current_user, request_id=request_id)
    get_session().commit()
    return _answer(counter, ticket, performed=ticket is not None)


@bp.post("/api/counters/<int:counter_id>/status")
@require_roles(*STAFF)
def counter_status(counter_id: int):
    body = json_body()
    counter = counter_for_user(counter_id)
    status, reason = text_field(body, "status", 10), text_field(body, "reason", 120)
    if status == Counter.PAUSED and not reason:
        return error_response(422, "reason_required", gettext("Give a reason for the break."))
    queue.set_counter_status(get_session(), counter, status, current_user, reason=reason)
    get_session().commit()
    return _answer(counter, queue.active_ticket(get_session(), counter))


def _call(session, ticket, body):
    counter = counter_for_user(int_field(body, "counter_id"))
    if ticket.counter_id not in (None, counter.id):
        return queue.call_ticket(session, counter, ticket, current_user), True  # raises
    return perform_once(
        session, ticket, "call", lambda: queue.call_ticket(session, counter, ticket, current_user)
    )


def _recall(session, ticket, body):
    seen = int_field(body, "recall_count", required=False)
    return perform_once(
        session,
        ticket,
        "recall",
        lambda: queue.recall_ticket(session, ticket, current_user),
        seen_recalls=seen,
    )


def _transfer(session, ticket, body):
    target = int_field(body, "service_id")
    note = text_field(body, "note")
    return perform_once(
        session,
        ticket,
        "transfer",
        lambda: queue.transfer_ticket(session, ticket, target, actor=current_user, note=note),
    )


def _simple(action: str, function, **options):
    def handle(session, ticket, body):
        kwargs = {"note": text_field(body, "note")} if options.get("note") else {}
        return perform_once(
            session, ticket, action, lambda: function(session, ticket, current_user, **kwargs)
        )

    return handle


ACTIONS = {
    "call": _call,
    "recall": _recall,
    "start": _simple("start", queue.start_ticket),
    "finish": _simple("finish", queue.finish_ticket, note=True),
    "no-show": _simple("no_show", queue.mark_no_show),
    "cancel": _simple("cancel", queue.cancel_ticket, note=True),
    "reactivate": _simple("reactivate", queue.reactivate_ticket),
    "transfer": _transfer,
}


@bp.post("/api/tickets/<int:ticket_id>/<action>")
@require_roles(*STAFF)
def ticket_action(ticket_id: int, action: str):
    handler = ACTIONS.get(action)
    if handler is None and action != "reprint":
        abort(404)
    body = json_body()
    ticket = ticket_for_user(ticket_id)
    if action == "reprint":
        return _reprint(ticket)
    session = get_session()
    counter = ticket.counter
    result, performed = handler(session, ticket, body)
    session.commit()
    return _answer(counter or result.counter, result, performed)


def _reprint(ticket):
    from shared.printing import problem_of, reprint_ticket

    session = get_session()
    result = reprint_ticket(session, ticket, current_app.config["ANTRE"])
    session.commit()
    if not result.ok:  # why, in the clerk's words; the technical detail is in ticket.print_error
        why = gettext(problem_of(result))
        message = gettext("The ticket could not be printed: %(error)s", error=why)
        return error_response(502, "print_failed", message)
    return _answer(ticket.counter, ticket, print={"ok": True})


@bp.get("/api/services")
@require_roles(*STAFF)
def services():
    """Every active service of every agency: the targets of a transfer."""
    stmt = (
        select(Service)
        .join(Agency)
        .where(Service.active, Agency.active)
        .order_by(Agency.display_order, Agency.id, Service.display_order, Service.id)
    )
    rows = get_session().execute(stmt).scalars()
    return jsonify(
        {
            "services": [
                {
                    "id": s.id,
                    "name": s.name,
                    "prefix": s.prefix,
                    "agency_id": s.agency_id,
                    "agency": s.agency.short_name,
                }
                for s in rows
            ]
        }
    )
