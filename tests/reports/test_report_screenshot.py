"""A real server, real Chromium: the report page as staff see it, saved for the README.

There is no login form in this branch (the counter helper builds it), so the test signs in the
way a browser would be after logging in: it signs a Flask session cookie with the server's secret
key ({"_user_id": admin}) and gives it to Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from shared import migrate
from shared.config import DEFAULT_SECRET_KEY
from shared.db import make_engine, make_session_factory
from shared.models import StaffUser
from shared.queue.sites import default_site
from shared.reports import refresh_rollups
from shared.seed import seed_demo
from tests.browser import ARGS, CHROMIUM, save_screenshot
from tests.factories import Factory
from tests.reports.seeded_day import DAY, seed_day
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def session_cookie(user_id: int) -> str:
    app = Flask("cookie")
    app.secret_key = DEFAULT_SECRET_KEY  # the demo server's key (ANTRE_DEMO=1)
    serializer = app.session_interface.get_signing_serializer(app)
    # "<id>:<session generation>" (a fresh account: 0), signed in just now.
    return serializer.dumps(
        {"_user_id": f"{user_id}:0", "_fresh": True, "counter_signed_in": time.time()}
    )


@pytest.mark.slow
@pytest.mark.browser
def test_report_page_screenshot(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'antre.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo(session)
        factory = Factory(session)
        factory._mall = default_site(session)
        seed_day(session, factory)
        refresh_rollups(session)  # as the server's report job does
        admin = session.execute(select(StaffUser).where(StaffUser.username == "admin")).scalar_one()
        admin_id = admin.id
        session.commit()
    engine.dispose()
    port = free_port()
    env = {**os.environ, "ANTRE_DATABASE_URL": url, "ANTRE_DEMO": "1", "ANTRE_RATE_LIMITS": "0"}
    server = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies(
                [{"name": "session", "value": session_cookie(admin_id), "url": base}]
            )
            page = context.new_page()
            errors, missing = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on(
                "response",
                lambda r: missing.append(r.url) if r.status >= 400 else None,
            )
            page.goto(f"{base}/counter/reports/?period=day&start={DAY.isoformat()}&lang=id")
            assert page.locator("svg.chart").count() >= 4
            assert page.locator("#table-summary").inner_text().count("7") >= 1
            assert "90,51" in page.content()
            assert not missing, missing
            assert not errors, errors  # e.g. a CSP violation, a missing /favicon.ico
            save_screenshot(page, "report.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
