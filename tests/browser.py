"""Debian's Chromium driven by Playwright, with the flags this machine needs (field notes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("ANTRE_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
]
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARTIFACTS = ROOT / "tests" / "artifacts"
UPDATE_SCREENSHOTS = "ANTRE_UPDATE_SCREENSHOTS"
WAIT = 20_000  # ms: generous for a 2-core machine shared with other test runs
expect.set_options(timeout=WAIT)  # every expect() of the browser tests, unless it says otherwise


def save_screenshot(page, name: str, **options) -> Path:
    """Save a screenshot: into the README's docs/screenshots/ only when asked to refresh them
    (ANTRE_UPDATE_SCREENSHOTS=1), else into tests/artifacts/ (not tracked), so that a test run
    never rewrites tracked files. Written whole and then renamed: two runs side by side may
    write the same name, and neither ever sees half a file."""
    folder = SCREENSHOTS if os.environ.get(UPDATE_SCREENSHOTS) == "1" else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f".{name}.{os.getpid()}.part"
    partial.write_bytes(page.screenshot(**options))
    os.replace(partial, target)
    return target


def console_action(page, action: str, key: str | None = None) -> None:
    """Press one of the clerk console's buttons (by its shortcut ``key``, else a click) once the
    console takes it: its previous action answered (aria-busy) and the button enabled for the
    ticket's state. A key pressed while an action is in flight is dropped, as for a clerk."""
    expect(page.locator("#console")).to_have_attribute("aria-busy", "false", timeout=WAIT)
    button = page.locator(f"#btn-{action}")
    expect(button).to_be_enabled(timeout=WAIT)
    if key:
        page.keyboard.press(key)
    else:
        button.click()


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)")


def launch(playwright):
    """A headless Chromium; the caller closes it."""
    require_chromium()
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
