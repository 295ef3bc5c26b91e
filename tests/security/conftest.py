"""The personas and objects of the authorization matrix (test_authz_matrix_http/_socket).

Personas: nobody, a registered kiosk (its device token, demo mode's stand-in kiosk switched off),
a clerk of agency A, the supervisor of agency B, the mall admin, and the admin's idle session.
Objects: the tickets, counters, services, staff, bookings and slots of A (Dukcapil) and B
(Samsat) of the demo mall, made fresh for each request that could use one up (a cancelled
ticket, a deleted slot).
"""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shared import timeutil
from shared.models import (
    Booking,
    Display,
    Doctor,
    Holiday,
    Kiosk,
    OutboxMessage,
    Pathway,
    PathwayStep,
    Service,
    Site,
    SlotTemplate,
    StaffUser,
    Webhook,
)
from shared.seed import token_hash
from shared.web.auth import LAST_SEEN
from tests.counter import conftest as counter_tests
from tests.counter.conftest import agency_by_short, csrf_of, first_counter, issue

# The counter tests' fixtures: the app's own session, and clients signed in as anybody.
db, anonymous, staff = counter_tests.db, counter_tests.anonymous, counter_tests.staff
site_b = counter_tests.site_b  # a second site, for the site dimension

AGENCIES = {"A": "Dukcapil", "B": "Samsat"}
USERS = {"clerk_a": "dukcapil1", "spv_b": "spv.samsat", "admin": "admin"}
PERSONAS = ("anonymous", "kiosk", "clerk_a", "spv_b", "admin", "idle_admin")
SIGNED_OUT = ("anonymous", "kiosk", "idle_admin")
OWN_AGENCY = {"clerk_a": "A", "spv_b": "B"}

# Who may: the classes of the matrix.
PUBLIC = "public"  # anybody, citizens included
KIOSK = "kiosk"  # a registered kiosk (its device token); staff sessions do not count
TABLET = "tablet"  # the counter's registered survey tablet (its device token); no persona holds one
STAFF = "staff"  # any signed-in staff
AGENCY = "agency"  # staff of the object's agency, or the admin
MANAGER = "manager"  # supervisors (their own agency's rows) and the admin
MANAGER_OF = "manager-of-agency"  # the supervisor of the object's agency, or the admin
ADMIN = "admin"
SCOPED = (AGENCY, MANAGER_OF)  # tried on A's and on B's object


def allowed(access: str, persona: str, agency: str | None = None) -> bool:
    if access == PUBLIC:
        return True
    if access == KIOSK:
        return persona == "kiosk"
    if access == TABLET:
        return False  # tests/reports/test_survey_pages.py opens it with the tablet's token
    if persona in SIGNED_OUT:
        return False
    if persona == "admin" or access == STAFF:
        return True
    if access == ADMIN or (access in (MANAGER, MANAGER_OF) and persona == "clerk_a"):
        return False
    return access not in SCOPED or agency == OWN_AGENCY[persona]


KIOSK_COOKIE, KIOSK_TOKEN = "antre_kiosk", "matrix-kiosk-token-0123456789"
BOOKING_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@pytest.fixture
def registered_kiosk(app, db) -> int:
    """As outside demo mode: no stand-in kiosk without a token; one kiosk holding its token."""
    app.config["ANTRE"].demo = False
    site_id = agency_by_short(db, AGENCIES["A"]).site_id
    kiosk = Kiosk(
        site_id=site_id, name="Kiosk matriks", token_hash=token_hash(KIOSK_TOKEN), agency_ids=[]
    )
    db.add(kiosk)
    db.commit()
    return kiosk.id


@pytest.fixture
def personas(app, anonymous, staff, registered_kiosk):
    """personas(name) -> its test client; every one carries a CSRF token, so what answers is the
    access check, never the CSRF check. "idle_admin" is the admin's browser left alone past the
    idle timeout: a fresh one each time, as the first request signs it out."""
    clients = {name: staff(username) for name, username in USERS.items()}
    for name in ("anonymous", "kiosk"):
        client = anonymous()
        if name == "kiosk":
            client.set_cookie(KIOSK_COOKIE, KIOSK_TOKEN)  # as /kiosk/?token=… leaves it
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_of(client)
        clients[name] = client

    def persona(name: str):
        if name != "idle_admin":
            return clients[name]
        client = staff("admin")
        idle = app.config["ANTRE"].session_idle_minutes * 60 + 5
        with client.session_transaction() as flask_session:
            flask_session[LAST_SEEN] = time.time() - idle
        return client

    return persona


def outcome(answer, path: str) -> int | str:
    """The status, or "login" for the two ways of sending someone to sign in."""
    api = "/api/" in path or path.split("?")[0].endswith((".csv", ".xlsx", ".json"))
    if answer.status_code == 401 and api and answer.get_json()["error"] == "unauthorized":
        return "login"
    location = answer.headers.get("Location", "")
    if answer.status_code == 302 and location.startswith("/counter/login") and not api:
        return "login"
    return answer.status_code


def fill(value, ids: dict):
    """Placeholders replaced by ids: "{ticket}" alone gives the id itself (an int in JSON)."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value.format_map(ids) if isinstance(value, str) else value


class Targets:
    """Ids of agency A's or B's objects, by placeholder name: Targets(db).ids("A")["ticket"]."""

    def __init__(self, db):
        self.db = db
        self.serial = itertools.count(1)

    def ids(self, agency: str | None) -> dict:
        return _Ids(self, AGENCIES[agency or "A"])

    def make(self, name: str, short: str):
        db = self.db
        service = first_counter(db, short).services[0]
        if name == "ticket":
            return issue(db, short).id
        if name == "code":
            return issue(db, short).code
        if name == "counter":
            return first_counter(db, short).id
        if name == "service":
            return service.id
        if name == "agency":
            return agency_by_short(db, short).id
        if name == "clerk":
            return self._clerk(agency_by_short(db, short).id)
        if name == "booking":
            return self._booking(service.id)
        if name == "slot":
            start = f"05:{next(self.serial):02d}"  # one slot per service, weekday and start
            slot = SlotTemplate(service_id=service.id, weekday=6, start=start, end="06:00")
            return self._added(slot).id
        if name == "holiday":
            day = date(2030, 1, 1) + timedelta(days=next(self.serial))
            holiday = Holiday(site_id=self._site_id(short), day=day, name="Libur uji")
            return self._added(holiday).id
        site_id = self._site_id(short)
        if name == "kiosk":
            stmt = select(Kiosk.id).where(Kiosk.is_demo, Kiosk.site_id == site_id)
            return self.db.execute(stmt).scalars().first()
        if name in ("display", "zone"):
            stmt = select(Display.id).where(Display.site_id == site_id).order_by(Display.id)
            return self.db.execute(stmt).scalars().first()
        if name == "mall":
            return site_id
        if name == "pathway":
            pathway = Pathway(site_id=site_id, name=f"Alur uji {next(self.serial)}")
            pathway.steps = [PathwayStep(position=1, name="Loket", services=[service])]
            return self._added(pathway).id
        if name == "doctor":
            return self._added(Doctor(site_id=site_id, service_id=service.id, name="dr. Uji")).id
        if name == "webhook":
            return self._webhook(site_id)
        if name == "webhook_message":  # a failed delivery of the webhook made just before
            return self._failed(site_id, self.last_webhook)
        if name == "outbox_message":
            return self._failed(site_id, self._webhook(site_id))
        raise KeyError(name)

    def _webhook(self, site_id: int) -> int:
        """A webhook, let go of at once (the app may delete it, and SQLite reuse its id)."""
        webhook = Webhook(
            site_id=site_id,
            url="http://127.0.0.1:9/hook",
            secret="x" * 20,
            events=["ticket.issued"],
        )
        self.last_webhook = self._added(webhook).id
        self.db.expunge(webhook)
        return self.last_webhook

    def _failed(self, site_id: int, webhook_id: int) -> int:
        payload = {"event": "ticket.issued", "site": "s", "occurred_at": "", "data": {}}
        message = OutboxMessage(
            uid=f"matrix{next(self.serial):026d}",
            kind="webhook",
            site_id=site_id,
            payload=payload,
            ref_type="webhook",
            ref_id=webhook_id,
            failed_at=timeutil.now_utc(),
            last_error="HTTP 410",
        )
        return self._added(message).id

    def _site_id(self, short: str) -> int:
        return agency_by_short(self.db, short).site_id

    def _clerk(self, agency_id: int) -> int:
        """A clerk of the agency who is none of the personas."""
        return (
            self.db.execute(
                select(StaffUser.id)
                .where(StaffUser.agency_id == agency_id, StaffUser.role == StaffUser.CLERK)
                .where(StaffUser.username.not_in(USERS.values()))
                .order_by(StaffUser.id)
            )
            .scalars()
            .first()
        )

    def _booking(self, service_id: int) -> str:
        """A booking for today whose check-in window is open all day."""
        mall = self.db.get(Site, self.db.get(Service, service_id).site_id)
        mall.checkin_early_minutes, mall.checkin_late_minutes = 30, 24 * 60
        n = next(self.serial)
        code = "MTRX" + "".join(BOOKING_LETTERS[(n // 31**i) % 31] for i in range(4))
        today = timeutil.business_date(timeutil.now_utc(), mall.timezone)
        self._added(
            Booking(code=code, service_id=service_id, day=today, start="00:00", end="00:30")
        )
        return code

    def _added(self, obj):
        self.db.add(obj)
        self.db.commit()
        return obj


class _Ids(dict):
    """Made on first use, so that a path names only what it needs."""

    def __init__(self, targets: Targets, short: str):
        super().__init__()
        self.targets, self.short = targets, short

    def __missing__(self, name: str):
        self[name] = self.targets.make(name, self.short)
        return self[name]


@pytest.fixture
def targets(db) -> Targets:
    return Targets(db)
