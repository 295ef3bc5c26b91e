"""Who may do what over HTTP: every route of the composed app (run.py) × every persona.

Each route is classified once below; test_every_route_is_classified fails for a route that is
added without a line here. For each persona the expected answer follows from the class: the
allowed answer (``ok``), a refusal (403; 401 for kiosk routes), or the way to the sign-in page
("login": 401 on the API and downloads, a redirect to /counter/login on pages). Routes on one
agency's object are tried on agency A's and on agency B's. tests/counter/test_authorization.py
goes through every ticket action and more users; here each route gets one representative call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from counter.admin import register as register_admin
from counter.admin.base import ENTITIES
from tests.security.conftest import (
    ADMIN,
    AGENCY,
    KIOSK,
    MANAGER,
    MANAGER_OF,
    PERSONAS,
    PUBLIC,
    SCOPED,
    SIGNED_OUT,
    STAFF,
    TABLET,
    allowed,
    fill,
    outcome,
)

register_admin()  # fills ENTITIES (the app does it in init_app)


@pytest.fixture
def config(config):
    config.rate_limits = False  # the matrix sends more requests than a person would
    config.notify_gateway_url = "http://127.0.0.1:9/gateway"  # SMS alerts work here
    return config


@dataclass(frozen=True)
class Case:
    method: str
    rule: str  # exactly as in app.url_map
    access: str
    ok: int | str = 200
    path: str | None = None  # with {placeholders} for Targets; default: the rule's, by name
    json: dict | None = None
    form: dict | None = field(default=None)

    def __str__(self) -> str:
        return f"{self.method} {self.target}"

    @property
    def target(self) -> str:
        """/counter/console/<int:counter_id> -> /counter/console/{counter}"""
        return self.path or re.sub(r"<(?:\w+:)?(\w+?)(?:_id)?>", r"{\1}", self.rule)


def expected(case: Case, persona: str, agency: str | None) -> int | str:
    if allowed(case.access, persona, agency):
        return case.ok
    if case.access == KIOSK:
        return 401  # an unknown kiosk
    if case.access == TABLET:
        return 403  # not the counter's tablet, whoever is signed in (a clerk cannot rate either)
    return "login" if persona in SIGNED_OUT else 403


_T = "/counter/api/tickets/<int:ticket_id>/<action>"
_C = "/counter/api/counters/<int:counter_id>"
_R = "/counter/reports/"
ROUTES = [
    Case("GET", "/", PUBLIC),
    Case("GET", "/favicon.ico", PUBLIC),
    Case("GET", "/counter/", STAFF, 302),  # home by role: pick a counter, or the dashboard
    Case("GET", "/counter/login", PUBLIC),
    Case("POST", "/counter/login", PUBLIC, 401, form={}),  # no credentials
    Case("POST", "/counter/logout", PUBLIC, "login"),
    Case("GET", "/counter/pick", STAFF),
    Case("POST", "/counter/pick", AGENCY, 302, form={"counter_id": "{counter}"}),
    Case("GET", "/counter/console/<int:counter_id>", AGENCY),
    Case("GET", _C, AGENCY),
    Case("POST", _C + "/call-next", AGENCY),
    Case(
        "POST",
        _C + "/status",
        AGENCY,
        json={"status": "open"},
    ),
    Case("POST", _T, AGENCY, path="/counter/api/tickets/{ticket}/cancel", json={}),
    # An unknown action is no route at all: 404 for all staff, whosever the ticket.
    Case("POST", _T, STAFF, 404, path="/counter/api/tickets/{ticket}/nope", json={}),
    Case("GET", "/counter/api/tickets/<int:ticket_id>/next-steps", AGENCY),
    # A visit's patient identity: read by the ticket's agency (masked unless serving it); a bad
    # body answers 422 to them, before the write is refused to whoever is not serving it.
    Case("GET", "/counter/api/tickets/<int:ticket_id>/patient", AGENCY),
    Case("PUT", "/counter/api/tickets/<int:ticket_id>/patient", AGENCY, 422, json={"nik": "x"}),
    Case(
        "POST",
        "/counter/api/bookings/<code>/check-in",
        AGENCY,
        path="/counter/api/bookings/{booking}/check-in",
        json={},
    ),
    Case("GET", "/counter/api/services", STAFF),
    Case("GET", "/counter/api/dashboard", MANAGER),
    Case(
        "GET",
        "/counter/api/dashboard",
        MANAGER_OF,
        path="/counter/api/dashboard?agency_id={agency}",
    ),
    Case("GET", "/counter/dashboard", MANAGER),
    Case("GET", "/counter/audit", MANAGER),
    Case("GET", "/counter/admin/", MANAGER),
    Case(
        "POST",
        "/counter/admin/displays/<int:display_id>/media",
        ADMIN,
        422,  # no file
        form={},
    ),
    Case(
        "POST",
        "/counter/admin/displays/<int:display_id>/media/delete",
        ADMIN,
        404,  # no such file
        form={"name": "nope.png"},
    ),
    Case(
        "POST",
        "/counter/admin/<key>/<int:object_id>/logo",
        ADMIN,
        422,  # no file
        path="/counter/admin/agencies/{agency}/logo",
        form={},
    ),
    Case(
        "POST",
        "/counter/admin/<key>/<int:object_id>/logo/delete",
        ADMIN,
        302,
        path="/counter/admin/agencies/{agency}/logo/delete",
        form={},
    ),
    Case("GET", "/counter/admin/images/<int:image_id>", ADMIN, 404, path="/counter/admin/images/1"),
    Case(
        "POST",
        "/counter/admin/kiosks/<int:kiosk_id>/token",
        ADMIN,
        form={},
    ),
    # Webhooks' delivery logs and the site's outbox of failed messages: admins of the site.
    Case("GET", "/counter/admin/webhooks/<int:webhook_id>/log", ADMIN),
    Case(
        "POST",
        "/counter/admin/webhooks/<int:webhook_id>/log/<int:message_id>/replay",
        ADMIN,
        302,
        path="/counter/admin/webhooks/{webhook}/log/{webhook_message}/replay",
        form={},
    ),
    Case("GET", "/counter/admin/outbox/", ADMIN),
    Case(
        "POST",
        "/counter/admin/outbox/<int:message_id>/retry",
        ADMIN,
        302,
        path="/counter/admin/outbox/{outbox_message}/retry",
        form={},
    ),
    # BPJS: the bridge (admins), each JKN visit's tasks with a retry (supervisors and admins).
    Case("GET", "/counter/admin/bpjs/", ADMIN),
    Case("POST", "/counter/admin/bpjs/", ADMIN, 302, form={"cons_id": ""}),
    Case("GET", "/counter/admin/bpjs/visits", MANAGER),
    Case("GET", "/counter/admin/bpjs/report", MANAGER),
    Case(
        "POST",
        "/counter/admin/bpjs/visits/<int:visit_id>/retry",
        MANAGER,
        302,
        path="/counter/admin/bpjs/visits/{bpjs_visit}/retry",
        form={},
    ),
    # A supervisor could rate their own agency from a tablet of their own: the admin binds them.
    Case("POST", "/counter/admin/counters/<int:counter_id>/tablet", ADMIN, form={}),
    # A test alert through a site's gateway: its admins only (it sends to a number they type).
    Case(
        "POST",
        "/counter/admin/gateways/<int:gateway_id>/test",
        ADMIN,
        302,
        form={"phone": "081234567890"},
    ),
    # Reports: a clerk sees their own figures (the default scope), a supervisor their agency's.
    Case("GET", _R, STAFF),
    Case("GET", _R, MANAGER_OF, path=_R + "?scope=agency&id={agency}"),
    Case("GET", _R, MANAGER_OF, path=_R + "?scope=counter&id={counter}"),
    Case("GET", _R, ADMIN, path=_R + "?scope=mall"),
    Case("GET", _R + "export.csv", STAFF),
    Case("GET", _R + "export.csv", MANAGER_OF, path=_R + "export.csv?scope=service&id={service}"),
    Case("GET", _R + "export.xlsx", STAFF),
    Case("GET", _R + "export.xlsx", MANAGER_OF, path=_R + "export.xlsx?scope=clerk&id={clerk}"),
    Case("GET", _R + "skm/print", STAFF),
    # Every site at once: the installation admin only (the matrix's admin has no site).
    Case("GET", "/counter/regional", ADMIN),
    Case("GET", "/counter/api/regional", ADMIN),
    Case("GET", _R + "sites", ADMIN),
    Case("GET", _R + "sites/export.csv", ADMIN),
    Case("GET", _R + "static/<path:filename>", PUBLIC, path=_R + "static/reports/reports.css"),
    Case("GET", "/counter/static/<path:filename>", PUBLIC, path="/counter/static/counter/copy.js"),
    # Display: lobby TVs and the voice clips are public; the counter's survey form answers only
    # that counter's registered tablet.
    Case("GET", "/display/", PUBLIC),
    Case("GET", "/display/zone/<int:zone>", PUBLIC),
    Case("GET", "/display/api/state", PUBLIC, path="/display/api/state?zone={zone}"),
    Case("GET", "/display/api/chime.wav", PUBLIC),
    Case("GET", "/display/api/announcement.wav", PUBLIC, 400),  # no number named
    Case("GET", "/display/media/<path:filename>", PUBLIC, 404, path="/display/media/none.png"),
    Case("GET", "/display/logo/mall", PUBLIC, 404),  # the demo mall has no logo
    Case("GET", "/display/logo/site/<int:site_id>", PUBLIC, 404, path="/display/logo/site/{mall}"),
    # The sites and their TV zones: public, for booking pages and integrators.
    Case("GET", "/api/sites", PUBLIC),
    Case("GET", "/display/admin/voice", ADMIN),
    Case("POST", "/display/admin/voice", ADMIN, 302, form={}),  # nothing chosen: back to the page
    Case("GET", "/display/static/<path:filename>", PUBLIC, path="/display/static/display/tv.js"),
    Case("GET", "/display/survey/counter/<int:counter_id>", TABLET),
    Case("POST", "/display/survey/counter/<int:counter_id>", TABLET, form={}),
    Case(
        "GET",
        "/display/survey/static/<path:filename>",
        PUBLIC,
        path="/display/survey/static/survey/survey.css",
    ),
    # The citizen's ticket page: the code is the key.
    Case("GET", "/t/<code>", PUBLIC),
    Case("GET", "/t/<code>.json", PUBLIC),
    Case("GET", "/t/<code>/survey", PUBLIC),
    Case("POST", "/t/<code>/survey", PUBLIC, 409, form={}),  # not served
    Case(
        "POST", "/t/<code>/notify", PUBLIC, 201, json={"channel": "sms", "phone": "0812 3456 7890"}
    ),
    Case("POST", "/t/<code>/notify/stop", PUBLIC, json={"channel": "sms"}),
    # Web Push: the server's VAPID public key and the ticket page's service worker.
    Case("GET", "/t/push-key", PUBLIC),
    Case("GET", "/t/sw.js", PUBLIC),
    # Kiosk: the screens and ticket taking need a registered kiosk; booking is for everyone.
    Case("GET", "/kiosk/", KIOSK),
    Case("GET", "/kiosk/api/services", KIOSK),
    Case(
        "POST",
        "/kiosk/api/tickets",
        KIOSK,
        201,
        json={"service_id": "{service}", "idempotency_key": "matrix-1"},
    ),
    Case("POST", "/kiosk/api/heartbeat", KIOSK, json={}),
    Case(
        "POST",
        "/kiosk/api/tickets/<code>/notify",
        KIOSK,
        201,
        json={"channel": "whatsapp", "phone": "0812 3456 7890"},
    ),
    Case(
        "POST",
        "/kiosk/api/bookings/<code>/check-in",
        KIOSK,
        201,
        path="/kiosk/api/bookings/{booking}/check-in",
        json={},
    ),
    Case(
        "GET",
        "/kiosk/api/booking/services",
        PUBLIC,
        path="/kiosk/api/booking/services?site=mpp-tebo",  # several sites: the citizen chooses
    ),
    Case("GET", "/kiosk/api/booking/slots", PUBLIC, 422),  # no service named
    Case("POST", "/kiosk/api/bookings", PUBLIC, 422, json={}),
    Case("GET", "/kiosk/api/bookings/<code>", PUBLIC, path="/kiosk/api/bookings/{booking}"),
    Case(
        "POST",
        "/kiosk/api/bookings/<code>/cancel",
        PUBLIC,
        path="/kiosk/api/bookings/{booking}/cancel",
        json={},
    ),
    Case("GET", "/kiosk/booking/", PUBLIC),
    Case("GET", "/kiosk/booking/<code>", PUBLIC, path="/kiosk/booking/{booking}"),
    Case(
        "POST", "/kiosk/booking/<code>/cancel", PUBLIC, 302, path="/kiosk/booking/{booking}/cancel"
    ),
    Case("GET", "/kiosk/booking/<code>/card.png", PUBLIC, path="/kiosk/booking/{booking}/card.png"),
    Case("GET", "/kiosk/booking/<code>/qr.png", PUBLIC, path="/kiosk/booking/{booking}/qr.png"),
    Case(
        "GET",
        "/kiosk/booking/static/<path:filename>",
        PUBLIC,
        path="/kiosk/booking/static/booking.js",
    ),
    Case("GET", "/kiosk/qr/<code>.svg", PUBLIC),
    Case("GET", "/kiosk/logo/mall", PUBLIC, 404),  # the demo mall has no logo
    Case("GET", "/kiosk/logo/site/<int:site_id>", PUBLIC, 404, path="/kiosk/logo/site/{mall}"),
    Case("GET", "/kiosk/logo/agency/<int:agency_id>", PUBLIC, 404),
    Case("GET", "/kiosk/static/<path:filename>", PUBLIC, path="/kiosk/static/kiosk/kiosk.js"),
    Case("GET", "/static/shared/<path:filename>", PUBLIC, path="/static/shared/antre.js"),
    Case("GET", "/static/vendor/<path:name>", PUBLIC, path="/static/vendor/socket.io.min.js"),
    # An offline site pushes its days: no session, the signature by the site's registered key is
    # the credential (shared/site_sync); an unsigned body is refused alike for everyone.
    Case("POST", "/api/sites/<slug>/sync", PUBLIC, 400, path="/api/sites/mpp-tebo/sync"),
    # Mobile JKN's web service (BPJS's protocol): no session; its own token is the credential,
    # checked in tests/mobilejkn. Without x-token every persona gets BPJS's refusal (code 201).
    Case("GET", "/jkn/<slug>/token", PUBLIC, 201, path="/jkn/rsud-sts/token"),
    Case("POST", "/jkn/<slug>/token", PUBLIC, 201, path="/jkn/rsud-sts/token"),
    *[
        Case("POST", f"/jkn/<slug>/{name}", PUBLIC, 201, path=f"/jkn/rsud-sts/{name}", json={})
        for name in (
            "statusantrean",
            "ambilantrean",
            "sisaantrean",
            "batalantrean",
            "checkin",
            "pasienbaru",
            "jadwaloperasirs",
            "jadwaloperasipasien",
            "ambilantreanfarmasi",
            "statusantreanfarmasi",
        )
    ],
    # Its puskesmas variant (Antrean FKTP), the same way.
    Case("GET", "/jkn/<slug>/auth", PUBLIC, 201, path="/jkn/rsud-sts/auth"),
    Case(
        "GET",
        "/jkn/<slug>/antrean/status/<kodepoli>/<tanggalperiksa>",
        PUBLIC,
        201,
        path="/jkn/rsud-sts/antrean/status/INT/2030-01-07",
    ),
    Case("POST", "/jkn/<slug>/antrean", PUBLIC, 201, path="/jkn/rsud-sts/antrean", json={}),
    Case(
        "GET",
        "/jkn/<slug>/antrean/sisapeserta/<nomorkartu>/<kodepoli>/<tanggalperiksa>",
        PUBLIC,
        201,
        path="/jkn/rsud-sts/antrean/sisapeserta/0000000000001/INT/2030-01-07",
    ),
    Case(
        "PUT", "/jkn/<slug>/antrean/batal", PUBLIC, 201, path="/jkn/rsud-sts/antrean/batal", json={}
    ),
    Case("POST", "/jkn/<slug>/peserta", PUBLIC, 201, path="/jkn/rsud-sts/peserta", json={}),
]

# Administered entities: who manages them, and which object of A (or B) an edit page opens.
ENTITY_ACCESS = {
    "staff": (MANAGER_OF, "clerk"),
    "counters": (MANAGER_OF, "counter"),
    "services": (MANAGER_OF, "service"),
    "slots": (MANAGER_OF, "slot"),
    "mall": (ADMIN, "mall"),
    "booking": (ADMIN, "mall"),  # the mall's booking windows and retention
    "agencies": (ADMIN, "agency"),
    "kiosks": (ADMIN, "kiosk"),
    "displays": (ADMIN, "display"),
    "holidays": (ADMIN, "holiday"),
    "sites": (ADMIN, "mall"),  # the installation admin's (the matrix's admin is one)
    "pathways": (ADMIN, "pathway"),  # a site's visit pathways: its admins only
    "doctors": (ADMIN, "doctor"),  # a site's doctors, their hours and leave: its admins only
    "webhooks": (ADMIN, "webhook"),  # a site's webhooks: its admins only
    "gateways": (ADMIN, "gateway"),  # a site's WhatsApp/SMS gateways (tokens): its admins only
    "alert_texts": (ADMIN, "alert_text"),  # the words of a site's alerts: its admins only
}


def entity_cases(key: str) -> list[Case]:
    access, placeholder = ENTITY_ACCESS[key]
    entity = ENTITIES[key]
    whole = MANAGER if access == MANAGER_OF else ADMIN  # the list and new pages
    base, item = "/counter/admin/<key>", f"/counter/admin/{key}/{{{placeholder}}}"
    new = 404 if entity.single else None  # the mall is one row: no "new" page
    return [
        Case(
            "GET", base + "/", whole, 302 if entity.single else 200, path=f"/counter/admin/{key}/"
        ),
        Case("GET", base + "/new", whole, new or 200, path=f"/counter/admin/{key}/new"),
        Case("POST", base + "/new", whole, new or 422, path=f"/counter/admin/{key}/new", form={}),
        Case("GET", base + "/<int:object_id>", access, path=item),
        Case("POST", base + "/<int:object_id>", access, 422, path=item, form={}),  # empty form
        # Deleting: only where the entity allows it (else 404 once the role is checked).
        Case(
            "POST",
            base + "/<int:object_id>/delete",
            access if entity.deletable else whole,
            302 if entity.deletable else 404,
            path=item + "/delete",
            form={},
        ),
    ]


CASES = ROUTES + [case for key in ENTITY_ACCESS for case in entity_cases(key)]


def test_every_route_is_classified(app):
    served = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    classified = {(case.method, case.rule) for case in CASES}
    assert served - classified == set(), "routes without a line in the matrix"
    assert classified - served == set(), "lines of the matrix for routes that do not exist"


def test_every_admin_entity_is_classified():
    assert set(ENTITIES) == set(ENTITY_ACCESS)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_route_matrix(case, personas, targets):
    wrong = []
    for agency in ("A", "B") if case.access in SCOPED else (None,):
        for persona in PERSONAS:
            ids = targets.ids(agency)  # fresh objects for every request
            path = fill(case.target, ids)
            body = {"json": fill(case.json, ids), "data": fill(case.form, ids)}
            answer = personas(persona).open(path, method=case.method, **body)
            got, want = outcome(answer, path), expected(case, persona, agency)
            if got != want:
                wrong.append(f"{persona} on {agency or '-'}'s: {got}, expected {want}")
    assert not wrong, f"{case}: " + "; ".join(wrong)
