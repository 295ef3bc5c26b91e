"""What a failed delivery means, said to the admin in their language.

The relay keeps its own words in ``OutboxMessage.last_error`` (English, often the network
library's exception: "ConnectError: [Errno 111] Connection refused"). Admin pages show the
meaning first and keep those words behind it as the detail, as printer faults do
(shared/printing/problems.py).
"""

from __future__ import annotations

from shared.queue.errors import N_

PROBLEMS = {
    "unreachable": N_("The receiver could not be reached: check its address and the network."),
    "timeout": N_("The receiver did not answer in time."),
    "busy": N_("The receiver was busy or failing (HTTP %(status)s)."),
    "refused": N_("The receiver refused the message (HTTP %(status)s)."),
    "no_gateway": N_("Not sent: no WhatsApp or SMS gateway is set up for this site."),
    "turned_off": N_("Not sent: it was turned off or removed here."),
    "other": N_("Not delivered."),
}

# Words of the relay and its handlers (shared/outbox, shared/webhooks, shared/alerts, shared/bpjs)
# that say nothing was sent because of a setting here.
_TURNED_OFF = ("removed", "disabled", "turned off")


def delivery_problem(error: str, status: int | None) -> str:
    """The code of a stored delivery error (look its message up in PROBLEMS)."""
    if "Timeout" in error:  # httpx.ConnectTimeout, ReadTimeout, PoolTimeout …
        return "timeout"
    if error.startswith(("ConnectError", "NetworkError", "RemoteProtocolError")):
        return "unreachable"
    if status is not None and (status in (408, 429) or status >= 500):
        return "busy"
    if status is not None and status >= 400:
        return "refused"
    if "no gateway" in error:
        return "no_gateway"
    if any(words in error for words in _TURNED_OFF):
        return "turned_off"
    return "other"
