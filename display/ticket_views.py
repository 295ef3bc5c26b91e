"""The citizen's ticket page behind the QR code, and its JSON (also read by the kiosk)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import get_locale

from shared import timeutil
from shared.alerts.channels import alerts_json
from shared.queue.sites import site_by_slug
from shared.ticket_status import describe_ticket, find_ticket_by_code
from shared.web.database import get_session
from shared.web.i18n import use_site_language
from shared.web.limits import code_lookup, limiter

bp = Blueprint("ticket", __name__)
# Generous: a mall's Wi-Fi puts many phones behind one address; the code itself is the secret.
LIMIT = "120/minute"


@bp.get("/t/<code>.json")
@limiter.limit(LIMIT)
@code_lookup
def ticket_json(code: str):
    session = get_session()
    described = describe_ticket(session, code)
    site = site_by_slug(session, described["site"]["slug"])
    ticket = find_ticket_by_code(session, code)
    described["alerts"] = alerts_json(session, ticket, site, current_app.config["ANTRE"])
    response = jsonify(described)
    response.cache_control.no_store = True
    return response


@bp.get("/t/<code>")
@limiter.limit(LIMIT)
@code_lookup
def ticket_page(code: str):
    session = get_session()
    ticket = describe_ticket(session, code)
    site = site_by_slug(session, ticket["site"]["slug"])  # its words: loket or ruang, orang/pasien
    use_site_language(site)
    # "Senin, 23 November 2026", as every date a citizen reads (the JSON keeps ISO dates).
    day = timeutil.long_date(date.fromisoformat(ticket["business_date"]), str(get_locale()))
    return render_template("display/ticket.html", ticket=ticket, code=code, day=day, site=site)
