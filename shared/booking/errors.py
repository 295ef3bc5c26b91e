"""Why a booking or a check-in cannot be done: each a 4xx with a message in the user's language."""

from __future__ import annotations

from shared.queue.errors import N_, DomainError, NotFound


class BookingNotFound(NotFound):
    code = "booking_not_found"
    message = N_("No booking has this code.")


class SlotUnavailable(DomainError):
    code = "slot_unavailable"
    message = N_("This slot cannot be booked.")


class SlotFull(SlotUnavailable):
    code = "slot_full"
    message = N_("This slot is fully booked: please choose another time.")


class SlotPassed(SlotUnavailable):
    code = "slot_passed"
    message = N_("This slot has already started: please choose a later time.")


class OutsideHorizon(SlotUnavailable):
    status = 422
    code = "outside_horizon"
    message = N_("Bookings are open from today up to %(days)s days ahead.")


class HolidayClosed(SlotUnavailable):
    code = "holiday"
    message = N_("Closed on %(day)s (%(name)s).")


class UnknownSlot(SlotUnavailable):
    status = 422
    code = "unknown_slot"
    message = N_("This service has no slot at that time on that day.")


class InvalidContact(DomainError):
    status = 422
    code = "invalid_contact"
    message = N_("Enter a name of at most 80 characters and a phone number of 8 to 15 digits.")


class BookingCancelled(DomainError):
    code = "booking_cancelled"
    message = N_("This booking was cancelled.")


class BookingUsed(DomainError):
    code = "booking_used"
    message = N_("This booking was already checked in (ticket %(number)s).")


class BookingWrongDay(DomainError):
    code = "booking_wrong_day"
    message = N_("This booking is for %(day)s, not today.")


class BookingTooEarly(DomainError):
    code = "booking_too_early"
    message = N_("Too early: check-in opens at %(opens)s.")


class BookingTooLate(DomainError):
    code = "booking_too_late"
    message = N_("Too late: check-in closed at %(closed)s. You can take a regular ticket instead.")


class BookingOtherAgency(DomainError):
    status = 403
    code = "booking_other_agency"
    message = N_(
        "This kiosk does not serve %(agency)s: please check in at a kiosk that offers it, "
        "or ask an officer."
    )
