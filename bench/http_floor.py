"""The load generator's own floor: the same kept-alive threads as take_tickets, fetching a path
that costs the server almost nothing (a static file), so that a ticket's figures can be read
against what this machine does for a request that does no work.

    python -m bench.http_floor --url http://127.0.0.1:5000 --threads 20 --requests 5000
"""

from __future__ import annotations

import argparse
import threading
import time
from urllib.parse import urlparse

import requests

from bench.common import report, summary_ms

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--path", default="/static/shared/antre.js")
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    if urlparse(args.url).hostname not in LOOPBACK:
        raise SystemExit("benchmarks only target a server on this machine (loopback)")

    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    remaining = [args.requests]

    def client() -> None:
        http = requests.Session()
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            ok = http.get(args.url + args.path, timeout=10).status_code == 200
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=client) for _ in range(args.threads)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    report(
        {
            "benchmark": "HTTP floor of the load generator",
            "url": args.url + args.path,
            "threads": args.threads,
            "requests_per_second": round(len(latencies) / seconds, 1),
            "latency": summary_ms(latencies),
            "failures": failures[0],
        }
    )


if __name__ == "__main__":
    main()
