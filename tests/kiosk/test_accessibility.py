"""The kiosk by keyboard and for assistive technology, in real Chromium at 1080x1920: tiles that
are buttons in a list, focus that follows each screen, modal dialogs that trap and give back
focus, a warning before time runs out, and a focus ring that can be seen on every background."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shared import timeutil
from shared.db import make_engine, make_session_factory
from shared.models import Booking, Service, Site
from tests.browser import WAIT, require_chromium
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PORTRAIT = {"width": 1080, "height": 1920}
FOCUSED = """() => { const e = document.activeElement;
    return e.id || e.getAttribute('data-focus-key') || e.className || e.tagName; }"""


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('kiosk-a11y-db') / 'antre.db'}"


@pytest.fixture(scope="module")
def server(tmp_path_factory, db_url):
    require_chromium()
    tmp = tmp_path_factory.mktemp("kiosk-a11y")
    with running_server(
        db_url,
        log_path=tmp / "server.log",
        ANTRE_INSTANCE_PATH=str(tmp / "instance"),
        ANTRE_PRINTER=f"file://{tmp / 'printer.bin'}",
    ) as (base, _process):
        yield base


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport=PORTRAIT)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    page.close()
    assert problems == []


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def expect_focus(page, locator) -> None:
    expect(locator).to_be_focused()


def tab_to(page, locator, limit: int = 40) -> list[str]:
    """Tab until the locator has focus; the stops on the way, for the message."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if locator.evaluate("e => e === document.activeElement"):
            return stops
    raise AssertionError(f"never reached by Tab: {stops}")


def open_kiosk(page, base: str, query: str = "") -> None:
    page.goto(base + "/kiosk/" + query)
    page.locator(".tile").first.wait_for(timeout=WAIT)


def test_agency_tiles_are_buttons_in_a_list(server, page):
    open_kiosk(page, server)
    tiles = page.locator("#agency-tiles .tile")
    count = tiles.count()
    assert count >= 2
    box = page.locator("#agency-tiles")
    expect(box.get_by_role("listitem")).to_have_count(count)
    expect(box.get_by_role("button")).to_have_count(count)
    # The name starts with the agency's short name, not the three-letter badge ("DUK Dukcapil").
    expect(box.get_by_role("button", name=re.compile(r"^Dukcapil\b"))).to_have_count(1)
    expect(box.get_by_role("button", name=re.compile(r"^DUK\b"))).to_have_count(0)


def test_keyboard_walk_to_a_ticket(server, page):
    """Tab, Enter and Space only; after each step focus sits on the new screen's heading."""
    open_kiosk(page, server)
    dukcapil = page.locator(".tile", has_text="Dukcapil")
    tab_to(page, dukcapil)
    page.keyboard.press("Enter")
    expect(page.locator("#screen-services")).to_be_visible()
    expect_focus(page, page.locator("#services-title"))
    expect(page.locator("#services-title")).to_have_text(re.compile("Dukcapil|Kependudukan"))

    # The requirements: a modal dialog that takes focus, keeps it, closes on Escape and gives
    # focus back to the button that opened it.
    info = page.locator(".service-info").first
    tab_to(page, info)
    opener = info.get_attribute("data-focus-key")
    page.keyboard.press("Enter")
    dialog = page.locator("#standard")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.contains(document.activeElement)"), focused(page)
    for _ in range(6):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(document.activeElement)"), focused(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect_focus(page, page.locator(f'[data-focus-key="{opener}"]'))
    # ... and the close button does the same.
    page.keyboard.press("Space")
    expect(dialog).to_be_visible()
    page.locator("#standard-close").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect_focus(page, page.locator(f'[data-focus-key="{opener}"]'))

    # Back to the first service, then the priority question.
    page.keyboard.press("Shift+Tab")
    expect_focus(page, page.locator(".service-take").first)
    page.keyboard.press("Space")
    expect(page.locator("#screen-priority")).to_be_visible()
    expect_focus(page, page.locator("#screen-priority .screen-title"))
    page.keyboard.press("Tab")
    expect_focus(page, page.locator("[data-priority='none']"))
    page.keyboard.press("Enter")

    # The ticket: focus on its card, a visible countdown, and a large "Selesai" button.
    expect(page.locator("#screen-ticket")).to_be_visible()
    expect_focus(page, page.locator("#ticket-card"))
    expect(page.locator("#ticket-countdown")).to_have_text(
        re.compile(r"^Kembali ke awal dalam \d+ detik$")
    )
    done = page.locator("#ticket-done")
    expect(done).to_have_text("Selesai")
    size = done.bounding_box()
    assert size["height"] >= 96 and size["width"] >= 200, size
    page.keyboard.press("Tab")
    expect_focus(page, done)
    page.keyboard.press("Enter")
    expect(page.locator("#screen-home")).to_be_visible()
    expect_focus(page, page.locator("#screen-home .screen-title"))


# The dialog's "close" event is a queued task; close() has already given focus back by then.
# The focus that the citizen moves in between (Shift+Tab right after closing) must stay.
MOVE_ON_BEFORE_CLOSE_EVENT = """() => new Promise(resolve => {
    const dialog = document.getElementById('standard');
    const info = document.querySelector('.service-info');
    info.focus();
    info.click();
    const key = () => document.activeElement.getAttribute('data-focus-key');
    /* added after the kiosk's own listener, so it runs after it */
    dialog.addEventListener('close', () => resolve(key()), { once: true });
    document.getElementById('standard-close').click();
    document.querySelector('.service-take').focus();
})"""


def test_focus_moved_after_a_dialog_closes_is_not_taken_back(server, page):
    open_kiosk(page, server)
    page.locator(".tile", has_text="Dukcapil").click()
    expect(page.locator("#screen-services")).to_be_visible()
    take = page.locator(".service-take").first.get_attribute("data-focus-key")
    assert page.evaluate(MOVE_ON_BEFORE_CLOSE_EVENT) == take
    expect_focus(page, page.locator(f'[data-focus-key="{take}"]'))


@pytest.mark.parametrize("close", ["Escape", "button"])
def test_focus_returns_to_an_opener_drawn_anew_while_the_dialog_was_open(server, page, close):
    """A re-render (a resize, like live figures) replaces the opener under the open dialog:
    closing gives focus to the same button drawn anew."""
    open_kiosk(page, server)
    page.locator(".tile", has_text="Dukcapil").click()
    info = page.locator(".service-info").first
    opener = info.get_attribute("data-focus-key")
    info.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#standard")).to_be_visible()
    info.evaluate("e => { window.oldOpener = e; }")
    page.set_viewport_size({"width": 1000, "height": 1900})
    page.wait_for_function("() => !window.oldOpener.isConnected")
    if close == "button":
        page.locator("#standard-close").focus()
    page.keyboard.press("Escape" if close == "Escape" else "Enter")
    expect(page.locator("#standard")).to_be_hidden()
    expect_focus(page, page.locator(f'[data-focus-key="{opener}"]'))


def test_pages_of_tiles_by_keyboard(server, page):
    """The pager keeps working by keyboard; when "Berikutnya" ends disabled, focus goes on to
    the first tile of the new page rather than being lost."""
    open_kiosk(page, server)
    pager = page.locator("#agency-pager")
    if pager.is_hidden():
        pytest.skip("all agencies fit one page at this size")
    label = pager.locator(".pager-label")
    total = int(label.inner_text().rsplit(" ", 1)[1])
    tab_to(page, pager.locator(".pager-next"))
    for number in range(2, total + 1):
        page.keyboard.press("Enter")
        expect(label).to_have_text(f"Halaman {number} dari {total}")
    expect(pager.locator(".pager-next")).to_be_disabled()
    expect_focus(page, page.locator("#agency-tiles .tile").first)


def test_live_rerender_keeps_focus_on_the_same_tile(server, page):
    """A resize (like a new count over Socket.IO) draws the tiles anew: focus stays on the
    same agency instead of falling back to the page."""
    open_kiosk(page, server)
    tab_to(page, page.locator(".tile", has_text="Samsat"))
    page.set_viewport_size({"width": 1000, "height": 1900})
    expect(page.locator("#agency-tiles .tile").first).to_be_attached()
    expect_focus(page, page.locator(".tile", has_text="Samsat"))


def test_the_booking_screen_and_its_notice(server, page):
    open_kiosk(page, server)
    tab_to(page, page.locator("#booking-entry"))
    page.keyboard.press("Enter")
    expect(page.locator("#screen-booking")).to_be_visible()
    expect_focus(page, page.locator("#screen-booking .screen-title"))
    page.keyboard.type("WWWWMMMM")
    expect(page.locator("#code-display")).to_have_text("WWWWMMMM")
    submit = page.locator("#code-submit")
    tab_to(page, submit)
    page.keyboard.press("Space")  # no such booking: the notice, a modal dialog
    notice = page.locator("#notice")
    expect(notice).to_be_visible()
    expect_focus(page, page.locator("#notice-close"))
    page.keyboard.press("Tab")
    assert notice.evaluate("d => d.contains(document.activeElement)"), focused(page)
    page.keyboard.press("Escape")
    expect(notice).to_be_hidden()
    expect_focus(page, submit)


def test_more_time_is_offered_before_starting_over(server, page):
    """Short timings from the address: the question comes, its button gives more time, and
    the same question comes again once that time has passed."""
    open_kiosk(page, server, "?idle=1&warn=60")
    page.locator(".tile", has_text="Dukcapil").click()
    expect(page.locator("#screen-services")).to_be_visible()
    prompt = page.locator("#more-time")
    expect(prompt).to_be_visible()
    expect(prompt.get_by_role("heading")).to_have_text("Perlu waktu lagi?")
    expect(page.locator("#more-time-countdown")).to_have_text(
        re.compile(r"^Kembali ke awal dalam \d+ detik$")
    )
    yes = page.locator("#more-time-yes")
    expect_focus(page, yes)
    assert yes.bounding_box()["height"] >= 96
    page.keyboard.press("Enter")
    expect(prompt).to_be_hidden()
    expect(page.locator("#screen-services")).to_be_visible()  # not sent home
    expect_focus(page, page.locator("#services-title"))  # focus back where it was
    expect(prompt).to_be_visible()  # the next idle second ends: asked again
    page.keyboard.press("Escape")  # Escape also means "still here"
    expect(prompt).to_be_hidden()
    expect(page.locator("#screen-services")).to_be_visible()


def test_no_answer_starts_over(server, page):
    open_kiosk(page, server, "?idle=1&warn=1")
    page.locator(".tile", has_text="Dukcapil").click()
    expect(page.locator("#more-time")).to_be_visible()
    expect(page.locator("#screen-home")).to_be_visible()
    expect(page.locator("#more-time")).to_be_hidden()
    expect_focus(page, page.locator("#screen-home .screen-title"))


def test_the_question_comes_over_the_requirements_and_keeps_them(server, page):
    open_kiosk(page, server, "?idle=1&reading=1&warn=60")
    page.locator(".tile", has_text="Dukcapil").click()
    expect(page.locator("#more-time")).to_be_visible()
    page.locator("#more-time-yes").click()
    page.locator(".service-info").first.click()
    standard = page.locator("#standard")
    expect(standard).to_be_visible()
    expect(page.locator("#more-time")).to_be_visible()  # the reading time ends
    page.locator("#more-time-yes").click()
    expect(page.locator("#more-time")).to_be_hidden()
    expect(standard).to_be_visible()  # still reading
    assert standard.evaluate("d => d.contains(document.activeElement)"), focused(page)


def test_reading_the_requirements_gets_more_time(server, page):
    """With the kiosk's own timings (30 s, 90 s reading), on Playwright's clock."""
    page.clock.install()
    open_kiosk(page, server)
    page.locator(".tile", has_text="Dukcapil").click()
    page.locator(".service-info").first.click()
    expect(page.locator("#standard")).to_be_visible()
    page.clock.run_for(60_000)
    expect(page.locator("#more-time")).to_be_hidden()
    expect(page.locator("#standard")).to_be_visible()
    page.clock.run_for(31_000)
    expect(page.locator("#more-time")).to_be_visible()
    expect(page.locator("#more-time-countdown")).to_have_text(re.compile(r"dalam 1?\d detik$"))


def test_the_ticket_counts_down_to_the_start(server, page):
    open_kiosk(page, server, "?ticket=2")
    page.locator(".tile", has_text="Dukcapil").click()
    page.locator(".service:not(.closed) .service-take").first.click()
    page.locator("[data-priority='none']").click()
    expect(page.locator("#ticket-countdown")).to_have_text(
        re.compile(r"^Kembali ke awal dalam [12] detik$")
    )
    expect(page.locator("#screen-home")).to_be_visible()


def _rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def _contrast(a: str, b: str) -> float:
    def lum(rgb):
        def ch(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b_ = (ch(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((lum(_rgb(a)), lum(_rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_ring_contrasts_on_every_background(server, page):
    """Non-text contrast (WCAG 1.4.11): the outer ring against what is around the control, or
    the inner ring against the control itself, at least 3:1, for every focusable kind."""
    open_kiosk(page, server)
    tab_to(page, page.locator("#kiosk-lang"))
    header = page.locator(".kiosk-header").evaluate("e => getComputedStyle(e).backgroundColor")
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    nav = page.locator(".kiosk-nav").evaluate("e => getComputedStyle(e).backgroundColor")
    rings = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineColor, s.boxShadow, s.outlineStyle]; }"""
    )
    outer, inner = rings[0], rings[1]
    assert rings[2] == "solid"
    figures = {
        "outer ring on the page": _contrast(outer, body),
        "outer ring on the nav bar": _contrast(outer, nav),
        "inner ring on the header": _contrast(inner, header),
    }
    for colour in page.locator(".tile").evaluate_all(
        "ts => ts.map(t => getComputedStyle(t).backgroundColor)"
    ):
        figures[f"inner ring on a tile {colour}"] = _contrast(inner, colour)
    print({k: round(v, 2) for k, v in figures.items()})
    assert figures["outer ring on the page"] >= 3 and figures["outer ring on the nav bar"] >= 3
    assert figures["inner ring on the header"] >= 3
    # A tile is framed by both rings; the outer one sits on the page (checked above), so a light
    # tile may blend with the white inner ring, never with the dark outer one.


def test_the_late_offer_is_a_modal_dialog(server, db_url, page):
    """A booking whose check-in window has passed: the offer of a regular ticket takes focus,
    keeps it, closes on Escape, and leads on to the priority question by keyboard."""
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        ktp = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        mall = session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        today = timeutil.business_date(timeutil.now_utc(), mall.timezone)
        if timeutil.local(timeutil.now_utc(), mall.timezone).strftime("%H:%M") < "00:02":
            pytest.skip("the 00:00 slot is not late yet")
        mall.checkin_early_minutes, mall.checkin_late_minutes = 0, 0
        session.add(
            Booking(code="TARDY234", service_id=ktp.id, day=today, start="00:00", end="00:30")
        )
        session.commit()
    engine.dispose()
    open_kiosk(page, server)
    tab_to(page, page.locator("#booking-entry"))
    page.keyboard.press("Enter")
    heading = page.locator("#screen-booking .screen-title")
    expect_focus(page, heading)
    page.keyboard.type("TARDY234")
    expect(page.locator("#code-display")).to_have_text("TARDY234")
    page.keyboard.press("Enter")
    offer = page.locator("#late-offer")
    expect(offer).to_be_visible()
    expect_focus(page, page.locator("#late-take"))
    page.keyboard.press("Tab")
    expect_focus(page, page.locator("#late-close"))
    page.keyboard.press("Tab")
    expect_focus(page, page.locator("#late-take"))  # wraps, never behind the dialog
    page.keyboard.press("Escape")
    expect(offer).to_be_hidden()
    expect_focus(page, heading)
    page.keyboard.press("Enter")
    expect(offer).to_be_visible()
    page.keyboard.press("Enter")  # on "Ambil tiket biasa", not the code again
    expect(page.locator("#screen-priority")).to_be_visible()
    expect_focus(page, page.locator("#screen-priority .screen-title"))
