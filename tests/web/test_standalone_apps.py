"""Each app is its own Flask application: runnable alone against the same database."""

from __future__ import annotations

import pytest

import counter
import display
import kiosk

APPS = {"kiosk": kiosk, "counter": counter, "display": display}


@pytest.mark.parametrize("name", sorted(APPS))
def test_app_serves_its_own_pages_only(name, config):
    from shared.web.startup import prepare_database

    prepare_database(config, upgrade=False)
    app = APPS[name].create_app(config)
    client = app.test_client()
    assert client.get(f"/{name}/").status_code in (200, 302)
    for other in set(APPS) - {name}:
        assert client.get(f"/{other}/").status_code == 404
