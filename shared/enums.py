"""The closed sets of values stored in string columns, each value with its one label.

A member *is* its stored string (``TicketStatus.NO_SHOW == "no_show"``), so rows, JSON payloads
and events keep exactly the values they always had; what the enum adds is the one label every
page, report, CSV and JSON label map shows (translated where shown: Bahasa Indonesia first), and
the list of values the database's CHECK constraints accept (migration 0016_status_checks).
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import gettext


def N_(message: str) -> str:  # noqa: N802 - marks a msgid for Babel (shared.queue imports us)
    return message


class LabelledEnum(StrEnum):
    """A stored value and the message id of its label: ``MEMBER = "value", N_("Label")``."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.msgid = label
        return member

    @property
    def label(self) -> str:
        """The label in the current request's language (the English msgid outside one)."""
        return gettext(self.msgid)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored value; an unknown one is shown as it is (never an error page)."""
        try:
            return cls(value).label
        except ValueError:
            return str(value)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """{value: label}, for the JSON label maps that pages hand to their scripts."""
        return {member.value: member.label for member in cls}

    @classmethod
    def choices(cls, members=None) -> list[tuple[str, str]]:
        """(value, label) pairs for a form's select, in declaration order."""
        return [(member.value, member.label) for member in (members or cls)]

    @classmethod
    def check(cls, column: str) -> str:
        """The SQL of a CHECK constraint that accepts exactly these values in ``column``."""
        return f"{column} IN ({', '.join(repr(member.value) for member in cls)})"


class TicketStatus(LabelledEnum):
    WAITING = "waiting", N_("Waiting")
    CALLED = "called", N_("Called")
    SERVING = "serving", N_("Being served")
    DONE = "done", N_("Done")
    NO_SHOW = "no_show", N_("No-show")
    CANCELLED = "cancelled", N_("Cancelled")
    TRANSFERRED = "transferred", N_("Transferred")


class PrintState(LabelledEnum):
    NONE = "none", N_("Not printed")
    PENDING = "pending", N_("Printing")
    PRINTED = "printed", N_("Printed")
    FAILED = "failed", N_("Print failed")


class TicketSource(LabelledEnum):
    """How the citizen came into the queue."""

    KIOSK = "kiosk", N_("Kiosk")
    BOOKING = "booking", N_("Online booking")
    COUNTER = "counter", N_("At the counter")


class StaffRole(LabelledEnum):
    CLERK = "clerk", N_("Clerk")
    SUPERVISOR = "supervisor", N_("Agency supervisor")
    ADMIN = "admin", N_("Site admin")


class TransferPlacement(LabelledEnum):
    """Where a transferred ticket joins the next service's queue."""

    FRONT = "front", N_("at the front")
    ISSUE_TIME = "issue_time", N_("by their first ticket's time")


class BookingPlacement(LabelledEnum):
    """Where a checked-in booking joins the queue."""

    FRONT = "front", N_("ahead of walk-ins")
    SLOT_TIME = "slot_time", N_("by their slot's start time")


class CounterStatus(LabelledEnum):
    OPEN = "open", N_("open")
    PAUSED = "paused", N_("on a break")
    CLOSED = "closed", N_("closed")


class BookingStatus(LabelledEnum):
    BOOKED = "booked", N_("Booked")
    CHECKED_IN = "checked_in", N_("Checked in")
    CANCELLED = "cancelled", N_("Cancelled")


class PrinterState(LabelledEnum):
    """A kiosk's printer, as staff read it on the dashboard."""

    ONLINE = "online", N_("ready")
    OFFLINE = "offline", N_("offline")
    PAPER_LOW = "paper_low", N_("paper running low")
    PAPER_OUT = "paper_out", N_("out of paper")
    UNKNOWN = "unknown", N_("unknown")
    NONE = "none", N_("no printer")


class SiteKind(LabelledEnum):
    MPP = "mpp", N_("Public service mall (MPP)")
    HOSPITAL = "hospital", N_("Hospital")
    PUSKESMAS = "puskesmas", N_("Puskesmas")
    MOBILE = "mobile", N_("Mobile puskesmas")


# The columns the database checks (migration 0016_status_checks): (table, column, enum).
CHECKED_COLUMNS = (
    ("ticket", "status", TicketStatus),
    ("ticket", "print_state", PrintState),
    ("ticket", "source", TicketSource),
    ("ticket_log", "from_status", TicketStatus),
    ("ticket_log", "to_status", TicketStatus),
    ("staff_user", "role", StaffRole),
    ("service", "transfer_placement", TransferPlacement),
    ("service", "booking_placement", BookingPlacement),
    ("counter", "status", CounterStatus),
    ("booking", "status", BookingStatus),
    ("kiosk", "printer_state", PrinterState),
    ("site", "kind", SiteKind),
)


def check_constraints(table: str) -> list:
    """The models' CheckConstraints of ``table``, named ck_<table>_<column> by the convention."""
    from sqlalchemy import CheckConstraint

    return [
        CheckConstraint(enum.check(column), name=column)
        for name, column, enum in CHECKED_COLUMNS
        if name == table
    ]
