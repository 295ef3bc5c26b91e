"""Debian's Chromium driven by Playwright, with the flags this machine needs (field notes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)")


def launch(playwright):
    """A headless Chromium; the caller closes it."""
    require_chromium()
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
