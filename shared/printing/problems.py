"""What a printing outcome means, said to staff in their language.

The technical detail (``PrintResult.error``, the kiosk's ``printer_detail``: English, with the
driver's own words) stays available behind the message, never as the message itself.
"""

from __future__ import annotations

from shared.enums import PrinterState
from shared.queue.errors import N_

# By SendOutcome.code (transport.py) and the URI check (jobs.py).
PROBLEMS = {
    "no_printer": N_("No printer is set up for this kiosk."),
    "unreachable": N_("The printer cannot be reached: check that it is on and connected."),
    "timeout": N_("The printer did not answer in time: check that it is on and connected."),
    "offline": N_("The printer is offline: check its cover, paper and cable."),
    "paper_out": N_("The printer is out of paper."),
    "bad_uri": N_("The kiosk's printer address is not valid: see Administration, Kiosks."),
    "error": N_("The printer reported an error."),
}

# Kiosk.printer_state, as staff read it on the dashboard: {value: msgid}.
STATES = {state.value: state.msgid for state in PrinterState}


def problem(code: str) -> str:
    """The message id for an outcome's code (translate it with gettext)."""
    return PROBLEMS.get(code, PROBLEMS["error"])
