"""A server of the benchmark's own when no --url is given: ``run.py`` (the embedded default) on a
free loopback port, with a private SQLite file and instance folder in a temp dir, demo data,
no rate limits. Removed again afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_loopback(*urls: str) -> None:
    if any(urlparse(url).hostname not in LOOPBACK for url in urls):
        raise SystemExit("benchmarks only target a server on this machine (loopback)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_server(**env: str):
    """Yields the base URL of a fresh ``python run.py``; its log is printed if it fails."""
    with own_server_process(**env) as (base, _process):
        yield base


@contextmanager
def own_server_process(**env: str):
    """As :func:`own_server`, yielding (base URL, the server's Popen) for reading its CPU time."""
    folder = Path(tempfile.mkdtemp(prefix="antre-bench-"))
    port = free_port()
    environment = {
        **os.environ,
        "ANTRE_DATABASE_URL": f"sqlite:///{folder / 'antre.db'}",
        "ANTRE_INSTANCE_PATH": str(folder / "instance"),
        "ANTRE_DEMO": "1",
        "ANTRE_RATE_LIMITS": "0",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, folder)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait(base: str, process: subprocess.Popen, folder: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(base + "/kiosk/", timeout=2).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.2)
    tail = (folder / "server.log").read_text()[-2000:]
    raise SystemExit(f"the benchmark's own server did not start:\n{tail}")
