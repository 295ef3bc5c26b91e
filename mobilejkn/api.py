"""``/jkn/<site slug>/<endpoint>``: BPJS's envelope, field names and codes.

Every answer is ``{"response": …, "metadata": {"code", "message"}}`` with code 200 (ok), 201
(refused, with BPJS's Indonesian message) or 202 (a new patient: Mobile JKN then calls
``pasienbaru``); the HTTP status is the same number, as the public implementations answer. Bad
input is a 201 with a message, never a 500. No token or card number is ever logged.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from shared import timeutil
from shared.mobilejkn import booking, credentials, patients, visits
from shared.mobilejkn.errors import Refused
from shared.queue.sites import site_by_slug
from shared.web import csrf
from shared.web.database import get_session
from shared.web.inputs import InvalidInput, read_json
from shared.web.limits import limiter

bp = Blueprint("mobilejkn", __name__, url_prefix="/jkn/<slug>")
csrf.exempt(bp)  # a server-to-server API: BPJS's token, never a browser's cookie

# BPJS calls from a few addresses: generous, but a guesser of passwords or booking codes is slowed.
CALLS = "300/minute"
TOKENS = "30/minute"


@bp.errorhandler(429)
def too_many(_error):
    """Over the rate limit: still BPJS's envelope, so Mobile JKN shows a message."""
    body = {"metadata": {"code": 201, "message": "Terlalu Banyak Permintaan, Coba Lagi Sebentar"}}
    return jsonify(body), 429


def envelope(response, code: int = 200, message: str = "Ok"):
    body = {"metadata": {"code": code, "message": message}}
    if response is not None:
        body = {"response": response, **body}
    return jsonify(body), code


def _site(slug: str):
    site = site_by_slug(get_session(), slug)
    if site is None:
        raise Refused("Fasilitas Kesehatan Tidak Ditemukan")
    return site


def _body() -> dict:
    """The JSON object, read by the one input layer (nesting, surrogates, size checked first)."""
    try:
        return read_json()
    except (InvalidInput, HTTPException):
        raise Refused("Format Request Tidak Sesuai, harus objek JSON") from None


def _answer(work: Callable[[], object], message: str = "Ok"):
    """Run one rule; commit once on success, roll back and answer BPJS-style on a refusal."""
    session = get_session()
    try:
        result = work()
    except Refused as refusal:
        session.rollback()
        return envelope(None, refusal.code, refusal.message)
    session.commit()
    return envelope(result, 200, message)


def authorised_site(slug: str):
    """The site, once the x-token and x-username headers are checked (else Refused)."""
    site = _site(slug)
    credentials.check_token(
        get_session(),
        site,
        request.headers.get("x-username", ""),
        request.headers.get("x-token", ""),
        current_app.secret_key,
        timeutil.now_utc(),
    )
    return site


def _authorised(slug: str, work: Callable) -> Callable[[], object]:
    """``work(site, body)`` once the token is checked."""
    return lambda: work(authorised_site(slug), _body())


def answer(work: Callable[[], object], message: str = "Ok"):
    return _answer(work, message)


def body() -> dict:
    return _body()


@bp.route("/token", methods=["GET", "POST"])
@limiter.limit(TOKENS)
def token(slug: str):
    return _token(slug)


def _token(slug: str):
    """Shared by the hospital's ``token`` and the puskesmas' ``auth``."""

    def run():
        site = _site(slug)
        value = credentials.issue_token(
            get_session(),
            site,
            request.headers.get("x-username", ""),
            request.headers.get("x-password", ""),
            current_app.secret_key,
            timeutil.now_utc(),
            demo=current_app.config["ANTRE"].demo,
        )
        return {"token": value}

    return _answer(run)


def _route(name: str, work: Callable, message: str = "Ok") -> None:
    def view(slug: str):
        return _answer(_authorised(slug, work), message)

    view.__name__ = name
    bp.add_url_rule(f"/{name}", name, limiter.limit(CALLS)(view), methods=["POST"])


_route("statusantrean", lambda site, body: booking.queue_status(get_session(), site, body))
_route("ambilantrean", lambda site, body: booking.take_jkn_queue(get_session(), site, body))
_route(
    "sisaantrean",
    lambda site, body: visits.remaining_queue(get_session(), site, body.get("kodebooking")),
)
_route(
    "batalantrean",
    lambda site, body: visits.cancel_jkn_booking(get_session(), site, body.get("kodebooking")),
)


def _check_in(site, body) -> None:
    """The ticket is the kiosk's: BPJS only hears "Ok" (its number comes with sisaantrean)."""
    visits.check_in_jkn_booking(get_session(), site, body.get("kodebooking"))


_route("checkin", _check_in)
_route(
    "pasienbaru",
    lambda site, body: {
        "norm": patients.register_new_patient(get_session(), site, body).medical_record
    },
    "Harap datang ke admisi untuk melengkapi data rekam medis",
)
_route(
    "ambilantreanfarmasi",
    lambda site, body: visits.pharmacy_queue(get_session(), site, body.get("kodebooking")),
)
_route(
    "statusantreanfarmasi",
    lambda site, body: visits.pharmacy_status(get_session(), site, body.get("kodebooking")),
)


def _operations_of_hospital(site, body):
    """Antre keeps no operating-theatre schedule: an honest empty list (docs/bpjs.md)."""
    first = booking.parse_day(body.get("tanggalawal"), site, timeutil.now_utc(), past_ok=True)
    last = booking.parse_day(body.get("tanggalakhir"), site, timeutil.now_utc(), past_ok=True)
    if last < first:
        raise Refused("Tanggal Akhir Tidak Boleh Lebih Kecil dari Tanggal Awal")
    return {"list": []}


def _operations_of_patient(site, body):
    patients.check_card(body.get("nopeserta", ""))
    return {"list": []}


_route("jadwaloperasirs", _operations_of_hospital)
_route("jadwaloperasipasien", _operations_of_patient)
