"""bench/print_latency.py with 5 taps per QR mode, on the server it starts itself: every ticket
reaches the fake network printer whole, with its number and link; sizes, not timing."""

from __future__ import annotations

import pytest

from bench.print_latency import qr_data
from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_five_taps_reach_the_fake_printer():
    result = run_json("-m", "bench.print_latency", "--taps", "5")
    native, raster = result["native"], result["raster"]
    assert result["ok"] and native["problems"] == [] and raster["problems"] == []
    assert native["printed"] == raster["printed"] == 5
    assert native["tap_to_last_byte"]["count"] == 5
    # A native QR is a few hundred bytes; a raster QR is an image, tens of times bigger.
    assert 200 < native["bytes_min"] <= native["bytes_max"] <= 1024
    assert raster["bytes_min"] > 5 * native["bytes_max"]


def test_qr_data_reads_the_native_qr_command():
    url = b"http://127.0.0.1:5000/t/abc123"
    size = len(url) + 3
    store = b"\x1d(k" + bytes([size % 256, size // 256]) + b"1P0" + url
    other = b"\x1d(k\x03\x001Q0"  # print the stored QR: no data
    assert qr_data(b"\x1b@text" + store + other + b"\x1dV\x00") == [url]
    assert qr_data(b"no qr here") == []
