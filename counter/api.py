"""The console's JSON actions. Each parses, checks the agency, calls one domain function, commits
once and answers with the resulting state, so a retried request never does the work twice."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import abort, current_app, jsonify
from flask_babel import gettext
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select

from counter import snapshots
from counter.access import STAFF, counter_for_user, ticket_for_user
from counter.answers import commit_and_answer
from counter.blueprint import bp
from counter.site_scope import current_site
from shared import queue
from shared.models import Agency, Counter, Service
from shared.queue.errors import N_
from shared.queue.loading import read_counter_and_near
from shared.queue.next_steps import next_ticket_json, visit_rows
from shared.queue.retries import perform_once
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.errors import error_response
from shared.web.inputs import Body, Id, Line, Note, parse_body


class CallNext(Body):
    request_id: Annotated[str, Field(max_length=64)] = ""


class CounterStatus(Body):
    status: Annotated[str, Field(max_length=10)] = ""
    reason: Line = ""


class CallTicket(Body):
    counter_id: Id


class Recall(Body):
    recall_count: Annotated[int, Field(ge=0)] | None = None


class Transfer(Body):
    service_id: Id
    note: Note = ""


class WithNote(Body):
    note: Note = ""


class Finish(Body):
    """Finishing a step: without a choice, the visit goes to its pathway's next step."""

    note: Note = ""
    next_service_id: Id | None = None
    doctor_session_id: Id | None = None
    end_visit: bool = False
    prescription: Literal["none", "non_racikan", "racikan"] | None = None
    hints = {
        "prescription": N_("%(field)s must be none, non_racikan or racikan."),
        "end_visit": N_("%(field)s must be true or false."),
    }


@bp.get("/api/counters/<int:counter_id>")
@require_roles(*STAFF)
def counter_snapshot(counter_id: int):
    counter = counter_for_user(counter_id)
    return jsonify(snapshots.console_snapshot(get_session(), counter))


@bp.post("/api/counters/<int:counter_id>/call-next")
@require_roles(*STAFF)
def call_next(counter_id: int):
    body = parse_body(CallNext)
    counter = counter_for_user(counter_id, calling=True)
    request_id = body.request_id.strip() or None
    ticket = queue.call_next(get_session(), counter, current_user, request_id=request_id)
    return commit_and_answer(counter, ticket, performed=ticket is not None)


@bp.post("/api/counters/<int:counter_id>/status")
@require_roles(*STAFF)
def counter_status(counter_id: int):
    body = parse_body(CounterStatus)
    counter = counter_for_user(counter_id)
    status, reason = body.status.strip(), body.reason
    if status == Counter.PAUSED and not reason:
        return error_response(422, "reason_required", gettext("Give a reason for the break."))
    queue.set_counter_status(get_session(), counter, status, current_user, reason=reason)
    return commit_and_answer(counter, queue.active_ticket(get_session(), counter))


def _call(session, ticket, body: CallTicket):
    counter = counter_for_user(body.counter_id)
    if ticket.counter_id not in (None, counter.id):
        return queue.call_ticket(session, counter, ticket, current_user), True  # raises
    return perform_once(
        session, ticket, "call", lambda: queue.call_ticket(session, counter, ticket, current_user)
    )


def _recall(session, ticket, body: Recall):
    seen = body.recall_count
    return perform_once(
        session,
        ticket,
        "recall",
        lambda: queue.recall_ticket(session, ticket, current_user),
        seen_recalls=seen,
    )


def _transfer(session, ticket, body: Transfer):
    target, note = body.service_id, body.note
    return perform_once(
        session,
        ticket,
        "transfer",
        lambda: queue.transfer_ticket(session, ticket, target, actor=current_user, note=note),
    )


def _finish(session, ticket, body: Finish):
    return perform_once(
        session,
        ticket,
        "finish",
        lambda: queue.finish_ticket(
            session,
            ticket,
            current_user,
            note=body.note,
            next_service_id=body.next_service_id,
            doctor_session_id=body.doctor_session_id,
            end_visit=body.end_visit,
            prescription=body.prescription,
        ),
    )


def _simple(action: str, function, **options):
    def handle(session, ticket, body):
        kwargs = {"note": body.note} if options.get("note") else {}
        return perform_once(
            session, ticket, action, lambda: function(session, ticket, current_user, **kwargs)
        )

    return handle


# Each action, with the schema of its body.
ACTIONS = {
    "call": (_call, CallTicket),
    "recall": (_recall, Recall),
    "start": (_simple("start", queue.start_ticket), Body),
    "finish": (_finish, Finish),
    "no-show": (_simple("no_show", queue.mark_no_show), Body),
    "cancel": (_simple("cancel", queue.cancel_ticket, note=True), WithNote),
    "reactivate": (_simple("reactivate", queue.reactivate_ticket), Body),
    "transfer": (_transfer, Transfer),
    "reprint": (None, Body),
}


@bp.post("/api/tickets/<int:ticket_id>/<action>")
@require_roles(*STAFF)
def ticket_action(ticket_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    handler, schema = ACTIONS[action]
    body = parse_body(schema)
    ticket = ticket_for_user(ticket_id)
    if action == "reprint":
        return _reprint(ticket)
    session = get_session()
    counter = _ticket_counter(session, ticket, action)
    result, performed = handler(session, ticket, body)
    if action == "finish":  # where the visit goes next (a retry answers the same)
        others = visit_rows(session, result)  # also the answer's history: one read for both
        following = next_ticket_json(session, result, others)
        return commit_and_answer(counter, result, performed, others, next=following)
    return commit_and_answer(counter or result.counter, result, performed)


# Actions that end a called ticket: their commit places the queues sharing its counter, so the
# counter is read with those queues' counters, in one statement (loading.py) instead of two.
ENDING = frozenset({"finish", "no-show", "transfer"})


def _ticket_counter(session, ticket, action: str) -> Counter | None:
    if action in ENDING and ticket.counter_id is not None:
        found = read_counter_and_near(session, ticket.counter_id, current_user.site_id)
        if found is not None:
            return found
    return ticket.counter


def _reprint(ticket):
    from shared.printing import reprint_ticket  # the kiosk's printing, merged by the lead
    from shared.printing.problems import problem

    session = get_session()
    result = reprint_ticket(session, ticket, current_app.config["ANTRE"])
    if not result.ok:
        session.commit()  # the failed attempt is recorded
        message = gettext(
            "The ticket could not be printed. %(problem)s", problem=gettext(problem(result.code))
        )
        # The driver's own words stay behind the message, for whoever fixes the printer.
        return error_response(502, "print_failed", message, detail=result.error or "")
    return commit_and_answer(ticket.counter, ticket, print={"ok": True})


@bp.get("/api/services")
@require_roles(*STAFF)
def services():
    """Every active service of every agency of the site: the targets of a transfer."""
    stmt = (
        select(Service)
        .join(Agency)
        .where(Service.active, Agency.active, Service.site_id == current_site().id)
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
