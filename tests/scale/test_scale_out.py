"""Scale-out for real: kiosk, counter and two display processes under gunicorn + gevent, one
PostgreSQL schema, Redis as Flask-SocketIO's message queue. A call made in the counter process
reaches TVs connected to either display process, directly and through nginx."""

from __future__ import annotations

import uuid
from contextlib import ExitStack

import pytest
from sqlalchemy import select

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import Counter, StaffUser
from shared.web.startup import prepare_database
from tests.factories import mpp_counters
from tests.scale.processes import TV, AppProcess, Clerk, nginx_binary, running_nginx, take_ticket

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


def first_counter(db_url: str) -> dict:
    """The demo's counter 1 (Dukcapil): its id, clerk and first service."""
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            counter = session.execute(mpp_counters().where(Counter.number == 1)).scalar_one()
            clerk = (
                session.execute(
                    select(StaffUser.username)
                    .where(
                        StaffUser.agency_id == counter.agency_id, StaffUser.role == StaffUser.CLERK
                    )
                    .order_by(StaffUser.id)
                )
                .scalars()
                .first()
            )
            return {"id": counter.id, "service": counter.services[0].id, "clerk": clerk}
    finally:
        engine.dispose()


@pytest.fixture
def demo_pg(pg_url) -> str:
    prepare_database(Config(database_url=pg_url, demo=True), upgrade=False)
    return pg_url


@pytest.fixture
def cluster(demo_pg, redis_url, tmp_path):
    """kiosk, counter, display ×2: separate gunicorn processes sharing PostgreSQL and Redis."""
    env = {
        "ANTRE_DATABASE_URL": demo_pg,
        "ANTRE_MESSAGE_QUEUE": redis_url,
        "ANTRE_SOCKETIO_CHANNEL": f"antre-scale-{uuid.uuid4().hex[:8]}",
        "ANTRE_DEMO": "1",
        "ANTRE_RATE_LIMITS": "0",
        "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    names = ("kiosk", "counter", "display", "display")
    apps = [AppProcess(name, env, tmp_path) for name in names]
    try:
        for app in apps:
            app.start()  # boot all four at once, then wait
        for app in apps:
            app.wait()
        yield {"db_url": demo_pg, **dict(zip(("kiosk", "counter"), apps, strict=False))} | {
            "displays": apps[2:]
        }
    finally:
        for app in apps:
            app.stop()


def test_a_call_in_the_counter_process_reaches_tvs_on_both_display_processes(cluster):
    counter = first_counter(cluster["db_url"])
    with ExitStack() as stack:
        tvs = []
        for display in cluster["displays"]:
            tv = TV(display.base).connect()
            stack.callback(tv.close)
            tvs.append(tv)
        taken = take_ticket(cluster["kiosk"].base, counter["service"], uuid.uuid4().hex)
        assert taken.status_code == 201, taken.text
        number = taken.json()["ticket"]["number"]

        clerk = Clerk(cluster["counter"].base, counter["clerk"])
        called = clerk.call_next(counter["id"])
        assert called.status_code == 200, called.text
        assert called.json()["ticket"]["number"] == number

        for display, tv in zip(cluster["displays"], tvs, strict=True):
            message = tv.wait_for_number(number)
            assert message is not None, f"no ticket.called on the display at {display.base}"
            assert message["counter"]["number"] == 1
        # One event, one sequence number: both processes relay the same message.
        seqs = {tv.wait_for_number(number)["seq"] for tv in tvs}
        assert len(seqs) == 1


def test_through_nginx_with_sticky_long_polling(cluster, tmp_path):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    counter = first_counter(cluster["db_url"])
    displays = cluster["displays"]
    upstreams = {
        "KIOSK": cluster["kiosk"].address,
        "COUNTER": cluster["counter"].address,
        "DISPLAY1": displays[0].address,
        "DISPLAY2": displays[1].address,
        # Mobile JKN's app is not part of this cluster; nginx only needs an address to start.
        "JKN": cluster["counter"].address,
    }
    with running_nginx(tmp_path, upstreams) as base, ExitStack() as stack:
        # One TV on websocket, one on long-polling (which needs ip_hash stickiness).
        tvs = [TV(base).connect(("websocket",)), TV(base).connect(("polling",))]
        for tv in tvs:
            stack.callback(tv.close)
        taken = take_ticket(base, counter["service"], uuid.uuid4().hex)
        assert taken.status_code == 201, taken.text
        number = taken.json()["ticket"]["number"]
        clerk = Clerk(base, counter["clerk"])
        assert clerk.call_next(counter["id"]).json()["ticket"]["number"] == number
        for tv in tvs:
            assert tv.wait_for_number(number) is not None, "no ticket.called through nginx"
