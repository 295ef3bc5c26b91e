"""Run a benchmark against N gunicorn + gevent processes sharing a fresh PostgreSQL database.

    python -m bench.cluster --app kiosk --processes 4 -- python -m bench.take_tickets --kiosks 20

Creates database ``bench_<random>`` on the local PostgreSQL (createdb/dropdb, --pg), migrates
and seeds it with the ``antre`` CLI, starts ``gunicorn -k gevent -w 1 '<app>:create_app()'``
N times on free loopback ports (``--app run`` is all three apps in one, as run.py), appends
``--url <process>`` for each to the command, runs it, then stops everything and drops the
database. Demo mode, no rate limits; ``--redis URL`` adds a Socket.IO message queue on a
private channel. Process logs go to a temp dir, printed when a process fails to start.

``--seed province --sites 100`` seeds bench/province_seed.py's sites instead of the demo mall;
``--nginx`` puts a private nginx (Debian's binary) in front: one upstream of the N processes
(least connections; the clients use websockets only, so no stickiness is needed) and a single
``--url`` to it. The command also gets ANTRE_DATABASE_URL and BENCH_SERVER_PIDS (the gunicorn
masters, comma-separated) and, with nginx, BENCH_NGINX_PID in its environment.

``--server-cpus 0`` runs the servers (and nginx) on CPU 0 and pins the PostgreSQL backends of the
bench's database there too (bench/pinning.py); ``--client-cpus 1`` runs the command on CPU 1.
Run once with one server core and once with two (``--server-cpus 0-1 --client-cpus 2``) to see
how throughput grows with cores:

    python -m bench.cluster --processes 2 --redis redis://127.0.0.1:6379/0 \
        --server-cpus 0 --client-cpus 2-3 -- python -m bench.take_tickets --kiosks 20
"""

from __future__ import annotations

import argparse
import contextlib
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
from bench.pinning import BackendPinner, parse_cpus, pinned

PAGES = {"kiosk": "/kiosk/", "counter": "/counter/login", "display": "/display/", "run": "/kiosk/"}


def _pg(tool: str, pg: str, name: str) -> None:
    host, port, user = pg.split(":")
    command = [tool, "-h", host, "-p", port, "-U", user, name]
    subprocess.run(command, check=True, timeout=60)


def _start(
    app: str, env: dict, logdir: Path, cpus: set[int] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = logdir / f"{app}-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1"]
    command += ["--keep-alive", "75", "--worker-connections", "10000"]  # as deploy/systemd
    command += ["--config", "python:shared.gc_tuning"]
    command += ["-b", f"127.0.0.1:{port}", "--graceful-timeout", "5", f"{app}:create_app()"]
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, preexec_fn=pinned(cpus)
        )
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


NGINX = """daemon off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/error.log warn;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path @PREFIX@/client_body;
    proxy_temp_path @PREFIX@/proxy;
    fastcgi_temp_path @PREFIX@/fastcgi;
    uwsgi_temp_path @PREFIX@/uwsgi;
    scgi_temp_path @PREFIX@/scgi;
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream antre { least_conn; @SERVERS@ }
    server {
        listen @LISTEN@;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 3600s;
        location / { proxy_pass http://antre; }
    }
}
"""


def start_nginx(
    folder: Path, urls: list[str], cpus: set[int] | None = None
) -> tuple[subprocess.Popen, str]:
    """A private nginx (as deploy/nginx.conf: websockets upgraded, long reads) in front of every
    process, the --app run way: one upstream for all paths."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = folder / "nginx"
    prefix.mkdir()
    port = free_port()
    servers = " ".join(f"server {url.removeprefix('http://')};" for url in urls)
    conf = NGINX.replace("@PREFIX@", str(prefix)).replace("@SERVERS@", servers)
    conf = conf.replace("@LISTEN@", f"127.0.0.1:{port}")
    if os.geteuid() == 0:  # else the workers would run as nobody, outside the private folder
        conf = "user root;\n" + conf
    (prefix / "nginx.conf").write_text(conf)
    with open(prefix / "stderr.log", "w") as out:
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=out,
            stderr=out,
            preexec_fn=pinned(cpus),
        )
    return process, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default="kiosk", choices=sorted(PAGES))
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--pg", default="127.0.0.1:5432:postgres", help="host:port:user")
    parser.add_argument("--redis", default="", help="Socket.IO message queue, e.g. redis://…")
    parser.add_argument("--seed", default="demo", choices=("demo", "province"))
    parser.add_argument("--sites", type=int, default=100, help="with --seed province")
    parser.add_argument("--nginx", action="store_true", help="one nginx in front of the processes")
    parser.add_argument("--server-cpus", default="", help="e.g. 0 or 0-1: servers, nginx, backends")
    parser.add_argument("--client-cpus", default="", help="e.g. 2-3: the benchmark command")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the benchmark command")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise SystemExit("give the benchmark command after --")
    server_cpus = parse_cpus(args.server_cpus) if args.server_cpus else None
    client_cpus = parse_cpus(args.client_cpus) if args.client_cpus else None

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
    seed = (
        [sys.executable, "-m", "bench.province_seed", "--sites", str(args.sites)]
        if args.seed == "province"
        else antre + ["seed-demo"]
    )
    processes: list[subprocess.Popen] = []
    _pg("createdb", args.pg, name)
    print(f"bench.cluster: database {name}, logs in {folder}", file=sys.stderr, flush=True)
    try:
        subprocess.run(antre + ["db", "upgrade"], cwd=ROOT, env=env, check=True, timeout=300)
        subprocess.run(seed, cwd=ROOT, env=env, check=True, timeout=600)
        started = [_start(args.app, env, folder, server_cpus) for _ in range(args.processes)]
        processes = [p for p, _url, _log in started]
        for process, url, log in started:
            _wait(url + PAGES[args.app], process, log)
        urls = [arg for _p, url, _log in started for arg in ("--url", url)]
        told = {
            "ANTRE_DATABASE_URL": env["ANTRE_DATABASE_URL"],
            "BENCH_SERVER_PIDS": ",".join(str(p.pid) for p in processes),
        }
        if args.nginx:
            nginx, base = start_nginx(folder, [url for _p, url, _log in started], server_cpus)
            processes.append(nginx)
            _wait(base + PAGES[args.app], nginx, folder / "nginx" / "error.log", 30)
            urls, told["BENCH_NGINX_PID"] = ["--url", base], str(nginx.pid)
        command_env = {**os.environ, **told}
        pinner = contextlib.nullcontext()
        if server_cpus:
            print(f"bench.cluster: servers on CPUs {sorted(server_cpus)}", file=sys.stderr)
            pinner = BackendPinner(env["ANTRE_DATABASE_URL"], server_cpus)
        with pinner:
            code = subprocess.run(
                command + urls,
                cwd=ROOT,
                env=command_env,
                check=False,
                preexec_fn=pinned(client_cpus),
            ).returncode
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
