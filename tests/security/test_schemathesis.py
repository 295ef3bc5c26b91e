"""Schemathesis against docs/openapi.yaml on the running app (run.py, demo data): no 5xx, and
every response matches the documented schema and content type. Bounded in examples and time
for CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT, running_server

pytestmark = pytest.mark.slow

MAX_EXAMPLES = "5"
MAX_SECONDS = "120"


def schemathesis_command() -> list[str]:
    binary = Path(sys.executable).with_name("schemathesis")
    if binary.exists():
        return [str(binary)]
    found = shutil.which("schemathesis")
    if found is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    return [found]


def test_the_api_conforms_to_its_openapi_document(demo_db_url, tmp_path):
    command = schemathesis_command()
    with running_server(demo_db_url, log_path=tmp_path / "server.log") as (base, _process):
        run = subprocess.run(
            [
                *command,
                "run",
                str(ROOT / "docs" / "openapi.yaml"),
                "--url",
                base,
                "--checks",
                "not_a_server_error,response_schema_conformance,content_type_conformance",
                "--max-examples",
                MAX_EXAMPLES,
                "--max-time",
                MAX_SECONDS,
                "--seed",
                "20261123",
                "--request-timeout",
                "20",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=int(MAX_SECONDS) + 120,
        )
    tail = (run.stdout + run.stderr)[-6000:]
    server_log = (tmp_path / "server.log").read_text()[-4000:]
    assert run.returncode == 0, f"{tail}\n--- server log ---\n{server_log}"
    assert "Traceback" not in (tmp_path / "server.log").read_text()
