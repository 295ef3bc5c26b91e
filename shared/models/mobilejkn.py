"""What the Mobile JKN web service keeps: its credentials per site, the patients it registered,
and the BPJS fields of the bookings it made.

Card numbers, NIKs and medical-record numbers live only here (and in ``patient_identity`` once a
booking checks in); they are never serialised into an event, a log line or a webhook, and the
daily purge erases them after the site's booking retention (shared/mobilejkn/purge.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.booking import Booking


class JknCredential(Base):
    """The x-username / x-password BPJS uses to get a token: the password as an argon2 hash."""

    __tablename__ = "jkn_credential"

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JknPatient(Base):
    """A new patient registered through ``pasienbaru``: only what finds them again (card number,
    NIK) and the medical-record number given; the rest is completed at the admission desk."""

    __tablename__ = "jkn_patient"
    __table_args__ = (UniqueConstraint("site_id", "card_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    card_number: Mapped[str | None] = mapped_column(String(13))
    nik: Mapped[str | None] = mapped_column(String(16))
    medical_record: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erase_after: Mapped[date] = mapped_column(Date, index=True)


class JknBooking(Base):
    """The BPJS fields of a booking made by Mobile JKN (``ambilantrean``)."""

    __tablename__ = "jkn_booking"

    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    card_number: Mapped[str | None] = mapped_column(String(13), index=True)
    nik: Mapped[str | None] = mapped_column(String(16))
    medical_record: Mapped[str | None] = mapped_column(String(20))
    # nohp: kept here, not on the booking, so no webhook can carry it
    phone: Mapped[str | None] = mapped_column(String(20))
    new_patient: Mapped[bool] = mapped_column(default=False)
    visit_kind: Mapped[int] = mapped_column(Integer, default=1)  # jeniskunjungan 1–4
    reference: Mapped[str] = mapped_column(String(40), default="")  # nomorreferensi
    # The number announced at booking (angkaantrean); the ticket's own comes at check-in.
    number: Mapped[int] = mapped_column(Integer)
    erase_after: Mapped[date] = mapped_column(Date, index=True)

    booking: Mapped[Booking] = relationship()
