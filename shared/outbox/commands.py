"""``antre outbox work|status|retry``: the relay as its own process, and a look at the table."""

from __future__ import annotations

import signal
import threading

import click
from sqlalchemy import case, func, select

from shared import timeutil
from shared.cli_support import pass_config
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import OutboxMessage
from shared.outbox import store
from shared.outbox.relay import Relay, rate_storage_for


@click.group("outbox")
def outbox_group() -> None:
    """The outbox of webhooks, alerts and BPJS calls."""


@outbox_group.command("work")
@click.option("--once", is_flag=True, help="deliver what is due now, then stop")
@pass_config
def work(config: Config, once: bool) -> None:
    """Deliver due messages until stopped (several may run at once on PostgreSQL)."""
    engine = make_engine(config.database_url)
    relay = Relay(make_session_factory(engine), config, rate_storage=rate_storage_for(config))
    if once:
        while relay.run_once():
            pass
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"antre outbox: delivering (polling every {config.outbox_poll_seconds} s)")
    relay.run_forever(stop, config.outbox_poll_seconds)


def _state():
    return case(
        (OutboxMessage.delivered_at.is_not(None), "delivered"),
        (OutboxMessage.failed_at.is_not(None), "failed"),
        else_="waiting",
    )


@outbox_group.command("status")
@pass_config
def status(config: Config) -> None:
    """How many messages of each kind are waiting, delivered and failed."""
    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        state = _state()
        rows = session.execute(
            select(OutboxMessage.kind, state, func.count())
            .group_by(OutboxMessage.kind, state)
            .order_by(OutboxMessage.kind)
        ).all()
    for kind, label, count in rows:
        click.echo(f"{kind:12} {label:10} {count}")


@outbox_group.command("retry")
@pass_config
def retry_failed(config: Config) -> None:
    """Try every failed message again (same ids)."""
    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        failed = session.execute(
            select(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))
        ).scalars()
        count = 0
        for message in failed:
            store.replay(session, message, timeutil.now_utc())
            count += 1
        session.commit()
    click.echo(f"{count} message(s) queued again")
