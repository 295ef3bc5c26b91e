"""App processes started together for the fault tests: gunicorn apps, and the three apps on a
private Redis with a TV connected to the display process."""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from tests.scale.processes import TV, AppProcess, private_redis


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
