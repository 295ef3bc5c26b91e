"""The kiosk's page (one page, three steps drawn by kiosk.js), the ticket QR, agency logos."""

from __future__ import annotations

import io

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
from flask import (
    session as browser_session,
)
from flask_babel import gettext
from sqlalchemy import select

from kiosk.identity import COOKIE, DEMO_SITE, find_kiosk
from shared import media, timeutil
from shared.models import Agency, PriorityGroup, Ticket
from shared.printing import ticket_url
from shared.queue.sites import default_site, get_site, offers_priority, site_by_slug
from shared.web.database import get_session
from shared.web.i18n import use_site_language
from shared.web.limits import code_lookup
from shared.web.vocabulary import term

bp = Blueprint(
    "kiosk", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static"
)

TOKEN_MAX_AGE = 10 * 365 * 24 * 3600


@bp.get("/")
def home():
    session = get_session()
    config = current_app.config["ANTRE"]
    token = request.args.get("token")
    if token:
        # Registration link: check the token, keep it in a cookie, drop it from the address bar.
        find_kiosk(session, token, demo=False)
        response = redirect(url_for("kiosk.home"))
        response.set_cookie(
            COOKIE,
            token,
            max_age=TOKEN_MAX_AGE,
            httponly=True,
            samesite="Strict",
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # over https only when served so
        )
        return response
    if config.demo and request.args.get("site"):
        # Demo mode: /kiosk/?site=<slug> makes this browser that site's tokenless demo kiosk
        # (an unknown slug is not kept: it would leave the browser without a kiosk).
        if site_by_slug(session, request.args["site"]) is None:
            abort(404, gettext("Unknown site."))
        browser_session[DEMO_SITE] = request.args["site"]
    kiosk = find_kiosk(
        session, request.cookies.get(COOKIE), config.demo, browser_session.get(DEMO_SITE)
    )
    site = get_site(session, kiosk.site_id)
    use_site_language(site)
    groups = session.execute(
        select(PriorityGroup)
        .where(PriorityGroup.active.is_(True))
        .order_by(PriorityGroup.display_order)
    ).scalars()
    return render_template(
        "kiosk/home.html",
        site=site,
        kiosk=kiosk,
        priority_groups=[g for g in groups if offers_priority(site, g.code)],
        zone=timeutil.zone_abbreviation(site.timezone),
        utc_offset=timeutil.utc_offset_minutes(site.timezone),
        strings=script_strings(site),
    )


def script_strings(site) -> dict[str, str]:
    """The words kiosk.js writes itself, in the page's language and the site's vocabulary
    ({n} is filled in by the script)."""
    return {
        "waiting": term(site, "n_waiting"),
        "eta": gettext("about {n} min"),
        "eta_soon": gettext("less than 1 min"),
        "quota": gettext("{n} tickets left today"),
        "requirements": gettext("Requirements"),
        "home_in": gettext("Back to the start in {n} s"),
        "offline": gettext("No connection to the server. Please try again or ask an officer."),
        "closed": gettext("Not available"),
        "agency_closed": gettext("Closed"),
        "page": gettext("Page {n} of {total}"),
        "checking_in": gettext("Checking in…"),
        "printing": gettext("Printing your ticket…"),
        "booking": gettext("Booking"),
        "session_hours": gettext("Practice hours {n}"),
        "places_jkn": gettext("JKN: {n} places"),
        "places_umum": gettext("General: {n} places"),
        "places_left": gettext("{n} places left"),
        "session_full": gettext("Full"),
        "first_step": gettext("first to {n}"),
        "go_to": gettext("Please go to {n}"),
        "then_to": gettext("Then: {n}"),
        "notified": gettext("WhatsApp notifications to {n}"),
        "notify_failed": gettext("Could not save the number. Please try again."),
    }


@bp.get("/qr/<code>.svg")
@code_lookup
def ticket_qr(code: str):
    """The QR of a ticket's public link, drawn on the server (no browser QR library needed)."""
    import qrcode
    import qrcode.image.svg

    session = get_session()
    found = session.execute(select(Ticket.id).where(Ticket.code == code)).first()
    if len(code) > 24 or found is None:
        abort(404)
    image = qrcode.make(
        ticket_url(current_app.config["ANTRE"], code),
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype="image/svg+xml", max_age=3600)


def _image_response(image_id: int | None):
    """A logo by the id its row names, only if it is one of the accepted image types."""
    image = media.servable_image(get_session(), image_id)
    if image is None:
        abort(404)
    response = send_file(io.BytesIO(image.data), mimetype=image.content_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/logo/agency/<int:agency_id>")
def agency_logo(agency_id: int):
    agency = get_session().get(Agency, agency_id)
    return _image_response(agency.logo_image_id if agency else None)


@bp.get("/logo/site/<int:site_id>")
def site_logo(site_id: int):
    return _image_response(get_site(get_session(), site_id).logo_image_id)


@bp.get("/logo/mall")
def mall_logo():
    """The first site's logo: the address of one-site installations before sites existed."""
    return _image_response(default_site(get_session()).logo_image_id)
