"""Accessibility in real Chromium against ONE real server: axe-core (from npm) on every screen at
its real size, in Bahasa Indonesia and in English, failing on any WCAG 2.1 A/AA violation; and
what axe cannot see: target sizes on a phone, the ticket page's polite live region, names and
languages of the links, the TV under reduced motion.

axe is injected by evaluating node_modules/axe-core/axe.min.js in the page: evaluation through
the DevTools protocol is not subject to the pages' CSP (script-src 'self'), so the pages are
checked with their real headers. docs/accessibility.md says what is left to people.
"""

from __future__ import annotations

import pytest

from tests.browser import ROOT, WAIT, console_action, require_chromium
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGS = ["id", "en"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
KIOSK = {"viewport": {"width": 1080, "height": 1920}}
DESK = {"viewport": {"width": 1366, "height": 768}}
MIN_TARGET = 44  # px, WCAG 2.5.5 (AAA) as the aim for thumbs on a cheap phone


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node_modules/.stamp` (npm ci)")
    folder = tmp_path_factory.mktemp("a11y")
    with running_server(
        f"sqlite:///{folder / 'antre.db'}",
        log_path=folder / "server.log",
        ANTRE_INSTANCE_PATH=str(folder / "instance"),
    ) as (base, _process):
        yield base


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per element."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => v.nodes.map(n =>"
        " v.id + ' [' + v.impact + '] ' + n.target.join(' ') + ': ' + n.failureSummary)).flat())",
        TAGS,
    )
    return found


def assert_clean(page, screen: str) -> None:
    found = violations(page)
    assert not found, f"{screen} ({page.url}):\n" + "\n".join(found)


def open_page(browser, size: dict, url: str):
    page = browser.new_context(**size).new_page()
    page.goto(url)
    return page


def take_ticket(kiosk, base: str) -> dict:
    """A regular Dukcapil ticket through the kiosk's screens; returns the kiosk API's ticket."""
    from playwright.sync_api import expect

    kiosk.goto(base + "/kiosk/")
    kiosk.locator(".tile", has_text="Dukcapil").click()
    kiosk.locator(".service:not(.closed) .service-take").first.click()
    with kiosk.expect_response(lambda r: r.url.endswith("/kiosk/api/tickets")) as answer:
        kiosk.locator("[data-priority='none']").click()
    ticket = answer.value.json()["ticket"]
    expect(kiosk.locator("#ticket-number")).to_have_text(ticket["number"])
    return ticket


def sign_in(browser, base: str, username: str, lang: str):
    page = open_page(browser, DESK, f"{base}/counter/login?lang={lang}")
    assert_clean(page, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "antre123")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/counter/login" not in url, timeout=WAIT)
    return page


def waiting_row(clerk, ticket: dict):
    return clerk.locator("#waiting tr[data-ticket]", has_text=ticket["number"])


def luminance(rgb: list[float]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def kbd_contrasts(clerk) -> dict[str, float]:
    """Contrast of each enabled console button's shortcut hint against the button, with the
    hint's own opacity blended in (axe does not count opacity on this text)."""
    measured = clerk.evaluate(
        """() => Array.from(document.querySelectorAll('button:not(:disabled) kbd')).map(k => {
          const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          return [k.textContent, rgb(getComputedStyle(k).color),
                  Number(getComputedStyle(k).opacity),
                  rgb(getComputedStyle(k.parentNode).backgroundColor)];
        })"""
    )
    contrasts = {}
    for key, ink, opacity, paper in measured:
        seen = [(opacity * i + (1 - opacity) * p) / 255 for i, p in zip(ink, paper, strict=True)]
        lighter, darker = sorted((luminance(seen), luminance([p / 255 for p in paper])))[::-1]
        contrasts[key] = round((lighter + 0.05) / (darker + 0.05), 2)
    return contrasts


def box(locator) -> tuple[float, float]:
    measured = locator.bounding_box()
    return round(measured["width"], 1), round(measured["height"], 1)


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_screens(server, browser, lang):
    from playwright.sync_api import expect

    kiosk = open_page(browser, KIOSK, f"{server}/kiosk/?lang={lang}")
    expect(kiosk.locator(".tile").first).to_be_visible()
    assert_clean(kiosk, "kiosk home")
    kiosk.locator(".tile", has_text="Dukcapil").click()
    expect(kiosk.locator("#screen-services")).to_be_visible()
    assert_clean(kiosk, "kiosk services")
    kiosk.locator(".service:not(.closed) .service-take").first.click()
    expect(kiosk.locator("[data-priority='none']")).to_be_visible()
    assert_clean(kiosk, "kiosk priority")
    kiosk.locator("[data-priority='none']").click()
    expect(kiosk.locator("#ticket-number")).not_to_be_empty()
    assert_clean(kiosk, "kiosk ticket")

    kiosk.goto(f"{server}/kiosk/")
    kiosk.locator("#booking-entry").click()
    expect(kiosk.locator("#keypad")).to_be_visible()
    assert_clean(kiosk, "kiosk check-in keypad")
    # WCAG 2.5.3: the key says the word it is announced by, not only "⌫".
    delete = kiosk.locator("#key-back")
    expect(delete).to_have_accessible_name("Hapus" if lang == "id" else "Delete")
    expect(delete).to_contain_text("Hapus" if lang == "id" else "Delete")


@pytest.mark.parametrize("lang", LANGS)
def test_tv(server, browser, lang):
    from playwright.sync_api import expect

    tv = open_page(browser, DESK, f"{server}/display/?lang={lang}")
    assert_clean(tv, "TV chooser of the sites")
    tv.locator("main a.button", has_text="MPP Kabupaten Tebo").click()
    expect(tv.locator("main p")).to_have_text("MPP Kabupaten Tebo")
    assert_clean(tv, "TV chooser of the zones")
    tv.locator("main a.button").first.click()
    expect(tv.locator("#mall-name")).not_to_be_empty()
    assert_clean(tv, "TV")


def test_tv_under_reduced_motion(server, browser):
    """No flash, and the running text stands still yet is all on the screen."""
    from playwright.sync_api import expect

    context = browser.new_context(**DESK, reduced_motion="reduce")
    tv = context.new_page()
    tv.goto(f"{server}/display/?site=mpp-tebo")
    tv.locator("a.button").first.click()
    expect(tv.locator("#ticker-text")).not_to_be_empty()
    ticker = tv.evaluate(
        """() => {
          const ticker = document.getElementById('ticker');
          const text = document.getElementById('ticker-text').getBoundingClientRect();
          const footer = ticker.parentNode.getBoundingClientRect();
          const hero = document.querySelector('.tv-hero');
          hero.classList.add('flash');
          const flash = getComputedStyle(hero).animationName;
          hero.classList.remove('flash');
          return {animation: getComputedStyle(ticker).animationName, flash: flash,
                  inside: text.left >= footer.left && text.right <= footer.right
                          && text.top >= footer.top && text.bottom <= footer.bottom + 0.5,
                  height: window.innerHeight, footerBottom: footer.bottom};
        }"""
    )
    assert ticker["animation"] == "none" and ticker["flash"] == "none", ticker
    assert ticker["inside"] and ticker["footerBottom"] <= ticker["height"] + 0.5, ticker


@pytest.mark.parametrize("lang", LANGS)
def test_phone_ticket_and_console(server, browser, lang):
    """The phone waits, moves up (said once, politely), is called; the clerk's screens too."""
    from playwright.sync_api import expect

    kiosk = browser.new_context(**KIOSK).new_page()
    ahead = take_ticket(kiosk, server)
    mine = take_ticket(kiosk, server)

    phone = open_page(browser, PHONE, f"{server}/t/{mine['code']}?lang={lang}")
    expect(phone.locator("#tk-sound")).to_be_visible()
    assert_clean(phone, "phone ticket, sound offer")
    phone.locator("#tk-sound-skip").tap()
    expect(phone.locator("#tk-link")).to_have_text("Terhubung" if lang == "id" else "Live")
    expect(phone.locator("#tk-ahead")).to_have_text(str(mine["people_ahead"]))
    assert_clean(phone, "phone ticket, waiting")
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).to_contain_text(mine["number"])
    wait = phone.locator("#tk-wait")
    expect(wait).to_have_attribute("aria-live", "polite")
    # Records every text written in the live region, with what it replaced.
    phone.evaluate(
        """() => {
          window.liveWrites = [];
          new MutationObserver(records => records.forEach(r => window.liveWrites.push(
            [Array.from(r.removedNodes).map(n => n.textContent).join(''),
             Array.from(r.addedNodes).map(n => n.textContent).join('')])))
            .observe(document.getElementById('tk-wait'),
                     {childList: true, subtree: true, characterData: true});
        }"""
    )
    take_ticket(kiosk, server)  # one more citizen behind: the queue changes, my place does not

    clerk = sign_in(browser, server, "dukcapil1", lang)
    clerk.click("button.pick[data-counter='1']")
    clerk.wait_for_selector("#connection.online", timeout=WAIT)
    assert_clean(clerk, "console, idle")
    contrasts = kbd_contrasts(clerk)
    assert contrasts and min(contrasts.values()) >= 4.5, contrasts  # 12 px text: 4.5:1
    expect(clerk.locator("th.col-action")).to_have_text("Tindakan" if lang == "id" else "Actions")
    waiting_row(clerk, ahead).locator("button").click()
    expect(clerk.locator("#btn-start")).to_be_enabled()
    assert_clean(clerk, "console, a ticket called")
    moved = mine["people_ahead"] - 1
    if moved:
        expect(phone.locator("#tk-ahead")).to_have_text(str(moved))
    else:
        expect(phone.locator("#tk-ahead")).to_be_hidden()
    writes = phone.evaluate("() => window.liveWrites")
    assert writes, "the move up was not written"
    assert all(old != new for old, new in writes), f"same text written again: {writes}"

    console_action(clerk, "start", "s")
    console_action(clerk, "finish", "f")
    expect(waiting_row(clerk, mine).locator("button")).to_be_enabled()
    waiting_row(clerk, mine).locator("button").click()
    expect(phone.locator("#tk-alert")).to_be_visible()
    assert_clean(phone, "phone ticket, called")
    console_action(clerk, "start", "s")
    console_action(clerk, "finish", "f")

    supervisor = sign_in(browser, server, "spv.dukcapil", lang)
    supervisor.goto(f"{server}/counter/dashboard")
    supervisor.wait_for_selector(".agency .tile-value", timeout=WAIT)
    assert_clean(supervisor, "dashboard")
    supervisor.goto(f"{server}/counter/reports/")
    assert_clean(supervisor, "reports")


@pytest.mark.parametrize("lang", LANGS)
def test_booking_page(server, browser, lang):
    from playwright.sync_api import expect

    page = open_page(browser, PHONE, f"{server}/kiosk/booking/?lang={lang}")
    expect(page.locator(".choice").first).to_be_visible()
    assert_clean(page, "booking, sites")
    page.locator(".choice", has_text="MPP Kabupaten Tebo").click()
    expect(page.locator("#choices .choice").first).to_be_visible()
    assert_clean(page, "booking, services")
    for code, words in (("id", "ID · Bahasa Indonesia"), ("en", "EN · English")):
        link = page.get_by_role("link", name=words, exact=True)
        expect(link).to_have_attribute("lang", code)
        width, height = box(link)
        assert width >= MIN_TARGET and height >= MIN_TARGET, (words, width, height)
    hints = [page.inner_text("#hint")]
    while page.locator("#contact").is_hidden():
        page.locator("#choices .choice:not([disabled])").first.click()
        expect(page.locator("#hint")).not_to_have_text(hints[-1])
        hints.append(page.inner_text("#hint"))
        assert len(hints) <= 4, hints
    assert_clean(page, "booking, contact form")
    for name in ("name", "phone"):
        width, height = box(page.locator(f"#contact input[name={name}]"))
        assert height >= MIN_TARGET, (name, width, height)


@pytest.mark.parametrize("lang", LANGS)
def test_phone_language_links(server, browser, lang):
    """Each language's link speaks its own language and is a thumb's size at 360 px."""
    kiosk = browser.new_context(**KIOSK).new_page()
    ticket = take_ticket(kiosk, server)
    page = open_page(browser, PHONE, f"{server}/t/{ticket['code']}?lang={lang}")
    page.locator("#tk-sound-skip").tap()
    for code, words in (("id", "Bahasa Indonesia"), ("en", "English")):
        link = page.get_by_role("link", name=words, exact=True)
        assert link.get_attribute("lang") == code
        width, height = box(link)
        assert width >= MIN_TARGET and height >= MIN_TARGET, (words, width, height)
