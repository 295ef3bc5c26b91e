"""``antre reports work|rebuild|status``: the report roll-ups' job, outside any web app."""

from __future__ import annotations

import logging
import os
import signal
import threading

import click

from shared.cli_support import pass_config
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.reports import refresher
from shared.reports.freshness import read_freshness

log = logging.getLogger(__name__)
REFRESH_SECONDS = 60
# Below the server's CPU priority: on a small machine the kiosks and clerks come first, and the
# roll-ups take what is left (docs/benchmarks.md, "Kiosk taps while the roll-ups are rebuilt").
NICENESS = 10
NICE_OPTION = click.option(
    "--nice",
    "niceness",
    type=click.IntRange(0, 19),
    default=NICENESS,
    show_default=True,
    help="lower this process's CPU priority by this much, and on Linux run it only on CPU time "
    "nothing else wants (0: leave it)",
)


def yield_cpu(niceness: int) -> None:
    """Lower this process's CPU priority. A niceness still takes its share of a busy core (about
    a tenth at 10); Linux's idle class runs it only on CPU time no other process wants. A
    transaction of the job's is never starved for long: a request waiting for its lock sleeps,
    which frees the CPU for it."""
    if niceness == 0:
        return
    os.nice(niceness)
    if hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except OSError:  # a sandbox that forbids it: the niceness alone still applies
            log.warning(
                "could not take the idle scheduling class; running at niceness %d", niceness
            )


def _factory(config: Config):
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    return make_session_factory(engine)


@click.group("reports")
def reports_group() -> None:
    """The daily roll-ups the report pages read."""


@reports_group.command("work")
@click.option("--once", is_flag=True, help="one refresh, then stop")
@click.option(
    "--interval", type=click.FloatRange(min=1), default=REFRESH_SECONDS, show_default=True
)
@click.option(
    "--parent-pid",
    type=int,
    help="stop when this process (the server that started this one) is no longer the parent",
)
@NICE_OPTION
@pass_config
def work(
    config: Config, once: bool, interval: float, parent_pid: int | None, niceness: int
) -> None:
    """Fold new ticket log entries into the roll-ups every INTERVAL seconds until stopped."""
    yield_cpu(niceness)
    factory = _factory(config)
    if once:
        days = refresher.refresh_in_steps(factory)
        click.echo(f"roll-ups refreshed: {len(days)} day(s)")
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if parent_pid is not None:
        _stop_with_parent(stop, parent_pid)
    click.echo(f"antre reports: refreshing the roll-ups every {interval:g} s")
    refresher.work(factory, stop, interval)


def _stop_with_parent(stop: threading.Event, parent: int) -> None:
    """run.py's child: an orphan (its server killed) stops by itself. The parent's pid comes
    from the parent: read here, it would already be init's when the server died during this
    process's start-up, and the orphan would run for ever."""

    def watch() -> None:
        while os.getppid() == parent and not stop.wait(1):
            pass
        stop.set()

    threading.Thread(target=watch, daemon=True).start()


@reports_group.command("rebuild")
@NICE_OPTION
@pass_config
def rebuild(config: Config, niceness: int) -> None:
    """Rebuild every day's roll-ups from the ticket log (after an upgrade that changed them);
    the server keeps serving meanwhile, a day per transaction."""
    yield_cpu(niceness)
    factory = _factory(config)
    plan = refresher.plan_rebuild(factory)
    with click.progressbar(
        length=len(plan.days), label="rebuilding", item_show_func=_day_label
    ) as bar:

        def advance(day, _tickets) -> None:
            bar.update(1, day)

        refresher.carry_out(factory, plan, on_day=advance)
    click.echo(f"roll-ups rebuilt: {len(plan.days)} day(s)")


def _day_label(day) -> str | None:
    return day.isoformat() if day is not None else None


@reports_group.command("status")
@pass_config
def status(config: Config) -> None:
    """When the roll-ups were last refreshed, and whether newer activity waits for the job."""
    with _factory(config)() as session:
        fresh = read_freshness(session)
    if fresh.refreshed_at is None:
        click.echo("roll-ups never built: run `antre reports rebuild` or start the job")
        return
    click.echo(f"refreshed at {fresh.refreshed_at.isoformat()} (UTC)")
    click.echo("newer activity waits for the next round" if fresh.behind else "up to date")
