"""Counters (loket): number, name, zone and the services each serves (supervisors: their own)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from counter.access import site_object_or_404
from counter.admin.base import Entity, agency_choices, is_admin, register
from counter.admin.fields import Field
from counter.blueprint import bp
from counter.site_scope import current_site
from shared.audit import record_audit
from shared.enums import CounterStatus
from shared.models import Agency, Counter, Doctor, Service
from shared.survey import register_tablet, tablet_link
from shared.web.auth import require_roles
from shared.web.database import get_session


def service_choices() -> list[tuple[int, str]]:
    stmt = select(Service).join(Agency).where(Service.site_id == current_site().id)
    stmt = stmt.order_by(Agency.display_order, Service.display_order)
    if not is_admin():
        stmt = stmt.where(Service.agency_id == current_user.agency_id)
    return [
        (s.id, f"{s.agency.short_name} · {s.prefix} {s.name}")
        for s in get_session().execute(stmt).scalars()
    ]


def site_doctors() -> list[Doctor]:
    stmt = select(Doctor).join(Service, Doctor.service_id == Service.id)
    stmt = stmt.where(Doctor.site_id == current_site().id, Doctor.active.is_(True))
    if not is_admin():
        stmt = stmt.where(Service.agency_id == current_user.agency_id)
    return list(get_session().execute(stmt.order_by(Doctor.name, Doctor.id)).scalars())


def doctor_choices() -> list[tuple[object, str]]:
    """The site's doctors, by poli; empty: a counter with no doctor of its own."""
    rooms = [(d.id, f"{d.name} · {d.service.name}") for d in site_doctors()]
    return [("", gettext("No doctor"))] + rooms


# A consulting room's doctor: its "call next" takes only that doctor's session queue.
DOCTOR = Field("doctor_id", _l("Doctor in this room"), kind="choice", choices=doctor_choices)


class Counters(Entity):
    key = "counters"
    title = _l("Counters")
    model = Counter
    supervisors = True
    config_what = "counters"
    order_by = "number"
    fields = [
        Field("agency_id", _l("Agency"), kind="choice", choices=agency_choices),
        Field("number", _l("Number"), kind="int", minimum=1, maximum=999),
        Field("name", _l("Name"), required=True, max_length=60),
        Field("zone", _l("Zone"), max_length=60),
        Field(
            "services", _l("Services served"), kind="multi", choices=service_choices, required=True
        ),
    ]
    columns = [
        (_l("Number"), "number"),
        (_l("Name"), "name"),
        (_l("Zone"), "zone"),
        (_l("Status"), "status"),
    ]

    # The same words as the console, the picker and the dashboard.
    statuses = {status.value: _l(status.msgid) for status in CounterStatus}

    def form_fields(self, obj):
        """The doctor field only where the site has doctors (a poli): decided by data."""
        return self.fields + [DOCTOR] if site_doctors() else self.fields

    def new(self):
        counter = super().new()  # its site is its agency's, copied on saving
        counter.status = Counter.CLOSED
        return counter

    def cell(self, obj, attribute):
        if attribute == "status":
            return self.statuses.get(obj.status, obj.status)
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        errors = {}
        site_id = obj.site_id if obj is not None else current_site().id
        same = (Counter.site_id == site_id, Counter.number == values["number"])
        other = session.execute(select(Counter).where(*same)).scalar()
        if other is not None and other is not obj:
            errors["number"] = gettext("Another counter already has this number.")
        services = [session.get(Service, i) for i in values["services"]]
        if any(s.agency_id != values["agency_id"] for s in services):
            errors["services"] = gettext("A counter serves only its own agency's services.")
        values["services"] = services
        if "doctor_id" in values:
            values["doctor_id"] = values["doctor_id"] or None
            doctor = session.get(Doctor, values["doctor_id"]) if values["doctor_id"] else None
            if doctor is not None and doctor.service_id not in {s.id for s in services}:
                errors["doctor_id"] = gettext(
                    "The doctor must practise at one of the services this counter serves."
                )
        return errors


@bp.post("/admin/counters/<int:counter_id>/tablet")
@require_roles("admin")
def new_tablet_link(counter_id: int):
    """Bind a new survey tablet to the counter (the old one stops at once); its link shown once.

    The mall admin only: a supervisor could otherwise rate their own agency from their own device.
    """
    counter = site_object_or_404(Counter, counter_id)
    session = get_session()
    token = register_tablet(session, counter)
    record_audit(session, current_user, "counters.tablet", "counters", counter.id, {})
    session.commit()
    link = tablet_link(current_app.config["ANTRE"].public_url, counter, token)
    return render_template("counter/admin/tablet.html", counter=counter, link=link)


register(Counters())
