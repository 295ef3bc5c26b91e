"""shared/gc_tuning.py: a server's start-up objects frozen out of the collector's rounds, in
run.py's way (a call) and in gunicorn's (the config module's hook, in a real gunicorn)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest
import requests

from shared import gc_tuning
from tests.scale.processes import stop, wait_for_http
from tests.servers import ROOT, free_port

# A WSGI app that answers how many objects its worker froze.
FREEZE_COUNT_APP = """
import gc

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
"""


def test_the_objects_alive_at_start_up_are_frozen():
    kept = [[n] for n in range(1000)]  # objects the collector tracks, made "at start-up"
    try:
        gc_tuning.freeze_start_up()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()  # the test process goes on collecting as before
    assert gc.get_freeze_count() == 0


@pytest.mark.slow
def test_gunicorn_reads_the_module_and_its_worker_freezes(tmp_path):
    (tmp_path / "freeze_count_app.py").write_text(FREEZE_COUNT_APP)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1"]
    command += ["--config", "python:shared.gc_tuning", "--chdir", str(ROOT)]
    command += ["--pythonpath", str(tmp_path), "-b", f"127.0.0.1:{port}", "freeze_count_app:app"]
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process, log)
        answer = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert int(answer.text) > 10_000, log.read_text()  # gevent's and gunicorn's modules
    finally:
        stop(process)
