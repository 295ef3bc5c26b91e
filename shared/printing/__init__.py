"""Thermal tickets with python-escpos: layout, printer URIs, printing after commit, reprint.

Used by the kiosk (print a fresh ticket) and the counter app ("Cetak ulang"):

    from shared.printing import reprint_ticket, PrintResult
"""

from shared.printing.devices import PrinterSpec, PrinterURIError, parse_printer_uri
from shared.printing.jobs import (
    PrintResult,
    check_printer,
    print_ticket,
    printer_setup,
    problem_of,
    reprint_ticket,
    ticket_content,
    ticket_url,
)
from shared.printing.layout import Layout, TicketContent, render_ticket
from shared.printing.words import PRINTER_STATES, PROBLEMS

__all__ = [
    "PRINTER_STATES",
    "PROBLEMS",
    "Layout",
    "PrintResult",
    "PrinterSpec",
    "PrinterURIError",
    "TicketContent",
    "check_printer",
    "parse_printer_uri",
    "print_ticket",
    "problem_of",
    "printer_setup",
    "render_ticket",
    "reprint_ticket",
    "ticket_content",
    "ticket_url",
]
