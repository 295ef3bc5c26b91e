"""The booking API for citizens' phones and other apps (a city portal, a national app).

Public and token-less like the BPJS online-queue services, so it is CSRF-exempt and rate limited.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext
from pydantic import Field

from shared import booking, timeutil
from shared.alerts import normalise_phone
from shared.alerts.booking_alerts import alert_booking
from shared.alerts.channels import check_channel
from shared.booking.payloads import booking_json, slot_json
from shared.booking.sessions import has_doctors
from shared.models import DoctorSession, Service
from shared.queue import doctors
from shared.queue.errors import N_
from shared.queue.poli_choices import not_ended
from shared.queue.sites import only_site, site_by_slug, site_json, site_of_service
from shared.web import csrf
from shared.web.database import get_session
from shared.web.inputs import (
    Body,
    Id,
    InvalidInput,
    IsoDate,
    Name,
    Query,
    parse_body,
    parse_query,
)
from shared.web.limits import code_lookup, limiter

bp = Blueprint("booking_api", __name__, url_prefix="/kiosk/api")
csrf.exempt(bp)


class Slots(Query):
    service_id: Id
    date: IsoDate
    hints: ClassVar[dict[str, str]] = {
        "service_id": N_("service_id must be a number."),
        "date": N_("date must be a date like 2026-11-23."),
    }


class NewBooking(Body):
    service_id: Id
    date: IsoDate
    start: Annotated[str, Field(max_length=5)] | None = None
    name: Name | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None
    # a poli with doctors: a place in a doctor's session, in the payer's quota
    doctor_session_id: Id | None = None
    payer: Literal["jkn", "umum"] | None = None
    # opt-in alerts to the booking's phone: the confirmation now, a reminder the day before
    notify: Literal["whatsapp", "sms"] | None = None
    consent: bool = False
    language: Literal["id", "en"] = "id"
    hints: ClassVar[dict[str, str]] = {
        **Slots.hints,
        "notify": N_("notify must be whatsapp or sms."),
        "consent": N_("consent must be true or false."),
        "language": N_("language must be id or en."),
        "start": N_("start must be a time like 09:00."),
        "doctor_session_id": N_("doctor_session_id must be a positive whole number"),
        "payer": N_("payer must be jkn or umum"),
    }


def _service(value: int) -> Service:
    service = get_session().get(Service, value)
    if service is None or not service.active:
        abort(404, gettext("Unknown service."))
    return service


def _asked_site():
    """``?site=<slug>``; optional while the installation has one site."""
    session = get_session()
    slug = request.args.get("site")
    site = site_by_slug(session, slug) if slug else only_site(session)
    if site is None:
        abort(404 if slug else 400, gettext("Choose a site first (GET /api/sites)."))
    return site


@bp.get("/booking/services")
def services():
    session = get_session()
    site, now = _asked_site(), timeutil.now_utc()
    listed = [
        {
            "id": s.id,
            "code": s.code,
            "name": s.name,
            "agency": {"id": s.agency.id, "name": s.agency.name, "colour": s.agency.colour},
            "dates": [d.isoformat() for d in booking.bookable_days(session, site, s, now)],
        }
        for s in booking.bookable_services(session, site)
    ]
    return jsonify(
        {"site": site_json(site), "horizon_days": site.booking_horizon_days, "services": listed}
    )


@bp.get("/booking/slots")
def slots():
    session = get_session()
    asked = parse_query(Slots)
    service, day = _service(asked.service_id), asked.date
    site = site_of_service(session, service)
    found = booking.list_slots(session, site, service, day, timeutil.now_utc())
    answer = {
        "site": site_json(site),
        "service_id": service.id,
        "date": day.isoformat(),
        "slots": [slot_json(s) for s in found],
    }
    if has_doctors(session, service.id):
        local = timeutil.local(timeutil.now_utc(), site.timezone)
        clock = f"{local:%H:%M}" if local.date() == day else None
        held = not_ended(doctors.sessions_for_day(session, service, day), clock)
        answer["doctors"] = [doctors.session_json(s) for s in held]
        session.commit()  # the day's sessions are made on the first ask: keep their ids
    return jsonify(answer)


@bp.post("/bookings")
@limiter.limit("20/minute")
def create():
    body = parse_body(NewBooking)
    service = _service(body.service_id)
    session = get_session()
    if body.notify is not None:
        _check_notify(session, service, body)
    if body.doctor_session_id is not None:
        made = _book_session(session, service, body)
    elif body.start is None:
        raise InvalidInput(gettext("start must be a time like 09:00."), "start")
    else:
        made = booking.book_slot(
            session, service.id, body.date, body.start, name=body.name, phone=body.phone
        )
    if body.notify is not None:
        alert_booking(session, made, body.notify, phone=body.phone, language=body.language)
    session.commit()
    return jsonify({"booking": booking_json(made, _public_url())}), 201


def _check_notify(session, service: Service, body: NewBooking) -> None:
    """Alerts need a consent, a mobile number and a channel that works at this site."""
    if not body.consent:
        raise InvalidInput(gettext("Tick the consent to get alerts on your phone."), "consent")
    normalise_phone(body.phone)  # InvalidPhone (422) before any place is taken
    check_channel(session, site_of_service(session, service), _config(), body.notify)


def _book_session(session, service: Service, body: NewBooking):
    chosen = session.get(DoctorSession, body.doctor_session_id)
    if chosen is None or chosen.service_id != service.id or chosen.day != body.date:
        abort(404, gettext("Unknown doctor's session."))
    if body.payer is None:  # which quota the place comes from
        raise InvalidInput(gettext("payer must be jkn or umum"), "payer")
    return booking.book_doctor_session(
        session, chosen.id, body.payer, name=body.name, phone=body.phone
    )


@bp.get("/bookings/<code>")
@limiter.limit("60/minute")
@code_lookup
def show(code: str):
    found = booking.find_booking(get_session(), code)
    return jsonify({"booking": booking_json(found, _public_url())})


@bp.post("/bookings/<code>/cancel")
@limiter.limit("20/minute")
@code_lookup
def cancel(code: str):
    session = get_session()
    cancelled = booking.cancel_booking(session, code)
    session.commit()
    return jsonify({"booking": booking_json(cancelled, _public_url())})


def _config():
    return current_app.config["ANTRE"]


def _public_url() -> str:
    return _config().public_url
