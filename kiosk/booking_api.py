"""The booking API for citizens' phones and other apps (a city portal, a national app).

Public and token-less like the BPJS online-queue services, so it is CSRF-exempt and rate limited.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext

from shared import booking, timeutil
from shared.booking.payloads import booking_json, slot_json
from shared.models import Service
from shared.queue import get_mall
from shared.web import csrf
from shared.web.database import get_session
from shared.web.limits import code_lookup, limiter

bp = Blueprint("booking_api", __name__, url_prefix="/kiosk/api")
csrf.exempt(bp)


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, gettext("Send a JSON object."))
    return body


def _date(value) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        abort(422, gettext("The date must look like 2026-11-23."))


def _service(value) -> Service:
    if not isinstance(value, int) or isinstance(value, bool):
        abort(422, gettext("service_id must be a number."))
    service = get_session().get(Service, value)
    if service is None or not service.active:
        abort(404, gettext("Unknown service."))
    return service


@bp.get("/booking/services")
def services():
    session = get_session()
    mall, now = get_mall(session), timeutil.now_utc()
    listed = [
        {
            "id": s.id,
            "code": s.code,
            "name": s.name,
            "agency": {"id": s.agency.id, "name": s.agency.name, "colour": s.agency.colour},
            "dates": [d.isoformat() for d in booking.bookable_days(session, mall, s, now)],
        }
        for s in booking.bookable_services(session)
    ]
    return jsonify({"horizon_days": mall.booking_horizon_days, "services": listed})


@bp.get("/booking/slots")
def slots():
    session = get_session()
    service = _service(request.args.get("service_id", type=int))
    day = _date(request.args.get("date", ""))
    found = booking.list_slots(session, get_mall(session), service, day, timeutil.now_utc())
    return jsonify(
        {"service_id": service.id, "date": day.isoformat(), "slots": [slot_json(s) for s in found]}
    )


@bp.post("/bookings")
@limiter.limit("20/minute")
def create():
    body = _json_body()
    service = _service(body.get("service_id"))
    start = body.get("start")
    if not isinstance(start, str):
        abort(422, gettext("start must be a time like 09:00."))
    session = get_session()
    made = booking.book_slot(
        session,
        service.id,
        _date(body.get("date")),
        start,
        name=body.get("name"),
        phone=body.get("phone"),
    )
    session.commit()
    return jsonify({"booking": booking_json(made, _public_url())}), 201


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


def _public_url() -> str:
    return current_app.config["ANTRE"].public_url
