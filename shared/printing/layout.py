"""What a thermal ticket says and the ESC/POS bytes that print it.

The ticket is drawn into python-escpos' Dummy printer with the real printer's profile, so that the
bytes are exactly what that printer gets, and are then sent in one piece (see jobs.py): nothing
reaches a printer half-drawn, and one timeout covers the whole send. Text goes through the
printer's code page; only the QR (on printers without native QR) and the mall's logo are rasters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from escpos.printer import Dummy

from shared import timeutil

DOTS = {58: 384, 80: 576}  # printable width at 203 dpi
FONT_A_DOTS = 12  # one Font A character is 12 dots wide
LOGO_MAX_DOTS = 240


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


@dataclass
class Layout:
    profile: str
    paper_width: int = 80
    native_qr: bool = True


def indonesian_datetime(moment: datetime, tz: str) -> str:
    """ "Senin, 23 November 2026 08.30 WIB" in the mall's zone."""
    local = timeutil.local(moment, tz)
    day = timeutil.long_date(local.date())
    return f"{day} {local:%H.%M} {timeutil.zone_abbreviation(tz)}"


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
    """The ESC/POS bytes of one ticket, cut at the end."""
    printer = Dummy(profile=layout.profile)
    printer.hw("INIT")
    _logo(printer, content.logo)
    printer.set(align="center", bold=True, normal_textsize=True)
    printer.textln(content.mall_name)
    printer.set(bold=False)
    printer.textln(content.agency)
    printer.textln(content.service)
    printer.ln()
    printer.textln("NOMOR ANTREAN")
    scale = number_scale(content.number, layout.paper_width)
    printer.set(custom_size=True, width=scale, height=scale, bold=True)
    printer.textln(content.number)
    # GS ! back to 1x1 as well as ESC ! 0: printers differ in which of the two they honour.
    printer.set(custom_size=True, width=1, height=1, bold=False)
    printer.set(normal_textsize=True)
    if content.priority:
        printer.textln(content.priority)
    if content.booked:
        printer.textln("Booking")
    printer.textln(indonesian_datetime(content.issued_at, content.timezone))
    printer.ln()
    printer.textln(f"Menunggu di depan Anda: {content.people_ahead} orang")
    printer.textln(f"Perkiraan waktu tunggu: {content.eta_minutes} menit")
    printer.ln()
    size = qr_module_size(layout.paper_width)
    if layout.native_qr:
        printer.qr(content.url, size=size, native=True)
    else:
        printer.qr(content.url, size=size, native=False, center=True)
    printer.textln(content.url)
    if content.footer:
        printer.ln()
        printer.block_text(content.footer, columns=DOTS.get(layout.paper_width, 576) // 12)
        printer.ln()
    printer.cut()
    return printer.output
