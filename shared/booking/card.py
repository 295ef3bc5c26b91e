"""A booking as a PNG card the citizen can save: code, QR, service, date and time."""

from __future__ import annotations

import io

import qrcode
from PIL import Image, ImageDraw, ImageFont

from shared.models import Booking

WIDTH, HEIGHT = 720, 1000


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType sizes: the small bitmap font still reads
        return ImageFont.load_default()


def booking_card_png(booking: Booking, *, link: str, day: str, title: str, hint: str) -> bytes:
    card = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, WIDTH, 110], fill="#0b5cad")
    draw.text((WIDTH // 2, 55), title, fill="white", font=_font(44), anchor="mm")
    draw.text((WIDTH // 2, 175), booking.code, fill="black", font=_font(96), anchor="mm")
    qr = qrcode.make(link, box_size=10, border=2).get_image().convert("RGB").resize((420, 420))
    card.paste(qr, ((WIDTH - 420) // 2, 240))
    lines = [
        (booking.service.agency.short_name, 34),
        (booking.service.name, 34),
        (day, 32),
        (f"{booking.start.replace(':', '.')} - {booking.end.replace(':', '.')}", 48),
        (hint, 26),
    ]
    y = 700
    for text, size in lines:
        draw.text((WIDTH // 2, y), text, fill="black", font=_font(size), anchor="mm")
        y += size + 24
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
