"""Printer URIs and the python-escpos devices behind them.

    tcp://host:9100        Network printer (Ethernet or Wi-Fi), asked for its status first
    usb://04b8:0e15        USB printer by vendor and product id (hex)
    serial:///dev/ttyUSB0?baudrate=19200
    cups://queue           a CUPS queue, sent raw (pycups if installed, else the ``lp`` command)
    file:///dev/usb/lp0    a device file (or any file: handy for tests)
    none                   no printer: the citizen photographs the number and the QR

Any URI may carry ``profile=``, ``paper=58|80``, ``qr=native|raster`` and ``status=on|off`` in its
query string, so that ANTRE_PRINTER alone can describe the default printer completely.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from escpos.escpos import Escpos

KINDS = ("tcp", "usb", "serial", "cups", "file", "none")
PAPER_WIDTHS = (58, 80)
DEFAULT_PROFILE = "TM-T20II"
# The query options a URI may carry and the words each takes (profile and baudrate: see below).
OPTION_VALUES = {"paper": ("58", "80"), "qr": ("native", "raster"), "status": ("on", "off")}


class PrinterURIError(ValueError):
    """The printer URI cannot be understood."""


@dataclass
class PrinterSpec:
    kind: str
    target: str = ""
    port: int = 9100
    options: dict[str, str] = field(default_factory=dict)

    @property
    def reads_status(self) -> bool:
        """Network printers answer DLE EOT; elsewhere only when asked (status=on)."""
        default = "on" if self.kind == "tcp" else "off"
        return self.options.get("status", default) == "on"


def parse_printer_uri(uri: str | None) -> PrinterSpec:
    uri = (uri or "").strip()
    if uri in ("", "none"):
        return PrinterSpec("none")
    parts = urlsplit(uri)
    kind = parts.scheme.lower()
    if kind not in KINDS:
        raise PrinterURIError(f"unknown printer type {kind!r} (use one of {', '.join(KINDS)})")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    _check_options(options)
    if kind == "tcp":
        if not parts.hostname:
            raise PrinterURIError("tcp:// needs a host, e.g. tcp://192.168.1.50:9100")
        return PrinterSpec(kind, parts.hostname, parts.port or 9100, options)
    if kind == "usb":
        ids = parts.netloc.split(":")
        if len(ids) != 2 or not all(_is_hex(i) for i in ids):
            raise PrinterURIError("usb:// needs VID:PID in hex, e.g. usb://04b8:0e15")
        return PrinterSpec(kind, parts.netloc.lower(), options=options)
    target = unquote(parts.netloc + parts.path) if kind == "cups" else unquote(parts.path)
    if not target:
        raise PrinterURIError(f"{kind}:// needs a {'queue' if kind == 'cups' else 'path'}")
    return PrinterSpec(kind, target, options=options)


def _check_options(options: dict[str, str]) -> None:
    """Refuse an option value that would otherwise fail only when a ticket is printed."""
    for key, accepted in OPTION_VALUES.items():
        if key in options and options[key] not in accepted:
            raise PrinterURIError(f"{key}={options[key]!r} is not one of: {', '.join(accepted)}")
    if "profile" in options:
        from escpos.capabilities import get_profile

        try:
            get_profile(options["profile"])
        except LookupError:
            raise PrinterURIError(
                f"profile={options['profile']!r} is not a python-escpos printer profile"
                " (e.g. TM-T20II, POS-5890, default)"
            ) from None
    if "baudrate" in options and not options["baudrate"].isdigit():
        raise PrinterURIError(f"baudrate={options['baudrate']!r} is not a number")


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return 0 < len(text) <= 4


class LpQueue(Escpos):
    """A CUPS queue through the ``lp`` command, for machines without pycups (needs libcups)."""

    def __init__(self, queue: str, timeout: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.queue = queue
        self.timeout = timeout
        self.buffer = bytearray()

    def _raw(self, msg: bytes) -> None:
        self.buffer.extend(msg)

    def send(self) -> None:
        """Hand the buffered job to CUPS (CupsPrinter has a send() of the same name)."""
        if not self.buffer:
            return
        data, self.buffer = bytes(self.buffer), bytearray()
        if shutil.which("lp") is None:
            raise OSError("the 'lp' command (CUPS client) is not installed")
        done = subprocess.run(
            ["lp", "-d", self.queue, "-o", "raw"],
            input=data,
            capture_output=True,
            timeout=self.timeout,
            check=False,
        )
        if done.returncode != 0:
            raise OSError(done.stderr.decode(errors="replace").strip() or "lp failed")


def open_device(spec: PrinterSpec, profile: str, timeout: float) -> Escpos:
    """An opened python-escpos printer for ``spec`` (raises OSError or escpos errors)."""
    from escpos import printer

    if spec.kind == "tcp":
        device = printer.Network(spec.target, spec.port, timeout=timeout, profile=profile)
    elif spec.kind == "usb":
        vendor, product = (int(part, 16) for part in spec.target.split(":"))
        # pyusb counts milliseconds; 0 would mean "wait for ever".
        device = printer.Usb(vendor, product, timeout=max(1, int(timeout * 1000)), profile=profile)
    elif spec.kind == "serial":
        baudrate = int(spec.options.get("baudrate", "9600"))
        device = printer.Serial(spec.target, baudrate=baudrate, timeout=timeout, profile=profile)
    elif spec.kind == "cups":
        if printer.CupsPrinter.is_usable():
            device = printer.CupsPrinter(spec.target, profile=profile)
        else:
            return LpQueue(spec.target, timeout, profile=profile)
    elif spec.kind == "file":
        device = printer.File(spec.target, profile=profile)
    else:
        raise PrinterURIError("no printer configured")
    device.open()
    if spec.kind == "tcp":
        # The status query after a small ticket would otherwise wait for the printer's delayed
        # ACK (Nagle): ~40 ms added to every tap.
        device.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return device
