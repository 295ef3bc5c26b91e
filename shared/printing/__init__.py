"""Thermal tickets with python-escpos: layout, printer URIs, printing after commit, reprint.

Used by the kiosk (print a fresh ticket) and the counter app ("Cetak ulang"):

    from shared.printing import reprint_ticket, PrintResult
"""

from shared.printing.devices import PrinterSpec, PrinterURIError, parse_printer_uri
from shared.printing.jobs import (
    PrintResult,
    check_printer,
    has_printer,
    print_ticket,
    printer_setup,
    reprint_ticket,
    settle_without_printer,
    ticket_content,
    ticket_url,
)
from shared.printing.layout import Layout, TicketContent, render_ticket

__all__ = [
    "Layout",
    "PrintResult",
    "PrinterSpec",
    "PrinterURIError",
    "TicketContent",
    "check_printer",
    "has_printer",
    "parse_printer_uri",
    "print_ticket",
    "printer_setup",
    "render_ticket",
    "reprint_ticket",
    "settle_without_printer",
    "ticket_content",
    "ticket_url",
]
