"""Settings are checked when the configuration is made: a bad one stops the start, named with the
values it accepts, in production and in demo mode alike."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from shared.cli import main
from shared.config import Config, ConfigError
from shared.printing import PrinterURIError, parse_printer_uri
from tests.servers import ROOT

BAD = [
    ("ANTRE_SKM_WEIGHT", "permenpan", "exact, 0.11"),
    ("ANTRE_SQLITE_SYNCHRONOUS", "fast", "FULL, EXTRA, NORMAL"),
    ("ANTRE_OUTBOX_RELAY", "redis", "inprocess, off"),
    ("ANTRE_ASYNC_MODE", "eventlett", "threading, gevent"),
    ("ANTRE_DEFAULT_LOCALE", "ms", "id, en"),
    ("ANTRE_PRINTER", "lpt://x", "tcp, usb, serial, cups, file, none"),
    ("ANTRE_PRINTER", "tcp://10.0.0.5?paper=60", "58, 80"),
    ("ANTRE_PRINTER", "tcp://10.0.0.5?qr=yes", "native, raster"),
    ("ANTRE_PRINTER", "usb://04b8:0e15?profile=TM-XYZ", "python-escpos printer profile"),
    ("ANTRE_PORT", "lima ribu", "whole number"),
    ("ANTRE_PORT", "70000", "at most 65535"),
    ("ANTRE_PRINTER_TIMEOUT", "0", "at least 0.1"),
    ("ANTRE_SESSION_IDLE_MINUTES", "-5", "at least 1"),
    ("ANTRE_PUBLIC_URL", "antre.local", "http:// or https://"),
    ("ANTRE_MESSAGE_QUEUE", "127.0.0.1:6379", "redis:// or rediss://"),
]


@pytest.mark.parametrize("demo", ["0", "1"])
@pytest.mark.parametrize(("name", "value", "accepted"), BAD)
def test_a_bad_setting_is_refused_with_its_name_and_what_it_takes(demo, name, value, accepted):
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"ANTRE_DEMO": demo, name: value})
    assert f"{name}=" in str(refused.value) and accepted in str(refused.value)


def test_every_bad_setting_is_named_at_once():
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"ANTRE_SKM_WEIGHT": "1/9", "ANTRE_OUTBOX_RELAY": "no"})
    assert "ANTRE_SKM_WEIGHT" in str(refused.value) and "ANTRE_OUTBOX_RELAY" in str(refused.value)


def test_the_defaults_and_the_documented_values_are_accepted():
    Config.from_env({})
    Config.from_env(
        {
            "ANTRE_SKM_WEIGHT": "0.11",
            "ANTRE_SQLITE_SYNCHRONOUS": "normal",
            "ANTRE_OUTBOX_RELAY": "off",
            "ANTRE_ASYNC_MODE": "gevent",
            "ANTRE_DEFAULT_LOCALE": "en",
            "ANTRE_PRINTER": "tcp://10.0.0.5:9100?profile=POS-5890&paper=58&qr=raster&status=off",
            "ANTRE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "ANTRE_PUBLIC_URL": "https://antre.example.go.id",
        }
    )


def test_printer_options_are_checked_wherever_a_uri_is_read():
    for bad in ("serial:///dev/ttyUSB0?baudrate=cepat", "file:///tmp/x?status=maybe"):
        with pytest.raises(PrinterURIError):
            parse_printer_uri(bad)


def test_the_cli_refuses_a_bad_setting_without_a_traceback():
    result = CliRunner().invoke(main, ["db", "--help"], env={"ANTRE_SKM_WEIGHT": "permenpan"})
    assert result.exit_code != 0
    assert "ANTRE_SKM_WEIGHT='permenpan' is not one of: exact, 0.11" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("demo", [[], ["--demo"]])
def test_run_py_refuses_to_start_on_a_bad_printer(tmp_path, demo):
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--port", "1", *demo],
        env={
            "ANTRE_PRINTER": "tcp//192.168.1.50:9100",
            "ANTRE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "antre: ANTRE_PRINTER='tcp//192.168.1.50:9100'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
