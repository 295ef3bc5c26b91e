"""The matrix role × agency × action: staff act only on their own agency, admins everywhere.

Every request is hand-made (the console would never send them): the server must refuse anyway.
"""

from __future__ import annotations

import pytest

from tests.counter.conftest import first_counter, issue

USERS = {  # username: (role, agency)
    "samsat1": ("clerk", "Samsat"),
    "spv.samsat": ("supervisor", "Samsat"),
    "admin": ("admin", None),
}
TICKET_ACTIONS = [
    "call",
    "recall",
    "start",
    "finish",
    "no-show",
    "transfer",
    "cancel",
    "reactivate",
]


def allowed(username: str, agency: str) -> bool:
    role, own = USERS[username]
    return role == "admin" or own == agency


@pytest.fixture
def targets(db):
    """A waiting ticket and the first counter of Dukcapil and of Samsat."""
    return {
        short: {"counter": first_counter(db, short).id, "ticket": issue(db, short).id}
        for short in ("Dukcapil", "Samsat")
    }


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("agency", ["Dukcapil", "Samsat"])
@pytest.mark.parametrize("action", TICKET_ACTIONS)
def test_ticket_actions(staff, targets, username, agency, action):
    client = staff(username)
    target = targets[agency]
    body = {"counter_id": target["counter"], "service_id": 1, "recall_count": 0}
    answer = client.post(f"/counter/api/tickets/{target['ticket']}/{action}", json=body)
    if allowed(username, agency):
        # Past the agency check: the state machine answers (200, or 409/422 from the domain).
        assert answer.status_code in (200, 409, 422), answer.get_json()
    else:
        assert answer.status_code == 403
        assert answer.get_json()["error"] == "forbidden"


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("agency", ["Dukcapil", "Samsat"])
@pytest.mark.parametrize(
    "method,path,body",
    [
        ("get", "/counter/api/counters/{counter}", None),
        ("post", "/counter/api/counters/{counter}/call-next", {"request_id": "m"}),
        ("post", "/counter/api/counters/{counter}/status", {"status": "closed"}),
        ("get", "/counter/console/{counter}", None),
    ],
)
def test_counter_endpoints(staff, targets, username, agency, method, path, body):
    client = staff(username)
    url = path.format(counter=targets[agency]["counter"])
    answer = getattr(client, method)(url, json=body) if body else getattr(client, method)(url)
    expected = 200 if allowed(username, agency) else 403
    assert answer.status_code == expected


@pytest.mark.parametrize("username", USERS)
def test_own_counter_cannot_call_another_agencys_ticket(staff, targets, username):
    """A Samsat counter id in the body does not open Dukcapil's tickets, nor the reverse."""
    client = staff(username)
    answer = client.post(
        f"/counter/api/tickets/{targets['Dukcapil']['ticket']}/call",
        json={"counter_id": targets["Samsat"]["counter"]},
    )
    assert answer.status_code == 403


def test_reading_another_agencys_ticket_through_a_transfer_target_is_fine(staff, targets):
    """Transfers may go to any agency: the target list is for every clerk."""
    assert staff("samsat1").get("/counter/api/services").status_code == 200


@pytest.mark.parametrize(
    "username,path,status",
    [
        ("samsat1", "/counter/dashboard", 403),
        ("samsat1", "/counter/api/dashboard", 403),
        ("samsat1", "/counter/admin/", 403),
        ("samsat1", "/counter/audit", 403),
        ("spv.samsat", "/counter/dashboard", 200),
        ("spv.samsat", "/counter/api/dashboard?agency_id=1", 403),
        ("spv.samsat", "/counter/admin/services/", 200),
        ("spv.samsat", "/counter/admin/services/1", 403),
        ("spv.samsat", "/counter/admin/mall/", 403),
        ("spv.samsat", "/counter/admin/agencies/", 403),
        ("spv.samsat", "/counter/admin/kiosks/", 403),
        ("spv.samsat", "/counter/admin/displays/", 403),
        # The installation admin is of no site: to a supervisor, as if it did not exist.
        ("spv.samsat", "/counter/admin/staff/1", 404),
        ("spv.samsat", "/counter/audit", 200),
        ("admin", "/counter/api/dashboard?agency_id=1", 200),
        ("admin", "/counter/admin/kiosks/", 200),
    ],
)
def test_pages_by_role(staff, username, path, status):
    assert staff(username).get(path).status_code == status


def test_supervisor_dashboard_shows_only_their_agency(staff):
    data = staff("spv.samsat").get("/counter/api/dashboard").get_json()
    assert [a["short_name"] for a in data["agencies"]] == ["Samsat"] and data["site"] is None


def test_signed_out_api_answers_401_json_and_pages_redirect(anonymous, targets):
    client = anonymous()
    answer = client.post(f"/counter/api/counters/{targets['Samsat']['counter']}/call-next")
    assert answer.status_code in (400, 401)  # CSRF first, then sign-in
    assert client.get(f"/counter/api/counters/{targets['Samsat']['counter']}").status_code == 401
    page = client.get("/counter/dashboard")
    assert page.status_code == 302 and "/counter/login" in page.headers["Location"]
