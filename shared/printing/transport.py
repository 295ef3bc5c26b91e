"""Sending a rendered ticket to a printer within one deadline, and reading its status.

A network printer is asked (DLE EOT) whether it is online and has paper before the ticket is
sent, and once more after it (see _confirm): a printer that accepts the connection but never
reads, or drops halfway through a ticket, is caught here, since a few hundred bytes would
otherwise vanish into the socket buffer and look "printed".
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from escpos.escpos import Escpos

from shared.enums import PrinterState
from shared.printing.devices import PrinterSpec, open_device

log = logging.getLogger(__name__)

ONLINE, OFFLINE, PAPER_LOW, PAPER_OUT, UNKNOWN, NONE = PrinterState


@dataclass
class SendOutcome:
    ok: bool
    state: str  # the printer's state as far as we know: see the constants above
    code: str  # printed | no_printer | unreachable | offline | paper_out | timeout | error
    detail: str = ""  # for staff, in English


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def apply(self, device: Escpos) -> None:
        """Give the next device operation only what is left of the budget."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError
        handle = getattr(device, "_device", None)
        if hasattr(handle, "settimeout"):  # socket
            handle.settimeout(left)
        elif hasattr(handle, "write_timeout"):  # pyserial
            handle.timeout = left
            handle.write_timeout = left


def _ask_status(device: Escpos, deadline: _Deadline) -> SendOutcome | None:
    """None when the printer can print; otherwise why not."""
    deadline.apply(device)
    if not device.is_online():
        return SendOutcome(False, OFFLINE, "offline", "the printer reports it is offline")
    deadline.apply(device)
    paper = device.paper_status()
    if paper == 0:
        return SendOutcome(False, PAPER_OUT, "paper_out", "the printer is out of paper")
    return SendOutcome(True, PAPER_LOW if paper == 1 else ONLINE, "printed")


def _confirm(device: Escpos, deadline: _Deadline) -> SendOutcome | None:
    """None once the printer has read the whole ticket; otherwise why it did not.

    A ticket fits in the socket buffers, so sending it succeeds even when the printer drops or
    stalls halfway; its answer to a query sent after the ticket proves it read every byte.
    """
    deadline.apply(device)
    if not device.is_online():
        return SendOutcome(False, OFFLINE, "offline", "the printer went away while printing")
    return None


def probe(spec: PrinterSpec, profile: str, timeout: float) -> SendOutcome:
    """The printer's state without printing (for the kiosk's heartbeat)."""
    if spec.kind == "none":
        return SendOutcome(False, NONE, "no_printer", "no printer configured")
    if not spec.reads_status:
        return SendOutcome(True, UNKNOWN, "printed", "this printer type reports no status")
    return send(spec, b"", profile, timeout)


def send(spec: PrinterSpec, data: bytes, profile: str, timeout: float) -> SendOutcome:
    """Print ``data`` (empty: only ask the status); never raises, never exceeds ``timeout``."""
    if spec.kind == "none":
        return SendOutcome(False, NONE, "no_printer", "no printer configured")
    deadline = _Deadline(timeout)
    try:
        device = open_device(spec, profile, timeout)
    except Exception as error:  # noqa: BLE001 - every driver raises its own kind
        return SendOutcome(False, OFFLINE, "unreachable", f"cannot reach the printer: {error}")
    try:
        outcome = SendOutcome(True, UNKNOWN, "printed")
        if spec.reads_status:
            outcome = _ask_status(device, deadline) or outcome
            if not outcome.ok:
                return outcome
        if data:
            deadline.apply(device)
            device._raw(data)
            if hasattr(device, "send"):  # CUPS queues print the buffered job here
                device.send()
            if spec.reads_status:
                outcome = _confirm(device, deadline) or outcome
            if outcome.state == UNKNOWN:
                outcome.detail = "sent; this printer type reports no status"
        return outcome
    except (TimeoutError, OSError) as error:
        if isinstance(error, TimeoutError) or "timed out" in str(error):
            detail = f"the printer did not answer within {deadline.seconds:g} s"
            return SendOutcome(False, OFFLINE, "timeout", detail)
        return SendOutcome(False, OFFLINE, "error", f"printer error: {error}")
    except Exception as error:  # noqa: BLE001 - a printer never turns into a server error
        log.exception("printing failed on %s", spec.kind)
        return SendOutcome(False, OFFLINE, "error", f"printer error: {error}")
    finally:
        _close(device)


def _close(device: Escpos) -> None:
    try:
        device.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail too
        log.debug("closing the printer failed", exc_info=True)
    # python-escpos closes again in __del__; make that a no-op.
    device._device = False
