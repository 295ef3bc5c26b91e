"""Registered kiosks (with their printers) and lobby displays (with their zones)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.enums import PrinterState, check_constraints
from shared.models.base import Base, UTCDateTime
from shared.models.site import Site


class Kiosk(Base):
    __tablename__ = "kiosk"
    __table_args__ = tuple(check_constraints("kiosk"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the device token: the token itself is shown once, when the kiosk is registered.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    printer_uri: Mapped[str] = mapped_column(String(255), default="")
    paper_width: Mapped[int] = mapped_column(Integer, default=80)
    printer_profile: Mapped[str] = mapped_column(String(40), default="TM-T20II")
    native_qr: Mapped[bool] = mapped_column(Boolean, default=True)
    # Agency ids this kiosk offers; empty means all.
    agency_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printer_state: Mapped[str] = mapped_column(String(12), default=PrinterState.UNKNOWN)
    printer_detail: Mapped[str] = mapped_column(String(200), default="")

    site: Mapped[Site] = relationship()


class Display(Base):
    """A lobby TV's zone: which agencies and counters it shows, and how it speaks."""

    __tablename__ = "display"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    agency_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    counter_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    voice_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    voice_repeat: Mapped[int] = mapped_column(Integer, default=1)
    voice_english: Mapped[bool] = mapped_column(Boolean, default=False)
    media: Mapped[list[str]] = mapped_column(JSON, default=list)

    site: Mapped[Site] = relationship()
