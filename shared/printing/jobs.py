"""Printing a ticket after it is committed, and reprinting it from the counter.

The order is the point: the ticket is committed first, the printer gets at most
``config.printer_timeout`` seconds with no database transaction open, and the outcome is
recorded afterwards (``ticket.print_state``, the kiosk's ``printer_state``). A printer that fails
leaves a committed ticket marked "failed", which staff can see and reprint. A kiosk without a
printer has nothing to wait for: its outcome is recorded before the ticket's one commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from shared import events, media, sql, timeutil
from shared.config import Config
from shared.models import Kiosk, Ticket, utcnow
from shared.printing import transport
from shared.printing.devices import DEFAULT_PROFILE, PrinterURIError, parse_printer_uri
from shared.printing.layout import Layout, TicketContent, render_ticket, supports_native_qr
from shared.queue import Position, payloads, publishing, ticket_position
from shared.queue.poli_choices import planned_visit
from shared.queue.sites import site_of_service

_WROTE = sql.WROTE  # also set by the hot path's plain writes


@dataclass
class PrintResult:
    ok: bool
    error: str | None = None
    code: str = "printed"  # see transport.SendOutcome.code
    printer_state: str = transport.UNKNOWN


def ticket_url(config: Config, code: str) -> str:
    """The ticket's public link, kept short so that its QR stays small."""
    return config.public_url.rstrip("/") + "/t/" + code


def _printer_uri(kiosk: Kiosk | None, config: Config) -> str | None:
    """The kiosk's own printer, else ANTRE_PRINTER."""
    return kiosk.printer_uri if kiosk is not None and kiosk.printer_uri else config.printer


def printer_setup(kiosk: Kiosk | None, config: Config):
    """(spec, layout): the kiosk's own printer, else ANTRE_PRINTER; URI options win."""
    spec = parse_printer_uri(_printer_uri(kiosk, config))
    options = spec.options
    profile = options.get("profile") or (kiosk.printer_profile if kiosk else DEFAULT_PROFILE)
    paper = int(options.get("paper") or (kiosk.paper_width if kiosk else 80))
    if "qr" in options:
        native = options["qr"] == "native"
    else:
        native = (kiosk.native_qr if kiosk else True) and supports_native_qr(profile)
    return spec, Layout(profile=profile or DEFAULT_PROFILE, paper_width=paper, native_qr=native)


_LOGOS: dict[int, bytes | None] = {}


def logo_bytes(session: Session, image_id: int | None) -> bytes | None:
    """A site's logo for the paper. An image row never changes (a new logo is a new row), so
    each process reads it once, not once per ticket."""
    if image_id is None:
        return None
    if image_id not in _LOGOS:
        image = media.servable_image(session, image_id)
        if len(_LOGOS) >= 256:  # one logo per site at a time: old ones are left behind
            _LOGOS.clear()
        _LOGOS[image_id] = image.data if image is not None else None
    return _LOGOS[image_id]


def ticket_content(
    session: Session, ticket: Ticket, config: Config, position: Position | None = None
) -> TicketContent:
    """What goes on the paper; ``position`` when the caller already knows it (one queue scan)."""
    site = site_of_service(session, ticket.service)
    position = position or ticket_position(session, ticket)
    labels = payloads.labels(ticket)
    priority = labels["priority_label"]["id"] if labels["priority_label"] else ""
    return TicketContent(
        mall_name=site.name,
        agency=ticket.service.agency.name,
        service=ticket.service.name,
        number=ticket.display_number,
        issued_at=ticket.issued_at,
        timezone=site.timezone,
        people_ahead=position.people_ahead,
        eta_minutes=position.eta_minutes,
        url=ticket_url(config, ticket.code),
        footer=site.ticket_footer,
        priority=priority,
        booked=labels["booked"],
        logo=logo_bytes(session, site.logo_image_id),
        **_planned(ticket),
    )


def _planned(ticket: Ticket) -> dict:
    """A poli chosen for later: "Silakan ke" the first step, then the poli and the doctor."""
    planned = planned_visit(ticket)
    if planned is None:
        return {}
    lines = [f"Selanjutnya: {planned['service']}"]
    if planned["doctor"]:  # a plain hyphen: the en dash is not in every printer's code page
        lines.append(f"{planned['doctor']} {planned['session'].replace('–', '-')}")
    return {"go_to": ticket.service.name, "planned": lines}


def _release_if_clean(session: Session) -> None:
    """End a transaction that only read, so no database lock is held while the printer works.

    A caller that already wrote something keeps its transaction (and its changes).
    """
    wrote = session.info.get(_WROTE) or session.new or session.dirty or session.deleted
    if not wrote and not events.pending(session) and not events.dirty(session, "queue"):
        session.rollback()


def _record(session: Session, ticket: Ticket, kiosk: Kiosk | None, result: PrintResult) -> None:
    state = "printed" if result.ok else ("none" if result.code == "no_printer" else "failed")
    # Why a print failed; a kiosk without a printer did not fail (and its ticket, written
    # "none" from the start, is then not written again: an unchanged value is not assigned, as
    # an assignment alone makes the commit flush the ticket).
    error = (result.error or "")[:200] if state == "failed" else ""
    if ticket.print_state != state:
        ticket.print_state = state
    if ticket.print_error != error:
        ticket.print_error = error
    if kiosk is not None:
        _note_kiosk(kiosk, result)


# The kiosk's heartbeat writes "last seen" every minute anyway; a ticket refreshes it only when it
# is older than this, so that a busy kiosk's tickets do not all queue on its row's lock.
SEEN_REFRESH = timedelta(seconds=30)


def _note_kiosk(kiosk: Kiosk, result: PrintResult) -> None:
    """The kiosk's printer state, written only when it changed (or "last seen" is stale)."""
    detail = (result.error or "")[:200]
    if kiosk.printer_state != result.printer_state:
        kiosk.printer_state = result.printer_state
    if (kiosk.printer_detail or "") != detail:
        kiosk.printer_detail = detail
    now = utcnow()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_REFRESH:
        kiosk.last_seen_at = now


def _print(
    session: Session, ticket: Ticket, config: Config, action: str, position: Position | None = None
) -> PrintResult:
    kiosk = session.get(Kiosk, ticket.kiosk_id) if ticket.kiosk_id else None
    try:
        spec, layout = printer_setup(kiosk, config)
    except PrinterURIError as error:
        result = PrintResult(False, f"bad printer URI: {error}", "bad_uri", transport.OFFLINE)
    else:
        data = b""
        if spec.kind != "none":
            data = render_ticket(ticket_content(session, ticket, config, position), layout)
        _release_if_clean(session)
        outcome = transport.send(spec, data, layout.profile, config.printer_timeout)
        error = None if outcome.ok else outcome.detail
        result = PrintResult(outcome.ok, error, outcome.code, outcome.state)
    _record(session, ticket, kiosk, result)
    if action == "reprint" or ticket.print_state == "failed":
        # Staff screens learn at once that a ticket is unprinted (or was reprinted).
        events.record(
            session,
            publishing.COUNTER,
            publishing.agency_room(ticket.service.agency_id),
            "ticket.changed",
            {"action": action, "ticket": payloads.ticket_staff(ticket)},
        )
    session.flush()
    return result


def _screen_only(kiosk: Kiosk | None, config: Config):
    """The printer spec of a kiosk without a printer; None when there is one to try (or a bad
    URI, which :func:`print_ticket` reports). Its layout is not worked out: nothing is printed."""
    try:
        spec = parse_printer_uri(_printer_uri(kiosk, config))
    except PrinterURIError:
        return None
    return spec if spec.kind == "none" else None


def has_printer(kiosk: Kiosk | None, config: Config) -> bool:
    """Whether a new ticket of this kiosk has a printer to try: known before the ticket is made,
    so that a screen-only kiosk's ticket is written "none" at once, not "pending" then updated."""
    return _screen_only(kiosk, config) is None


def settle_without_printer(session: Session, ticket: Ticket, config: Config) -> PrintResult | None:
    """The outcome of a new ticket whose kiosk has no printer, flushed in the ticket's own
    transaction; None when there is a printer (or a bad URI) for :func:`print_ticket` to try.

    Nothing is sent, so nothing is waited for: a screen-only kiosk's ticket takes one commit
    (one disk sync on SQLite) instead of a second short transaction for a known outcome.
    """
    kiosk = session.get(Kiosk, ticket.kiosk_id) if ticket.kiosk_id else None
    spec = _screen_only(kiosk, config)
    if spec is None:
        return None
    outcome = transport.send(spec, b"", DEFAULT_PROFILE, config.printer_timeout)
    result = PrintResult(outcome.ok, outcome.detail, outcome.code, outcome.state)
    _record(session, ticket, kiosk, result)
    session.flush()
    return result


def print_ticket(
    session: Session, ticket: Ticket, config: Config, position: Position | None = None
) -> PrintResult:
    """Print a ticket just committed (the kiosk calls this right after its commit).

    Flushes the outcome; the caller commits it in a second short transaction.
    """
    return _print(session, ticket, config, "print_failed", position)


def reprint_ticket(session: Session, ticket: Ticket, config: Config) -> PrintResult:
    """Print ``ticket`` again on the printer of the kiosk that issued it (else ANTRE_PRINTER).

    Updates ``ticket.print_state``/``print_error`` and the kiosk's printer state; flushes, does
    not commit. Call it before writing anything else in the request, so that no lock is held
    while the printer works.
    """
    return _print(session, ticket, config, "reprint")


def check_printer(session: Session, kiosk: Kiosk, config: Config) -> PrintResult:
    """Ask the kiosk's printer for its state (no paper used) and record it; flushes."""
    try:
        spec, layout = printer_setup(kiosk, config)
    except PrinterURIError as error:
        result = PrintResult(False, f"bad printer URI: {error}", "bad_uri", transport.OFFLINE)
    else:
        _release_if_clean(session)
        outcome = transport.probe(spec, layout.profile, config.printer_timeout)
        result = PrintResult(
            outcome.ok, None if outcome.ok else outcome.detail, outcome.code, outcome.state
        )
    kiosk.printer_state = result.printer_state
    kiosk.printer_detail = (result.error or "")[:200]
    kiosk.last_seen_at = timeutil.now_utc()
    session.flush()
    return result


def install(factory: sessionmaker) -> None:
    """Note whether a session wrote, so printing can end a read-only transaction first."""
    event.listen(factory, "after_flush", _note_flush)
    event.listen(factory, "do_orm_execute", _note_write)
    event.listen(factory, "after_commit", _forget_writes)
    event.listen(factory, "after_soft_rollback", _forget_writes)


def _note_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


def _note_write(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _forget_writes(session: Session, *_args) -> None:
    session.info.pop(_WROTE, None)
