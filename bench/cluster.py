"""Run a benchmark against N gunicorn + gevent processes sharing a fresh PostgreSQL database.

    python -m bench.cluster --app kiosk --processes 4 -- python -m bench.take_tickets --kiosks 20

Creates database ``bench_<random>`` on the local PostgreSQL (createdb/dropdb, --pg), migrates
and seeds it with the ``antre`` CLI, starts ``gunicorn -k gevent -w 1 '<app>:create_app()'``
N times on free loopback ports (``--app run`` is all three apps in one, as run.py), appends
``--url <process>`` for each to the command, runs it, then stops everything and drops the
database. Demo mode, no rate limits; ``--redis URL`` adds a Socket.IO message queue on a
private channel. Process logs go to a temp dir, printed when a process fails to start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bench.local_server import ROOT, free_port

PAGES = {"kiosk": "/kiosk/", "counter": "/counter/login", "display": "/display/", "run": "/kiosk/"}


def _pg(tool: str, pg: str, name: str) -> None:
    host, port, user = pg.split(":")
    command = [tool, "-h", host, "-p", port, "-U", user, name]
    subprocess.run(command, check=True, timeout=60)


def _start(app: str, env: dict, logdir: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = logdir / f"{app}-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1"]
    command += ["--keep-alive", "75", "--worker-connections", "10000"]  # as deploy/systemd
    command += ["-b", f"127.0.0.1:{port}", "--graceful-timeout", "5", f"{app}:create_app()"]
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    return process, f"http://127.0.0.1:{port}", log


def _wait(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not start; log:\n{log.read_text()[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default="kiosk", choices=sorted(PAGES))
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--pg", default="127.0.0.1:5432:postgres", help="host:port:user")
    parser.add_argument("--redis", default="", help="Socket.IO message queue, e.g. redis://…")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the benchmark command")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise SystemExit("give the benchmark command after --")

    name = f"bench_{uuid.uuid4().hex[:10]}"
    host, port, user = args.pg.split(":")
    folder = Path(tempfile.mkdtemp(prefix="antre-cluster-"))
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": f"postgresql+psycopg://{user}@{host}:{port}/{name}",
        "ANTRE_DEMO": "1",
        "ANTRE_RATE_LIMITS": "0",
        "ANTRE_ASYNC_MODE": "gevent",
        "ANTRE_INSTANCE_PATH": str(folder / "instance"),
        "ANTRE_MESSAGE_QUEUE": args.redis,
        "ANTRE_SOCKETIO_CHANNEL": f"antre-{name}",
        "PYTHONUNBUFFERED": "1",
    }
    antre = [sys.executable, "-m", "shared.cli"]
    processes: list[subprocess.Popen] = []
    _pg("createdb", args.pg, name)
    print(f"bench.cluster: database {name}, logs in {folder}", file=sys.stderr, flush=True)
    try:
        for step in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run(antre + step, cwd=ROOT, env=env, check=True, timeout=300)
        started = [_start(args.app, env, folder) for _ in range(args.processes)]
        processes = [p for p, _url, _log in started]
        for process, url, log in started:
            _wait(url + PAGES[args.app], process, log)
        urls = [arg for _p, url, _log in started for arg in ("--url", url)]
        code = subprocess.run(command + urls, cwd=ROOT, check=False).returncode
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        _pg("dropdb", args.pg, name)
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
