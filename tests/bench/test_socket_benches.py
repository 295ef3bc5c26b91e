"""bench/call_latency.py and bench/socket_fanout.py in a tiny configuration against a real server
process: every client joins, every call reaches every TV, the counts add up (no timing checked)."""

from __future__ import annotations

import pytest

from tests.bench.runs import demo_server, refuses_elsewhere, run_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("socket-benches")) as (base, process):
        yield base, process


def test_call_latency_counts_every_receipt(server):
    base, _ = server
    result = run_json(
        "bench/call_latency.py",
        *("--url", base, "--tvs", "3", "--pages", "5", "--calls", "5"),
        timeout=120,
    )
    clients = result["clients"]
    assert clients["joined"] == 8 and clients["failed"] == 0
    assert clients["processes"] == 2  # TVs and ticket pages apart from the timing process
    assert result["calls"] == 5 and result["calls_not_seen_by_every_tv"] == 0
    assert result["tv_receipts"] == {"expected": 15, "received": 15}
    assert result["call_to_tv"]["count"] == 15 and result["call_http_round_trip"]["count"] == 5
    pages = result["ticket_pages"]
    # Five calls at Dukcapil counter 1 (KTP, KK): the pages following those tickets saw them.
    assert pages["saw_their_call"] == pages["whose_ticket_was_called"] >= 1
    assert pages["queue_changed_messages"] > 0


def test_call_latency_with_lean_clients_counts_the_same(server):
    """TVs and ticket pages that speak the wire protocol themselves (bench/lean_tv.py) see what
    python-socketio's clients see: every call at every TV, each page its own call."""
    base, _ = server
    result = run_json(
        "bench/call_latency.py",
        *("--url", base, "--tvs", "3", "--pages", "5", "--calls", "5", "--lean-clients"),
        timeout=120,
    )
    assert result["lean_clients"] is True
    assert result["clients"]["joined"] == 8 and result["clients"]["failed"] == 0
    assert result["calls"] == 5 and result["tv_receipts"] == {"expected": 15, "received": 15}
    pages = result["ticket_pages"]
    assert pages["saw_their_call"] == pages["whose_ticket_was_called"] >= 1
    assert pages["queue_changed_messages"] > 0
    assert result["call_to_own_ticket_page"]["count"] == pages["saw_their_call"]


def test_socket_fanout_reaches_every_client_and_reads_the_memory(server):
    base, process = server
    result = run_json(
        "bench/socket_fanout.py",
        *("--url", base, "--clients", "20", "--client-procs", "2"),
        *("--broadcasts", "3", "--pause", "0.1"),
        timeout=120,
    )
    assert result["server_pid"] == process.pid  # found by its listening port
    assert result["clients"]["joined"] == 20 and result["clients"]["processes"] == 2
    assert result["broadcasts"] == 3 and result["broadcasts_not_reaching_every_tv"] == 0
    assert result["receipts"] == {"expected": 60, "received": 60}
    assert result["fewest_reached_by_one_broadcast"] == 20
    memory = result["server_memory"]
    assert 10 < memory["before_clients_mb"] <= memory["peak_vmhwm_mb"]


def test_refuses_a_server_elsewhere():
    assert refuses_elsewhere("bench/call_latency.py")
    assert refuses_elsewhere("bench/socket_fanout.py")
