"""Kiosk tap → the bytes at a network printer: latency, and the size of a ticket.

    python -m bench.print_latency [--url http://127.0.0.1:5000] --taps 200

A fake ESC/POS network printer listens on 127.0.0.1: it answers the DLE EOT status queries the
server sends first (and the "online?" it sends after the ticket, proof that it was read), reads
the ticket until the server closes the connection, noting when the ticket's last byte arrived
and how many bytes the ticket had. The mall admin points the demo kiosk at
it (admin pages: ``tcp://127.0.0.1:<port>?qr=native``, then ``?qr=raster``) and the script taps:
the time runs from just before POST /kiosk/api/tickets to the ticket's last byte at the printer.
Without --url the script starts its own ``run.py``; with --url the kiosk's printer is put back
afterwards. Each ticket's bytes must hold its number and its link (/t/<code>), and with a native
QR the link must be the QR's data.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field

from bench.admin import Admin, form_values
from bench.common import report, summary_ms
from bench.local_server import check_loopback, own_server
from bench.take_tickets import Kiosk

STATUS = b"\x10\x04"  # DLE EOT n: the printer answers one byte
ONLINE_PAPER_OK = b"\x12"
CONFIRM = STATUS + b"\x01"  # "online?" once more after the ticket
QR_STORE = b"\x1d(k"  # GS ( k pL pH cn=49 fn=80 m=48 data: store the QR's data
RASTER = b"\x1dv0"  # GS v 0: a raster image


@dataclass
class Job:
    data: bytearray = field(default_factory=bytearray)
    last_byte_at: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)


class FakePrinter:
    """One connection per ticket, as the server prints; jobs in the order they connect."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[Job] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            job = Job()
            with self.arrived:
                self.jobs.append(job)
                self.arrived.notify_all()
            threading.Thread(target=self._read, args=(conn, job), daemon=True).start()

    def _read(self, conn: socket.socket, job: Job) -> None:
        printing = False
        pending = b""
        conn.settimeout(10)
        with conn, suppress(OSError):
            while chunk := conn.recv(65536):
                arrived = time.perf_counter()
                if not printing:
                    pending += chunk
                    # Status queries come alone, before the ticket: answer them like a printer.
                    while len(pending) >= 3 and pending[:2] == STATUS:
                        conn.sendall(ONLINE_PAPER_OK)
                        pending = pending[3:]
                    printing, chunk = bool(pending), pending
                before = len(job.data)
                job.data.extend(chunk)
                # The sender's query after the ticket (proof that it was read) is answered too,
                # and is not part of the ticket.
                if printing and job.data.endswith(CONFIRM):
                    conn.sendall(ONLINE_PAPER_OK)
                    del job.data[-len(CONFIRM) :]
                if len(job.data) > before:
                    job.last_byte_at = arrived
        job.done.set()

    def job(self, index: int, seconds: float = 10) -> Job | None:
        deadline = time.monotonic() + seconds
        with self.arrived:
            while len(self.jobs) <= index:
                if not self.arrived.wait(max(0, deadline - time.monotonic())):
                    return None
        job = self.jobs[index]
        return job if job.done.wait(max(0.0, deadline - time.monotonic())) else None

    def close(self) -> None:
        self.server.close()


def qr_data(data: bytes) -> list[bytes]:
    """The data of every native QR (GS ( k, function 80) in the bytes."""
    found, start = [], 0
    while (index := data.find(QR_STORE, start)) != -1:
        size = data[index + 3] + 256 * data[index + 4]
        if data[index + 5 : index + 8] == b"1P0":
            found.append(bytes(data[index + 8 : index + 5 + size]))
        start = index + 5 + size
    return found


def tap_series(base: str, printer: FakePrinter, service_id: int, taps: int, qr: str) -> dict:
    kiosk = Kiosk(base)
    latencies, responses, sizes, problems = [], [], [], []
    for _ in range(taps):
        index = len(printer.jobs)
        began = time.perf_counter()
        answer = kiosk.take(service_id)
        responded = time.perf_counter()
        if answer.status_code != 201:
            problems.append(f"kiosk answered {answer.status_code}")
            continue
        body = answer.json()
        job = printer.job(index)
        if job is None or not body["print"]["ok"]:
            problems.append(f"{body['ticket']['number']}: not printed ({body['print']})")
            continue
        latencies.append(job.last_byte_at - began)
        responses.append(responded - began)
        data = bytes(job.data)
        sizes.append(len(data))
        number, url = body["ticket"]["number"], body["ticket"]["url"]
        if number.encode() not in data or url.encode() not in data:
            problems.append(f"{number}: the number or {url} is missing from the bytes")
        if qr == "native" and qr_data(data) != [url.encode()]:
            problems.append(f"{number}: the native QR does not hold {url}")
        if qr == "raster" and RASTER not in data:
            problems.append(f"{number}: no raster image for the QR")
    return {
        "taps": taps,
        "printed": len(sizes),
        "tap_to_last_byte": summary_ms(latencies),
        "tap_to_response": summary_ms(responses),
        "bytes_min": min(sizes, default=None),
        "bytes_max": max(sizes, default=None),
        "problems": problems[:20],
        "problem_count": len(problems),
    }


def measure(base: str, taps: int, modes: list[str]) -> dict:
    admin = Admin(base)
    kiosks = admin.rows("kiosks")
    kiosk_id = next((i for name, i in kiosks if "demo" in name.lower()), kiosks[0][1])
    path = f"/counter/admin/kiosks/{kiosk_id}"
    before = dict(form_values(admin.fetch(path)))
    listing = Kiosk(base).services()
    service = next(s for s in listing if s["open"] and s["quota_left"] is None)
    printer = FakePrinter()
    results = {}
    try:
        for qr in modes:
            admin.submit(path, {"printer_uri": f"tcp://127.0.0.1:{printer.port}?qr={qr}"})
            results[qr] = tap_series(base, printer, service["id"], taps, qr)
    finally:
        admin.submit(path, {"printer_uri": before.get("printer_uri", "")})
        printer.close()
    native = results.get("native", {})
    return {
        "benchmark": "kiosk tap to printer bytes",
        "url": base,
        "service": service["code"],
        **results,
        "ok": all(r["problem_count"] == 0 for r in results.values())
        and (not native or (native["bytes_max"] or 0) <= 1024),
        "targets": {"tap_to_last_byte_p95_ms": 100, "native_qr_bytes_max": 1024},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a server already running (else the script starts one)")
    parser.add_argument("--taps", type=int, default=200, help="per QR mode")
    parser.add_argument("--qr", action="append", choices=("native", "raster"))
    args = parser.parse_args()
    with ExitStack() as stack:
        base = args.url or stack.enter_context(own_server())
        check_loopback(base)
        result = measure(base, args.taps, args.qr or ["native", "raster"])
    report(result)
    if not result["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
