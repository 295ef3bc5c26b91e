"""Running a benchmark script as a user does (a subprocess from the checkout) against a real
demo server, and reading the JSON it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.servers import ROOT, running_server


def run_script(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python <arguments>`` from the checkout: a script path, or ``-m bench.x``."""
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def run_json(*arguments: str, timeout: float = 300) -> dict:
    """The script's JSON report (lines printed before it, such as a CLI's, are skipped)."""
    run = run_script(*arguments, timeout=timeout)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(run.stdout[run.stdout.index("{") :])


def refuses_elsewhere(*arguments: str) -> bool:
    """Benchmarks only load a server on this machine: a remote --url ends them at once."""
    run = run_script(*arguments, "--url", "http://192.0.2.1:5000", timeout=60)
    return run.returncode != 0 and "loopback" in run.stderr


@contextmanager
def demo_server(folder: Path, name: str = "server", db: str | None = None):
    """``run.py`` on a SQLite file in ``folder`` (or ``db``), its log and uploads beside it."""
    with running_server(
        db or f"sqlite:///{folder / 'antre.db'}",
        log_path=folder / f"{name}.log",
        ANTRE_INSTANCE_PATH=str(folder / "instance"),
        ANTRE_REPORTS_REFRESH_SECONDS="2",  # bench/day.py waits for the report job's round
    ) as (base, process):
        yield base, process
