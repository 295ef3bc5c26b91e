"""Printing outcomes and printer states in words for staff: msgids, translated by the web layer.

The technical detail (python-escpos's, in English) stays in ticket.print_error and the kiosk's
printer_detail, for whoever fixes the printer.
"""

from __future__ import annotations

from shared.printing import transport
from shared.queue.errors import N_

# Why a ticket did not print, by SendOutcome.code.
PROBLEMS = {
    "no_printer": N_("no printer is set up"),
    "unreachable": N_("the printer cannot be reached"),
    "offline": N_("the printer is offline"),
    "paper_out": N_("the printer is out of paper"),
    "timeout": N_("the printer did not answer in time"),
    "error": N_("the printer reported an error"),
}

# A kiosk's printer_state.
PRINTER_STATES = {
    transport.ONLINE: N_("ready"),
    transport.OFFLINE: N_("offline"),
    transport.PAPER_LOW: N_("paper low"),
    transport.PAPER_OUT: N_("out of paper"),
    transport.UNKNOWN: N_("unknown"),
    transport.NONE: N_("no printer"),
}
