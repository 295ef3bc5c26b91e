"""Real processes for the scale-out and fault tests: gunicorn apps, nginx, private Redis and
PostgreSQL instances (the machine's shared ones are never restarted), and HTTP/socket clients.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import requests
import socketio

from shared.accounts import DEMO_PASSWORD
from tests.servers import ROOT, free_port

BOOT_SECONDS = 90  # four processes booting at once on a busy 2-core machine
ZONE = 1  # the demo's "Lobi utama": every agency


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_for_http(url: str, process: subprocess.Popen, log: Path, seconds=BOOT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2, allow_redirects=False).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s; log:\n{log.read_text()[-3000:]}")


@dataclass
class AppProcess:
    """``gunicorn -k gevent -w 1 '<app>:create_app()'`` on a free port."""

    app: str
    env: dict
    logdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return f"http://{self.address}"

    def start(self) -> AppProcess:
        self.log = self.logdir / f"{self.app}-{self.port}.log"
        command = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1"]
        # As deploy/systemd: gunicorn's default 2 s keep-alive races a request sent after a pause.
        command += ["--keep-alive", "75", "-b", self.address, "--graceful-timeout", "5"]
        command += ["--config", "python:shared.gc_tuning", f"{self.app}:create_app()"]
        environment = {**os.environ, "ANTRE_ASYNC_MODE": "gevent", "PYTHONUNBUFFERED": "1"}
        environment.update(self.env)
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def wait(self) -> AppProcess:
        wait_for_http(f"{self.base}/{self.app}/", self.process, self.log)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
    )


@contextmanager
def running_nginx(tmp: Path, upstreams: dict[str, str]):
    """nginx in the foreground with deploy/nginx.conf filled in; yields its base URL."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, address in {"LISTEN": f"127.0.0.1:{port}", **upstreams}.items():
        site = site.replace(f"@{name}@", address)
    prefix = tmp / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    temp_paths = "".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        "daemon off;\nworker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'logs' / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    access_log {prefix / 'logs' / 'access.log'};\n{temp_paths}{site}\n}}\n"
    )
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=open(prefix / "logs" / "stderr.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/display/", process, prefix / "logs" / "error.log", seconds=20)
        yield base
    finally:
        stop(process)


@contextmanager
def private_redis(tmp: Path):
    """A Redis of our own on a free port (stopping it does not disturb anyone else)."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("redis-server is not installed: no private Redis to stop and restart")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(tmp)]

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"
        process: subprocess.Popen | None = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            import redis

            while time.monotonic() < deadline:
                try:
                    redis.Redis.from_url(self.url).ping()
                    return
                except redis.RedisError:
                    time.sleep(0.1)
            raise TimeoutError("private redis did not start")

        def stop(self):
            if self.process is not None:
                stop(self.process)
                self.process = None

    handle = Handle()
    handle.start()
    try:
        yield handle
    finally:
        handle.stop()


class Clerk:
    """A clerk signed in through the real login form, sending the console's CSRF header."""

    def __init__(self, base: str, username: str, password: str = DEMO_PASSWORD):
        self.base = base
        self.http = requests.Session()
        page = self.http.get(f"{base}/counter/login", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = self.http.post(
            f"{base}/counter/login",
            data={"username": username, "password": password, "csrf_token": token},
            timeout=10,
            allow_redirects=False,
        )
        assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
        self.http.headers["X-CSRFToken"] = token
        self.http.headers["Accept"] = "application/json"

    def call_next(self, counter_id: int, timeout: float = 10) -> requests.Response:
        return self.http.post(
            f"{self.base}/counter/api/counters/{counter_id}/call-next", json={}, timeout=timeout
        )

    def serve(self, ticket_id: int) -> None:
        """Start and finish a called ticket, freeing the counter for the next call."""
        for action in ("start", "finish"):
            answer = self.http.post(
                f"{self.base}/counter/api/tickets/{ticket_id}/{action}", json={}, timeout=10
            )
            assert answer.status_code == 200, answer.text


class KioskClient:
    """The demo kiosk as its page does it: the session cookie plus the page's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        page = self.http.get(f"{base}/kiosk/", timeout=10).text
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        self.http.headers["X-CSRFToken"] = token

    def take(self, service_id: int, key: str | None = None, timeout=10) -> requests.Response:
        key = key or uuid.uuid4().hex
        body = {"service_id": service_id, "priority": "none", "idempotency_key": key}
        return self.http.post(f"{self.base}/kiosk/api/tickets", json=body, timeout=timeout)


def take_ticket(base: str, service_id: int, key: str | None = None) -> requests.Response:
    return KioskClient(base).take(service_id, key)


class TV:
    """A lobby TV in Python: python-socketio joined to the zone, collecting ticket.called."""

    def __init__(self, base: str, path: str = "display/socket.io"):
        self.base, self.path = base, path
        self.calls: list[dict] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.5, reconnection_delay_max=1)
        self.client.on("connect", self._join_later, namespace="/display")
        self.client.on("ticket.called", self._called, namespace="/display")
        self.joins: list[dict] = []

    def _join_later(self):
        # A TV joins on every (re)connect; call() cannot run inside the connect handler.
        threading.Thread(target=self.join, daemon=True).start()

    def join(self) -> dict:
        answer = self.client.call("join", {"zone": ZONE}, namespace="/display", timeout=10)
        self.joins.append(answer)
        return answer

    def _called(self, message):
        with self.arrived:
            self.calls.append(message)
            self.arrived.notify_all()

    def connect(self, transports=("websocket",)) -> TV:
        self.client.connect(
            self.base,
            namespaces=["/display"],
            socketio_path=self.path,
            transports=list(transports),
            wait_timeout=10,
        )
        deadline = time.monotonic() + 10
        while not self.joins and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.joins and self.joins[-1]["ok"], self.joins
        return self

    def wait_for_number(self, number: str, seconds: float = 10) -> dict | None:
        deadline = time.monotonic() + seconds
        with self.arrived:
            while True:
                for message in self.calls:
                    if message.get("number") == number:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)

    def close(self) -> None:
        self.client.disconnect()


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb + pg_ctl in a temp dir, on a free port), run as
    the ``postgres`` user when we are root, since initdb refuses root."""

    def __init__(self):
        import pwd
        import tempfile

        self.bin = postgres_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="antre-pg-"))
        self.data = self.dir / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, *args], check=True, capture_output=True, timeout=120, cwd=self.dir
        )

    def init(self) -> PrivatePostgres:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.dir / "log"),
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
