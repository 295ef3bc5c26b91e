"""One visitor's journey through the whole product, in real Chromium against ONE real server.

kiosk (portrait) → ticket page on a phone (360×740) → a Dukcapil clerk signs in and calls it →
the lobby TV shows and announces it → the phone says "Giliran Anda!" → the clerk transfers it to
BPJS Kesehatan → the BPJS clerk calls, starts, finishes it → the survey on the phone → the report.

Another citizen takes a ticket just before, so the phone first shows one person ahead and then
moves up live. Every wait is an ``expect`` (or an awaited request), never a fixed sleep.
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.browser import WAIT, console_action, require_chromium, save_screenshot
from tests.servers import fold_reports, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The visitor's answers: every element "4" except completion time ("3"): 35/9 × 25 = 97,22.
SCORES = {f"u{i}": 4 for i in range(1, 10)} | {"u3": 3}


class Watched:
    """A page with its script errors and failed requests collected (a CSP violation shows here)."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self.console)
        page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def console(self, message) -> None:
        # A failed resource is reported by its response (with its address) instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("journey")
    with running_server(
        f"sqlite:///{folder / 'antre.db'}",
        log_path=folder / "server.log",
        ANTRE_INSTANCE_PATH=str(folder / "instance"),
    ) as (base, _process):
        yield base, f"sqlite:///{folder / 'antre.db'}"


def take_ticket(kiosk, base: str, service_code: str | None = None) -> dict:
    """Three taps on the kiosk; returns the ticket from the kiosk API's answer."""
    page = kiosk.page
    page.goto(base + "/kiosk/")
    page.locator(".tile", has_text="Dukcapil").click()
    page.locator(".service:not(.closed) .service-take").first.click()
    with page.expect_response(lambda r: r.url.endswith("/kiosk/api/tickets")) as answer:
        page.locator("[data-priority='none']").click()
    ticket = answer.value.json()["ticket"]
    from playwright.sync_api import expect

    expect(page.locator("#ticket-number")).to_have_text(ticket["number"], timeout=WAIT)
    return ticket


def sign_in(browser, base: str, username: str, viewport=(1366, 800)) -> Watched:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    staff = Watched(context.new_page())
    staff.page.goto(f"{base}/counter/login")
    staff.page.fill("input[name=username]", username)
    staff.page.fill("input[name=password]", "antre123")
    staff.page.click("button[type=submit]")
    staff.page.wait_for_url(lambda url: "/counter/login" not in url, timeout=WAIT)  # signed in
    return staff


def open_console(browser, base: str, username: str, counter: int) -> Watched:
    clerk = sign_in(browser, base, username)
    clerk.page.click(f"button.pick[data-counter='{counter}']")
    clerk.page.wait_for_selector("#connection.online", timeout=WAIT)
    return clerk


def announced(sequence: int, prefix: str, counter: int):
    """The TV's request for the spoken call (server voice: espeak-ng or recorded clips)."""
    wanted = f"prefix={prefix}&number={sequence}&counter={counter}&lang=id"
    return lambda r: "/display/api/announcement.wav" in r.url and wanted in r.url


def answer_survey(phone) -> None:
    page = phone.page
    for key, score in SCORES.items():
        page.check(f"input[name={key}][value='{score}']")
    page.click("button.send")


def test_a_visitor_from_kiosk_to_report(server, browser):
    from playwright.sync_api import expect

    base, db_url = server
    server_voice = shutil.which("espeak-ng") is not None
    kiosk = Watched(browser.new_page(viewport={"width": 1080, "height": 1920}))
    earlier = take_ticket(kiosk, base)  # another citizen, one place ahead
    mine = take_ticket(kiosk, base)
    assert mine["people_ahead"] == 1 and mine["number"] != earlier["number"]
    save_screenshot(kiosk.page, "journey-kiosk-ticket.png")

    phone_context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = Watched(phone_context.new_page())
    phone.page.goto(f"{base}/t/{mine['code']}")
    phone.page.locator("#tk-sound-on").tap()  # "Aktifkan suara & getar": the call may ring
    expect(phone.page.locator("#tk-link")).to_have_text("Terhubung", timeout=WAIT)
    expect(phone.page.locator("#tk-number")).to_have_text(mine["number"])
    expect(phone.page.locator("#tk-ahead")).to_have_text("1")

    tv = Watched(browser.new_page(viewport={"width": 1366, "height": 768}))
    tv.page.goto(f"{base}/display/")
    tv.page.get_by_role("link", name="MPP Kabupaten Tebo").click()  # the sites, then the zones
    tv.page.get_by_role("link", name="Lobi utama").click()
    # Opened by a click, the TV may play sound at once: no "Aktifkan suara" badge to press.
    expect(tv.page.locator("#tv")).to_have_attribute("data-sound", "on")
    expect(tv.page.locator("#sound-on")).to_be_hidden()
    tv.page.wait_for_selector("#serving .tv-tile", timeout=WAIT)

    # The Dukcapil clerk, through the real sign-in form, at Loket 1.
    dukcapil = open_console(browser, base, "dukcapil1", 1)
    console = dukcapil.page
    expect(console.locator("#waiting tr[data-ticket]")).to_have_count(2, timeout=WAIT)
    # Each key once the console takes it: the status can arrive by Socket.IO before the
    # action's own answer, and a key pressed meanwhile is dropped (as for a clerk).
    console_action(console, "call-next", "F1")  # the citizen ahead
    expect(console.locator("#current-number")).to_have_text(earlier["number"], timeout=WAIT)
    console_action(console, "start", "s")
    expect(console.locator("#current-status")).to_contain_text("dilayani", timeout=WAIT)
    console_action(console, "finish", "f")
    expect(console.locator("#current-empty")).to_be_visible(timeout=WAIT)
    expect(phone.page.locator("#tk-ahead-label")).to_have_text("Anda berikutnya", timeout=WAIT)

    # Our call: the TV shows it and asks for its announcement; the phone says it's our turn.
    sequence = int(mine["number"].split("-")[1])
    if server_voice:
        with tv.page.expect_request(announced(sequence, "A", 1), timeout=45_000) as request:
            console_action(console, "call-next")
        assert request.value.response().status == 200
    else:  # no server voice here: the TV falls back to speechSynthesis, not observable
        console_action(console, "call-next")
    expect(console.locator("#current-number")).to_have_text(mine["number"], timeout=WAIT)
    expect(tv.page.locator("#hero-number")).to_have_text(mine["number"], timeout=WAIT)
    expect(tv.page.locator("#hero-counter")).to_contain_text("1")
    expect(phone.page.locator("#tk-alert")).to_be_visible(timeout=WAIT)
    expect(phone.page.locator(".tk-alert-title")).to_have_text("Giliran Anda!")
    expect(phone.page.locator("#tk-alert-text")).to_contain_text("Loket 1")
    save_screenshot(phone.page, "ticket-phone-called.png")
    phone.page.click("#tk-alert-ok")

    # Served at Dukcapil, then sent on to BPJS Kesehatan without queuing again at the kiosk.
    console_action(console, "start", "s")
    console_action(console, "transfer", "t")
    expect(console.locator("#transfer-dialog")).to_be_visible(timeout=WAIT)
    jkn = "BPJS Kes · J Pendaftaran Peserta JKN"
    expect(console.locator("#transfer-service option", has_text=jkn)).to_have_count(1)
    console.select_option("#transfer-service", label=jkn)
    console.fill("#transfer-note", "Daftar JKN bayi")
    console.click("#transfer-dialog button[value=ok]")
    expect(console.locator("#current-empty")).to_be_visible(timeout=WAIT)
    expect(console.locator("#served")).to_contain_text("Dialihkan", timeout=WAIT)
    expect(phone.page.locator("#tk-from")).to_be_visible(timeout=WAIT)
    expect(phone.page.locator("#tk-from-number")).to_have_text(mine["number"])
    expect(phone.page.locator("#tk-number")).to_have_text(re.compile(r"^J-\d{3}$"), timeout=WAIT)
    transferred = phone.page.inner_text("#tk-number")
    expect(phone.page.locator("#tk-agency")).to_have_text("BPJS Kes")

    bpjs = open_console(browser, base, "bpjskes1", 8)
    desk = bpjs.page
    expect(desk.locator("#waiting tr[data-ticket]")).to_have_count(1, timeout=WAIT)
    expect(desk.locator("#waiting")).to_contain_text(transferred)
    if server_voice:
        jseq = int(transferred.split("-")[1])
        with tv.page.expect_request(announced(jseq, "J", 8), timeout=45_000):
            console_action(desk, "call-next", "F1")
    else:
        console_action(desk, "call-next", "F1")
    expect(desk.locator("#current-number")).to_have_text(transferred, timeout=WAIT)
    expect(desk.locator("#current-history")).to_contain_text(mine["number"])
    expect(tv.page.locator("#hero-number")).to_have_text(transferred, timeout=WAIT)
    expect(phone.page.locator("#tk-alert-text")).to_contain_text("Loket 8", timeout=WAIT)
    phone.page.click("#tk-alert-ok")
    console_action(desk, "start")
    expect(desk.locator("#current-status")).to_contain_text("dilayani", timeout=WAIT)
    console_action(desk, "finish")
    expect(desk.locator("#current-empty")).to_be_visible(timeout=WAIT)

    # The phone offers the survey once the visit is done; both served tickets can be rated.
    survey_link = phone.page.locator("#tk-survey a")
    expect(survey_link).to_be_visible(timeout=WAIT)
    survey_link.click()
    expect(phone.page.locator("form.survey-form")).to_be_visible(timeout=WAIT)
    rated = []
    while phone.page.locator("form.survey-form").count():
        rated.append(phone.page.inner_text("p.ticket"))
        answer_survey(phone)
        expect(phone.page.locator("h1.thanks")).to_be_visible(timeout=WAIT)
        assert len(rated) <= 2
    assert len(rated) == 2
    assert any(transferred in r for r in rated) and any(mine["number"] in r for r in rated)

    # The report (admin, through the login form) counts what happened today.
    admin = sign_in(browser, base, "admin", viewport=(1280, 900))
    fold_reports(db_url)  # the server's report job, a round now rather than within a minute
    admin.page.goto(f"{base}/counter/reports/?period=day&lang=id")
    summary = report_rows(admin.page, "#table-summary")
    assert summary["Diterbitkan"] == "3"  # two at the kiosk, one made by the transfer
    assert summary["Dilayani"] == "2" and summary["Dialihkan"] == "1"
    overall = report_rows(admin.page, "#table-skm_overall")
    assert overall["Responden"] == "2"
    assert "97,22" in overall["Nilai SKM (IKM x 25)"] or "97.22" in overall["Nilai SKM (IKM x 25)"]
    admin.page.goto(f"{base}/counter/reports/?period=day&scope=counter&id=8&lang=id")
    assert report_rows(admin.page, "#table-summary")["Dilayani"] == "1"
    save_screenshot(admin.page, "journey-report.png")

    for watched in (kiosk, phone, tv, dukcapil, bpjs, admin):
        assert watched.errors == [], watched.errors


def report_rows(page, selector: str) -> dict[str, str]:
    rows = page.eval_on_selector_all(
        f"{selector} tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))",
    )
    return {row[0]: row[1] for row in rows if len(row) >= 2}
