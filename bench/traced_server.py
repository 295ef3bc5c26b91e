"""run.py with its slow requests and its garbage collector's pauses written down: where a slow
tap's milliseconds went.

    python -m bench.traced_server --trace /tmp/x/trace.jsonl [--slow-ms 25] -- --demo --port 5000

Everything after ``--`` goes to run.py. Each request slower than ``--slow-ms`` and each collection
longer than ``--gc-ms`` is one JSON line in the trace: the wall-clock time it ended (``at``, as
``time.time()``), milliseconds of wall time and, for a request, of this process's CPU meanwhile
(near the wall time: the server worked; far below it: it waited, for a lock or the disk). A
request is named by its method and path with numbers as ``<n>``, never its query string. The
first request also writes how many objects the collector tracks and how many start-up froze.

``--profile FILE --profile-what TEXT`` profiles (cProfile) the requests whose name holds TEXT,
say ``call-next``, and writes their accumulated profile to FILE after every 50 of them: the
server's own share of a request as run.py serves it, to hold against ``bench.in_process``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NUMBER = re.compile(r"/\d+(?=/|$)")


PROFILE_EVERY = 50  # profiled requests between two writes of the profile


class Trace:
    def __init__(self, path: Path, slow_ms: float, gc_ms: float, profile=None, profile_what=""):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 - open for the server's life
        self.slow_ms, self.gc_ms = slow_ms, gc_ms
        self.collecting_since = 0.0
        self.serving = False
        self.profile_path, self.profile_what = profile, profile_what
        self.profiler = cProfile.Profile() if profile else None
        self.profiled = 0

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
            path = NUMBER.sub("/<n>", (handler.path or "").split("?")[0])
            what = f"{handler.command} {path}"
            profiled = self.profiler is not None and self.profile_what in what
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                if profiled:
                    return self.profiler.runcall(handle, handler)
                return handle(handler)
            finally:
                ms = (time.perf_counter() - wall) * 1000
                if ms >= self.slow_ms:
                    cpu_ms = (time.process_time() - cpu) * 1000
                    self.write(kind="request", what=what, ms=round(ms, 2), cpu_ms=round(cpu_ms, 2))
                if profiled:
                    self.profiled += 1
                    if self.profiled % PROFILE_EVERY == 0:  # whole, never half-written
                        partial = self.profile_path.with_name(self.profile_path.name + ".part")
                        self.profiler.dump_stats(partial)
                        os.replace(partial, self.profile_path)

        return timed


def main() -> None:
    mine, _, rest = " ".join(sys.argv[1:]).partition(" -- ")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", type=Path, required=True)
    parser.add_argument("--slow-ms", type=float, default=25)
    parser.add_argument("--gc-ms", type=float, default=2)
    parser.add_argument("--profile", type=Path, help="cProfile of the requests --profile-what")
    parser.add_argument("--profile-what", default="", help="text in the request's name")
    args = parser.parse_args(mine.split())
    trace = Trace(args.trace, args.slow_ms, args.gc_ms, args.profile, args.profile_what)
    import run

    run.prepare_async_mode()  # before the server's modules import socket and threading
    from shared.web import serving

    gc.callbacks.append(trace.on_collection)
    handler = serving.NoDelayHandler
    handler.handle_one_response = trace.timing(handler.handle_one_response)
    run.main(rest.split())


if __name__ == "__main__":
    main()
