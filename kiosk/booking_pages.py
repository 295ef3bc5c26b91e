"""The citizen's booking pages: choose, book, keep the code (as a QR image), cancel."""

from __future__ import annotations

import io

import qrcode
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_date, gettext

from shared import booking
from shared.alerts.channels import alert_channels
from shared.booking.card import booking_card_png
from shared.booking.payloads import doctor_json
from shared.queue.sites import active_sites, site_by_slug, site_of_service
from shared.web.database import get_session
from shared.web.i18n import use_site_language
from shared.web.limits import code_lookup

bp = Blueprint(
    "booking",
    __name__,
    url_prefix="/kiosk/booking",
    template_folder="templates",
    static_folder="static/booking",
    static_url_path="/static",
)


def booking_link(code: str) -> str:
    return f"{current_app.config['ANTRE'].public_url.rstrip('/')}/kiosk/booking/{code}"


@bp.get("/")
def book():
    """Booking starts with the site: chosen here when the installation has more than one."""
    session = get_session()
    slug = request.args.get("site")
    if slug:
        site = site_by_slug(session, slug)
        if site is None:
            abort(404)
        use_site_language(site)
        return _book_page(session, site)
    sites = active_sites(session)
    if len(sites) == 1:
        use_site_language(sites[0])
        return _book_page(session, sites[0])
    return render_template("booking/sites.html", sites=sites)


def _book_page(session, site):
    """The page offers alerts only by the channels that work at this site (docs/alerts.md)."""
    works = alert_channels(session, site, current_app.config["ANTRE"])
    alerts = [(c, label) for c, label in (("whatsapp", "WhatsApp"), ("sms", "SMS")) if works[c]]
    return render_template("booking/book.html", site=site, alert_options=alerts)


@bp.get("/<code>")
@code_lookup
def show(code: str):
    session = get_session()
    found = booking.find_booking(session, code)
    return render_template(
        "booking/show.html",
        booking=found,
        day=format_date(found.day, "EEEE, d MMMM y"),
        early=site_of_service(session, found.service).checkin_early_minutes,
        doctor=doctor_json(found),
    )


@bp.post("/<code>/cancel")
@code_lookup
def cancel(code: str):
    session = get_session()
    cancelled = booking.cancel_booking(session, code)
    session.commit()
    return redirect(url_for("booking.show", code=cancelled.code))


@bp.get("/<code>/qr.png")
@code_lookup
def qr(code: str):
    found = booking.find_booking(get_session(), code)
    image = qrcode.make(booking_link(found.code), box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png", max_age=3600)


@bp.get("/<code>/card.png")
@code_lookup
def card(code: str):
    found = booking.find_booking(get_session(), code)
    png = booking_card_png(
        found,
        link=booking_link(found.code),
        day=format_date(found.day, "EEEE, d MMMM y"),
        title=gettext("Online booking"),
        hint=gettext("Show this code at the kiosk on the day."),
    )
    return send_file(
        io.BytesIO(png),
        mimetype="image/png",
        as_attachment=True,
        download_name=f"antrean-{found.code}.png",
    )
