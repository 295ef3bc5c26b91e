"""bench/traced_server.py: run.py serving as usual while its slow requests go to a trace; what
run.py froze at start-up; a profile of the requests asked for."""

from __future__ import annotations

import json
import pstats
import time

import pytest
import requests

from bench.traced_server import PROFILE_EVERY
from tests.servers import running_server

pytestmark = pytest.mark.slow


def test_requests_are_traced_by_kind_with_their_cpu(tmp_path):
    trace = tmp_path / "trace.jsonl"
    launcher = ("-m", "bench.traced_server", "--trace", str(trace), "--slow-ms", "0", "--")
    with running_server(f"sqlite:///{tmp_path / 'antre.db'}", launcher=launcher) as (base, _):
        assert requests.get(f"{base}/kiosk/api/services?site=1", timeout=30).status_code == 200
        assert requests.get(f"{base}/t/UNKNOWN1", timeout=30).status_code == 404
        # A request's line is written once its answer is sent: wait for it before stopping.
        deadline = time.monotonic() + 30
        while "/t/UNKNOWN1" not in trace.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    requests_seen = {line["what"]: line for line in lines if line["kind"] == "request"}
    assert {"GET /kiosk/api/services", "GET /t/UNKNOWN1"} <= set(requests_seen)
    serving = next(line for line in lines if line["kind"] == "serving")
    assert serving["frozen_objects"] > 100_000  # run.py froze its start-up (shared/gc_tuning.py)
    services = requests_seen["GET /kiosk/api/services"]
    assert services["ms"] > 0 and services["cpu_ms"] >= 0 and services["at"] > 1.7e9
    assert all(line["ms"] >= 2 for line in lines if line["kind"] == "gc")


def test_the_requests_asked_for_are_profiled_and_no_others(tmp_path):
    trace, profile = tmp_path / "trace.jsonl", tmp_path / "services.prof"
    launcher = ("-m", "bench.traced_server", "--trace", str(trace))
    launcher += ("--profile", str(profile), "--profile-what", "/kiosk/api/services", "--")
    with running_server(f"sqlite:///{tmp_path / 'antre.db'}", launcher=launcher) as (base, _):
        for _ in range(PROFILE_EVERY):
            assert requests.get(f"{base}/t/UNKNOWN1", timeout=30).status_code == 404
            assert requests.get(f"{base}/kiosk/api/services?site=1", timeout=30).status_code == 200
        deadline = time.monotonic() + 30  # written after the 50th profiled request's answer
        while not profile.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    stats = pstats.Stats(str(profile)).stats  # (file, line, function) -> (calls, …)
    calls = {function: found[1] for (_file, _line, function), found in stats.items()}
    assert calls["handle_one_response"] == PROFILE_EVERY  # the ticket pages' requests were not
    assert calls["services"] == PROFILE_EVERY
