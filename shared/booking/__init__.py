"""Online booking (antrian online): slots, bookings, check-in, purge; flush, never commit."""

from shared.booking.bookings import (
    book_slot,
    cancel_booking,
    find_booking,
    normalise_code,
    purge_booking_data,
)
from shared.booking.checkin import check_in_at_kiosk, check_in_booking
from shared.booking.sessions import book_doctor_session
from shared.booking.slots import Slot, bookable_days, bookable_services, list_slots

__all__ = [
    "Slot",
    "book_doctor_session",
    "book_slot",
    "bookable_days",
    "bookable_services",
    "cancel_booking",
    "check_in_at_kiosk",
    "check_in_booking",
    "find_booking",
    "list_slots",
    "normalise_code",
    "purge_booking_data",
]
