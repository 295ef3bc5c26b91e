"""What the fault tests start together: gunicorn apps, the three apps on a private Redis with a
TV connected to the display process, and a private PostgreSQL cluster holding the demo mall."""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from shared import migrate
from shared.config import Config
from shared.web.startup import prepare_database
from tests.scale.mall import counter_one
from tests.scale.processes import TV, AppProcess, PrivatePostgres, postgres_bin, private_redis


def start_apps(names, env, tmp_path) -> list[AppProcess]:
    apps = [AppProcess(name, env, tmp_path).start() for name in names]
    for app in apps:
        app.wait()
    return apps


def subscribers(url: str, channel: str) -> int:
    return dict(redis.Redis.from_url(url).pubsub_numsub(channel)).get(channel.encode(), 0)


def wait_for_subscribers(url: str, channel: str, count: int, seconds: float = 60) -> int:
    """Every process subscribes again by itself once Redis is back; how many did in time."""
    deadline = time.monotonic() + seconds
    while subscribers(url, channel) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    return subscribers(url, channel)


@dataclass
class RedisStack:
    cache: object  # the private Redis: .url, .stop(), .start()
    channel: str
    kiosk: AppProcess
    counter: AppProcess
    display: AppProcess
    tv: TV


@contextmanager
def apps_on_private_redis(db_url: str, tmp_path: Path):
    """Kiosk, counter and display processes sharing a private Redis, a TV on the display."""
    channel = f"antre-fault-{uuid.uuid4().hex[:8]}"
    with private_redis(tmp_path) as cache, ExitStack() as stack:
        env = {
            "ANTRE_DATABASE_URL": db_url,
            "ANTRE_MESSAGE_QUEUE": cache.url,
            "ANTRE_SOCKETIO_CHANNEL": channel,
            "ANTRE_DEMO": "1",
            "ANTRE_RATE_LIMITS": "0",
            "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        apps = start_apps(("kiosk", "counter", "display"), env, tmp_path)
        for app in apps:
            stack.callback(app.stop)
        tv = TV(apps[2].base).connect()
        stack.callback(tv.close)
        yield RedisStack(cache, channel, *apps, tv)


@contextmanager
def private_demo_postgres(tmp_path: Path):
    """(cluster, Dukcapil's counter 1, env for app processes): a private PostgreSQL that a test
    may stop and start, with the demo mall; the test skips where no cluster can start here."""
    if postgres_bin() is None:
        pytest.skip("no /usr/lib/postgresql/*/bin/initdb: cannot start a private PostgreSQL")
    database = PrivatePostgres()
    try:
        database.init().start()
    except Exception as error:  # noqa: BLE001 - reported as the reason to skip
        database.destroy()
        pytest.skip(f"cannot start a private PostgreSQL cluster here: {error}")
    try:
        migrate.upgrade(database.url)
        prepare_database(Config(database_url=database.url, demo=True), upgrade=False)
        env = {
            "ANTRE_DATABASE_URL": database.url,
            "ANTRE_DEMO": "1",
            "ANTRE_RATE_LIMITS": "0",
            "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        yield database, counter_one(database.url), env
    finally:
        database.destroy()
