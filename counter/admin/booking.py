"""Online booking settings: slot templates per service and weekday, holidays, the mall's windows.

Supervisors manage the slot templates of their own agency's services; holidays and the mall's
booking settings are the admins'.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.admin.base import CurrentSiteEntity, Entity, is_admin, register
from counter.admin.counters import service_choices
from counter.admin.fields import HHMM, WEEKDAYS, Field
from counter.site_scope import current_site
from shared.models import Holiday, Service, Site, SlotTemplate


class SlotTemplates(Entity):
    key = "slots"
    title = _l("Booking slots")
    model = SlotTemplate
    supervisors = True
    deletable = True
    config_what = "booking"
    fields = [
        Field("service_id", _l("Service"), kind="choice", choices=service_choices),
        Field(
            "weekday",
            _l("Weekday"),
            kind="choice",
            choices=lambda: [(n, str(name)) for n, name in enumerate(WEEKDAYS)],
        ),
        Field("start", _l("Start (like 08:00)"), required=True, max_length=5),
        Field("end", _l("End (like 08:30)"), required=True, max_length=5),
        Field("capacity", _l("Bookings per slot"), kind="int", minimum=1, maximum=500),
    ]
    columns = [
        (_l("Service"), "service"),
        (_l("Weekday"), "weekday"),
        (_l("Start (like 08:00)"), "start"),
        (_l("End (like 08:30)"), "end"),
        (_l("Bookings per slot"), "capacity"),
    ]

    def rows(self, session):
        stmt = select(SlotTemplate).join(Service).where(Service.site_id == current_site().id)
        if not is_admin():
            stmt = stmt.where(Service.agency_id == current_user.agency_id)
        order = (Service.agency_id, Service.display_order, SlotTemplate.weekday, SlotTemplate.start)
        return list(session.execute(stmt.order_by(*order)).scalars())

    def may_edit(self, obj) -> bool:
        return is_admin() or obj.service.agency_id == current_user.agency_id

    def site_id_of(self, obj) -> int | None:
        return obj.service.site_id

    def new(self):
        return SlotTemplate(capacity=10)

    def cell(self, obj, attribute):
        if attribute == "service":
            return f"{obj.service.agency.short_name} · {obj.service.prefix} {obj.service.name}"
        if attribute == "weekday":
            return WEEKDAYS[obj.weekday]
        return super().cell(obj, attribute)

    def describe(self, obj) -> str:
        return f"{obj.service.name} {WEEKDAYS[obj.weekday]} {obj.start}"

    def check(self, session, obj, values):
        errors = {}
        for name in ("start", "end"):
            values[name] = values[name].replace(".", ":")
            if not HHMM.match(values[name]) or values[name] == "24:00":
                errors[name] = gettext("Write a time like 08:30.")
        if not errors and values["start"] >= values["end"]:
            errors["end"] = gettext("The end must be after the start.")
        if errors:
            return errors
        # Slots of one service on one weekday must not overlap: a citizen picks one time.
        others = session.execute(
            select(SlotTemplate).where(
                SlotTemplate.service_id == values["service_id"],
                SlotTemplate.weekday == values["weekday"],
            )
        ).scalars()
        for other in others:
            if other is obj:
                continue
            if other.start < values["end"] and values["start"] < other.end:
                errors["start"] = gettext(
                    "Overlaps the slot %(start)s–%(end)s of this service on that day.",
                    start=other.start,
                    end=other.end,
                )
                break
        return errors


class Holidays(Entity):
    """Tanggal merah: no bookings that day, at the site worked on."""

    key = "holidays"
    title = _l("Holidays")
    model = Holiday
    deletable = True
    config_what = "booking"
    order_by = "day"
    fields = [
        Field("day", _l("Date (like 2026-12-25)"), kind="date"),
        Field("name", _l("Name"), required=True, max_length=120),
    ]
    columns = [(_l("Date (like 2026-12-25)"), "day"), (_l("Name"), "name")]

    def check(self, session, obj, values):
        site_id = obj.site_id if obj is not None else current_site().id
        other = session.execute(
            select(Holiday).where(Holiday.site_id == site_id, Holiday.day == values["day"])
        ).scalar_one_or_none()
        if other is not None and other is not obj:
            return {"day": gettext("This date is already a holiday.")}
        return {}

    def describe(self, obj) -> str:
        return f"{obj.day.isoformat()} {obj.name}"


class BookingSettings(CurrentSiteEntity):
    key = "booking"
    title = _l("Booking settings")
    model = Site
    single = True
    config_what = "booking"
    fields = [
        Field(
            "booking_horizon_days",
            _l("Days ahead a citizen may book"),
            kind="int",
            minimum=0,
            maximum=90,
        ),
        Field(
            "checkin_early_minutes",
            _l("Check-in opens this many minutes before the slot"),
            kind="int",
            minimum=0,
            maximum=240,
        ),
        Field(
            "checkin_late_minutes",
            _l("Check-in closes this many minutes after the slot's start"),
            kind="int",
            minimum=0,
            maximum=240,
        ),
        Field(
            "booking_retention_days",
            _l("Days names and phone numbers are kept"),
            kind="int",
            minimum=1,
            maximum=365,
        ),
    ]
    columns = [(_l("Name"), "name")]


register(SlotTemplates())
register(Holidays())
register(BookingSettings())
