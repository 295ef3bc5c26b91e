"""Start the real server (run.py) in a subprocess for tests that need real processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def running_server(
    db_url: str,
    port: int | None = None,
    log_path: Path | None = None,
    launcher: tuple[str, ...] = (str(ROOT / "run.py"),),
    **env,
):
    """``python run.py`` (or another ``launcher`` of it) on a free port; yields (base, process)."""
    port = port or free_port()
    environment = {
        **os.environ,
        "ANTRE_DATABASE_URL": db_url,
        "ANTRE_DEMO": "1",
        "ANTRE_RATE_LIMITS": "0",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, *launcher, "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if log_path:
            log.close()


def fold_reports(db_url: str) -> None:
    """One round of the report job (what run.py's child does every minute): the report pages
    read only the roll-ups, so a test that looks at figures of live activity runs it first."""
    from shared.db import make_engine, make_session_factory
    from shared.reports.refresher import refresh_in_steps

    engine = make_engine(db_url)
    try:
        refresh_in_steps(make_session_factory(engine))
    finally:
        engine.dispose()
