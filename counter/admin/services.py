"""Services (layanan): prefix, quota, hours, service standard, minutes, priority ratio, recalls.

Supervisors manage their own agency's services; the agency itself is then fixed.
"""

from __future__ import annotations

import re

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from counter.admin.base import Entity, agency_choices, register
from counter.admin.fields import Field
from counter.admin.pathways import payer_choices
from counter.site_scope import current_site
from shared.enums import BookingPlacement, TransferPlacement
from shared.models import Service

PREFIX = re.compile(r"^[A-Z]{1,3}$")


class Services(Entity):
    key = "services"
    title = _l("Services")
    model = Service
    supervisors = True
    config_what = "services"
    fields = [
        Field("agency_id", _l("Agency"), kind="choice", choices=agency_choices),
        Field("code", _l("Code"), required=True, max_length=20),
        Field("name", _l("Name"), required=True, max_length=120),
        Field("prefix", _l("Ticket prefix (1–3 capital letters)"), required=True, max_length=3),
        Field(
            "daily_quota",
            _l("Daily quota (empty: no limit)"),
            kind="int",
            minimum=1,
            maximum=9999,
            optional_int=True,
        ),
        Field(
            "opening_hours",
            _l("Own opening hours (all empty: the mall's)"),
            kind="hours",
            optional_int=True,
        ),
        Field(
            "avg_service_minutes",
            _l("Average minutes per citizen"),
            kind="int",
            minimum=1,
            maximum=480,
        ),
        Field(
            "wait_target_minutes",
            _l("Waiting target in minutes (empty: none)"),
            kind="int",
            minimum=1,
            maximum=600,
            optional_int=True,
            help=_l("The dashboard turns amber, then red, as waits near and pass it."),
        ),
        Field("payer", _l("For (payer)"), kind="choice", choices=payer_choices),
        Field("bpjs_code", _l("BPJS poli code (kodepoli; empty: not reported)"), max_length=20),
        Field(
            "alert_lead",
            _l("Alert when N people are still ahead"),
            kind="int",
            minimum=0,
            maximum=50,
            optional_int=True,  # left empty: kept (3 for a new service)
            help=_l('Citizens who asked for WhatsApp, SMS or push alerts get "N lagi".'),
        ),
        Field(
            "priority_ratio",
            _l("Regular tickets between two priority tickets (0: priority first)"),
            kind="int",
            minimum=0,
            maximum=20,
        ),
        Field("recall_limit", _l("Recalls before a no-show"), kind="int", minimum=0, maximum=10),
        Field(
            "transfer_placement",
            _l("Transferred tickets join"),
            kind="choice",
            choices=TransferPlacement.choices,
        ),
        Field(
            "booking_placement",
            _l("Checked-in bookings join"),
            kind="choice",
            choices=BookingPlacement.choices,
        ),
        Field("requirements", _l("Requirements"), kind="textarea", max_length=2000),
        Field("procedure", _l("Procedure"), kind="textarea", max_length=2000),
        Field("duration", _l("Completion time"), max_length=120),
        Field("cost", _l("Cost"), max_length=120),
        Field("display_order", _l("Order"), kind="int", minimum=0, maximum=999),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Prefix"), "prefix"),
        (_l("Name"), "name"),
        (_l("Counters"), "counters"),
        (_l("Daily quota (empty: no limit)"), "daily_quota"),
        (_l("Recalls before a no-show"), "recall_limit"),
        (_l("Active"), "active"),
    ]

    def cell(self, obj, attribute):
        if attribute == "counters":
            numbers = ", ".join(str(c.number) for c in obj.counters)
            return numbers or "⚠ " + gettext("no counter yet")
        return super().cell(obj, attribute)

    def after_save(self, obj, created):
        # No counter, no tickets: the kiosk offers a service only while a counter serves it.
        if obj.active and not obj.counters:
            flash(
                gettext(
                    "No counter serves this service yet: citizens cannot take its tickets"
                    " until a counter does. Choose it under a counter's services."
                )
            )
        return None

    def list_notice(self, rows):
        """Active services no counter serves, and where to fix that."""
        orphans = [s.name for s in rows if s.active and not s.counters]
        if not orphans:
            return None
        return {
            "id": "no-counter",
            "text": gettext(
                "No counter serves these services, so the kiosk cannot give their tickets: "
                "%(names)s.",
                names=", ".join(orphans),
            ),
            "link_key": "counters",
            "link": gettext("Assign them to a counter"),
        }

    def check(self, session, obj, values):
        errors = {}
        values["prefix"] = values["prefix"].upper()
        values["payer"] = values["payer"] or None  # everyone
        if values.get("alert_lead") is None:
            values["alert_lead"] = obj.alert_lead if obj is not None else 3
        if not PREFIX.match(values["prefix"]):
            errors["prefix"] = gettext("1 to 3 capital letters, like A or KTP.")
        # Unique per site (the agency chosen is of the site worked on).
        site_id = obj.site_id if obj is not None else current_site().id
        for name, message in (
            ("prefix", gettext("Another service already uses this prefix.")),
            ("code", gettext("Another service already uses this code.")),
        ):
            same = (Service.site_id == site_id, getattr(Service, name) == values[name])
            other = session.execute(select(Service).where(*same)).scalar()
            if other is not None and other is not obj and name not in errors:
                errors[name] = message
        return errors


register(Services())
