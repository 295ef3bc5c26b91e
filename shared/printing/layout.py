"""What a thermal ticket says and the ESC/POS bytes that print it.

The ticket is drawn into python-escpos' Dummy printer with the real printer's profile, so that the
bytes are exactly what that printer gets, and are then sent in one piece (see jobs.py): nothing
reaches a printer half-drawn, and one timeout covers the whole send. Text goes through the
printer's code page; only the QR (on printers without native QR) and the mall's logo are rasters.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from datetime import datetime

from escpos.printer import Dummy

from shared import timeutil

DOTS = {58: 384, 80: 576}  # printable width at 203 dpi
FONT_A_DOTS = 12  # one Font A character is 12 dots wide
LOGO_MAX_DOTS = 240
QUIET_MODULES = 4  # the blank margin a QR code needs on every side to scan (ISO/IEC 18004)


@dataclass
class TicketContent:
    mall_name: str
    agency: str
    service: str
    number: str
    issued_at: datetime
    timezone: str
    people_ahead: int
    eta_minutes: int
    url: str
    footer: str = ""
    priority: str = ""
    logo: bytes | None = None  # the mall's uploaded logo (PNG, JPG or WebP)
    booked: bool = False  # checked in from an online booking
    go_to: str = ""  # a later step chosen (a poli): the service where the ticket queues first
    planned: list[str] | None = None  # the poli and doctor chosen for later


@dataclass
class Layout:
    profile: str
    paper_width: int = 80
    native_qr: bool = True


def indonesian_datetime(moment: datetime, tz: str) -> str:
    """ "Senin, 23 November 2026 08.30 WIB" in the mall's zone."""
    return " ".join(_date_and_time(moment, tz))


def _date_and_time(moment: datetime, tz: str) -> tuple[str, str]:
    local = timeutil.local(moment, tz)
    return timeutil.long_date(local.date()), f"{local:%H.%M} {timeutil.zone_abbreviation(tz)}"


def columns(paper_width: int) -> int:
    """Font A characters on one line: 32 on 58 mm paper, 48 on 80 mm."""
    return DOTS.get(paper_width, DOTS[80]) // FONT_A_DOTS


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken between words (a printer breaks anywhere).
    Only a single word longer than a line is cut."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def wrap_link(url: str, width: int) -> list[str]:
    """A link broken after a "/" (or a "."), so each line reads as part of the address."""
    lines, line = [], ""
    for piece in re.findall(r"[^/.]*[/.]+|[^/.]+$", url):
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        while len(line) + len(piece) > width:  # one piece longer than a line: cut it
            cut = width - len(line)
            lines.append(line + piece[:cut])
            line, piece = "", piece[cut:]
        line += piece
    return [*lines, line] if line else lines


def date_lines(moment: datetime, tz: str, width: int) -> list[str]:
    """The issue date and time on one line, or the time with its zone on a line of its own."""
    day, clock = _date_and_time(moment, tz)
    if len(day) + 1 + len(clock) <= width:
        return [f"{day} {clock}"]
    return [*wrap_words(day, width), clock]


def figure_lines(label: str, value: str, width: int) -> list[str]:
    """ "Label: value" on one line, or the value on the line below its label."""
    if len(label) + 2 + len(value) <= width:
        return [f"{label}: {value}"]
    return [*wrap_words(f"{label}:", width), *wrap_words(value, width)]


def wait_words(eta_minutes: int) -> str:
    return "kurang dari 1 menit" if eta_minutes < 1 else f"{eta_minutes} menit"


def quiet_zone(printer: Dummy, module_dots: int) -> None:
    """Feed paper by the QR code's quiet zone (ESC J n: print and feed n dots)."""
    printer._raw(b"\x1bJ" + bytes([min(255, QUIET_MODULES * module_dots)]))


def _lines(printer: Dummy, lines: list[str]) -> None:
    for line in lines:
        printer.textln(line)


def number_scale(number: str, paper_width: int) -> int:
    """The largest character size (1..8) at which the number still fits on one line."""
    dots = DOTS.get(paper_width, DOTS[80])
    return max(1, min(8, dots // (max(1, len(number)) * FONT_A_DOTS)))


def qr_module_size(paper_width: int) -> int:
    # A short link makes a version 2-3 code (25-29 modules): 6 dots a module is ~2 cm on paper.
    return 5 if paper_width == 58 else 6


def supports_native_qr(profile_name: str) -> bool:
    from escpos.capabilities import get_profile

    return bool(get_profile(profile_name).features.get("qrCode"))


def _logo(printer: Dummy, logo: bytes | None) -> None:
    if not logo:
        return
    from PIL import Image

    with Image.open(io.BytesIO(logo)) as image:
        image.thumbnail((LOGO_MAX_DOTS, LOGO_MAX_DOTS))
        printer.image(image.convert("RGB"), center=True)


def render_ticket(content: TicketContent, layout: Layout) -> bytes:
    """The ESC/POS bytes of one ticket, cut at the end. Text is wrapped here, between words, to
    the paper's columns: a printer would break a long line anywhere, even inside a word."""
    width = columns(layout.paper_width)
    printer = Dummy(profile=layout.profile)
    printer.hw("INIT")
    _logo(printer, content.logo)
    printer.set(align="center", bold=True, normal_textsize=True)
    _lines(printer, wrap_words(content.mall_name, width))
    printer.set(bold=False)
    _lines(printer, wrap_words(content.agency, width))
    _lines(printer, wrap_words(content.service, width))
    printer.ln()
    printer.textln("NOMOR ANTREAN")
    scale = number_scale(content.number, layout.paper_width)
    printer.set(custom_size=True, width=scale, height=scale, bold=True)
    printer.textln(content.number)
    # GS ! back to 1x1 as well as ESC ! 0: printers differ in which of the two they honour.
    printer.set(custom_size=True, width=1, height=1, bold=False)
    printer.set(normal_textsize=True)
    if content.priority:
        _lines(printer, wrap_words(content.priority, width))
    if content.booked:
        printer.textln("Booking")
    if content.go_to:
        printer.set(bold=True)
        _lines(printer, wrap_words(f"Silakan ke {content.go_to}", width))
        printer.set(bold=False)
    for line in content.planned or []:
        _lines(printer, wrap_words(line, width))
    _lines(printer, date_lines(content.issued_at, content.timezone, width))
    printer.ln()
    ahead = f"{content.people_ahead} orang"
    _lines(printer, figure_lines("Menunggu di depan Anda", ahead, width))
    _lines(printer, figure_lines("Perkiraan waktu tunggu", wait_words(content.eta_minutes), width))
    size = qr_module_size(layout.paper_width)
    quiet_zone(printer, size)
    if layout.native_qr:
        printer.qr(content.url, size=size, native=True)
    else:
        printer.qr(content.url, size=size, native=False, center=True)
    quiet_zone(printer, size)
    _lines(printer, wrap_link(content.url, width))
    if content.footer:
        printer.ln()
        _lines(
            printer,
            [line for part in content.footer.splitlines() for line in wrap_words(part, width)],
        )
        printer.ln()
    printer.cut()
    return printer.output
