"""Kiosks: printer settings and the agencies shown. The device token is shown once, when the
kiosk is registered or its token rotated; only its SHA-256 is stored."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from flask import current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from counter.access import site_object_or_404
from counter.admin.base import Entity, agency_choices, register
from counter.admin.fields import Field
from counter.blueprint import bp
from shared.audit import record_audit
from shared.models import Kiosk
from shared.printing.devices import PrinterURIError, parse_printer_uri
from shared.printing.problems import STATES as PRINTER_STATES
from shared.queue import publishing
from shared.seed import token_hash
from shared.web.auth import require_roles
from shared.web.database import get_session

PROFILES = ("TM-T20II", "TM-T88V", "TM-T82", "POS-5890", "ZJ-5870", "default")


class Kiosks(Entity):
    key = "kiosks"
    title = _l("Kiosks")
    model = Kiosk
    config_what = "kiosks"
    fields = [
        Field("name", _l("Name"), required=True, max_length=80),
        Field(
            "printer_uri",
            _l("Printer (none, usb:VID:PID, tcp://host:9100, serial:/dev/ttyUSB0, file:/path)"),
            max_length=255,
        ),
        Field(
            "paper_width",
            _l("Paper width"),
            kind="choice",
            choices=lambda: [(58, "58 mm"), (80, "80 mm")],
        ),
        Field(
            "printer_profile",
            _l("Printer profile"),
            kind="choice",
            choices=lambda: [(p, p) for p in PROFILES],
        ),
        Field("native_qr", _l("The printer draws QR codes itself"), kind="bool"),
        Field("agency_ids", _l("Agencies shown (none: all)"), kind="multi", choices=agency_choices),
        Field("active", _l("Active"), kind="bool"),
    ]
    columns = [
        (_l("Name"), "name"),
        (_l("Printer"), "printer_uri"),
        (_l("Paper width"), "paper_width"),
        (_l("Printer state"), "printer_state"),
        (_l("Active"), "active"),
    ]

    def cell(self, obj, attribute):
        if attribute == "printer_state" and obj.printer_state in PRINTER_STATES:
            return gettext(PRINTER_STATES[obj.printer_state])
        return super().cell(obj, attribute)

    def check(self, session, obj, values):
        try:
            parse_printer_uri(values.get("printer_uri"))
        except PrinterURIError as error:  # refused here, not found out as failed tickets
            return {
                "printer_uri": gettext(
                    "This printer address is not valid: %(problem)s", problem=str(error)
                )
            }
        return {}

    def new(self):
        kiosk = super().new()  # of the site worked on
        kiosk.new_token = secrets.token_urlsafe(24)
        kiosk.token_hash = token_hash(kiosk.new_token)
        return kiosk

    def after_save(self, obj, created):
        if created:
            return token_page(obj, obj.new_token)
        return None


def registration_link(token: str) -> str:
    """The address that registers a kiosk's browser: the kiosk app's ``/kiosk/?token=…`` keeps
    the token in a cookie and drops it from the address bar (kiosk/views.py)."""
    base = current_app.config["ANTRE"].public_url.rstrip("/")
    return f"{base}/kiosk/?{urlencode({'token': token})}"


def token_page(kiosk: Kiosk, token: str) -> str:
    return render_template(
        "counter/admin/token.html", kiosk=kiosk, token=token, link=registration_link(token)
    )


@bp.post("/admin/kiosks/<int:kiosk_id>/token")
@require_roles("admin")
def rotate_kiosk_token(kiosk_id: int):
    """A new token (the old one stops working at once), shown once."""
    kiosk = site_object_or_404(Kiosk, kiosk_id)
    token = secrets.token_urlsafe(24)
    kiosk.token_hash = token_hash(token)
    session = get_session()
    record_audit(session, current_user, "kiosks.rotate_token", "kiosks", kiosk.id, {})
    publishing.config_changed(session, kiosk.site_id, "kiosks", [kiosk.id])
    session.commit()
    return token_page(kiosk, token)


register(Kiosks())
