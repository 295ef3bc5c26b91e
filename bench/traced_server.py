"""run.py with its slow requests and its garbage collector's pauses written down: where a slow
tap's milliseconds went.

    python -m bench.traced_server --trace /tmp/x/trace.jsonl [--slow-ms 25] -- --demo --port 5000

Everything after ``--`` goes to run.py. Each request slower than ``--slow-ms`` and each collection
longer than ``--gc-ms`` is one JSON line in the trace: the wall-clock time it ended (``at``, as
``time.time()``), milliseconds of wall time and, for a request, of this process's CPU meanwhile
(near the wall time: the server worked; far below it: it waited, for a lock or the disk). A
request is named by its method and path with numbers as ``<n>``, never its query string. The
first request also writes how many objects the collector tracks and how many start-up froze.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NUMBER = re.compile(r"/\d+(?=/|$)")


class Trace:
    def __init__(self, path: Path, slow_ms: float, gc_ms: float):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 - open for the server's life
        self.slow_ms, self.gc_ms = slow_ms, gc_ms
        self.collecting_since = 0.0
        self.serving = False

    def write(self, **line) -> None:
        self.file.write(json.dumps({"at": round(time.time(), 3), **line}) + "\n")

    def on_collection(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.collecting_since = time.perf_counter()
            return
        ms = (time.perf_counter() - self.collecting_since) * 1000
        if ms >= self.gc_ms:
            self.write(kind="gc", generation=info["generation"], ms=round(ms, 2))

    def timing(self, handle):
        """pywsgi's handler method ``handle``, writing down each slow request."""

        def timed(handler):
            if not self.serving:
                self.serving = True
                tracked, frozen = len(gc.get_objects()), gc.get_freeze_count()
                self.write(kind="serving", tracked_objects=tracked, frozen_objects=frozen)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return handle(handler)
            finally:
                ms = (time.perf_counter() - wall) * 1000
                if ms >= self.slow_ms:
                    path = NUMBER.sub("/<n>", (handler.path or "").split("?")[0])
                    cpu_ms = (time.process_time() - cpu) * 1000
                    what = f"{handler.command} {path}"
                    self.write(kind="request", what=what, ms=round(ms, 2), cpu_ms=round(cpu_ms, 2))

        return timed


def main() -> None:
    mine, _, rest = " ".join(sys.argv[1:]).partition(" -- ")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", type=Path, required=True)
    parser.add_argument("--slow-ms", type=float, default=25)
    parser.add_argument("--gc-ms", type=float, default=2)
    args = parser.parse_args(mine.split())
    trace = Trace(args.trace, args.slow_ms, args.gc_ms)
    import run

    run.prepare_async_mode()  # before the server's modules import socket and threading
    from shared.web import serving

    gc.callbacks.append(trace.on_collection)
    handler = serving.NoDelayHandler
    handler.handle_one_response = trace.timing(handler.handle_one_response)
    run.main(rest.split())


if __name__ == "__main__":
    main()
