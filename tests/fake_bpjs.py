"""A fake BPJS Antrean RS over real HTTP, for the tests.

It checks every request's signature, encrypts every answer's ``response`` the way BPJS does
(AES-256-CBC, key SHA-256(cons_id + secret + timestamp), IV its first 16 bytes, over lz-string
``compressToEncodedURIComponent``, written apart in tests/lz_compress.py), and refuses what BPJS
refuses: an unknown booking, a task out of order or twice, times that do not increase, malformed
fields. ``outage`` answers 503 to the next N requests. ``accepted`` lists what it took, in order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.lz_compress import compress_to_encoded_uri_component

CONS_ID, SECRET, USER_KEY = "12345", "s3cr3tKey", "userkey-abc"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HOURS = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}$")


def encrypt(text: str, timestamp: str) -> str:
    key = hashlib.sha256(f"{CONS_ID}{SECRET}{timestamp}".encode()).digest()
    padder = padding.PKCS7(128).padder()
    data = padder.update(compress_to_encoded_uri_component(text).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


@dataclass
class FakeBpjs:
    url: str = ""
    outage: int = 0
    requests: list[tuple[str, dict]] = field(default_factory=list)
    accepted: list[tuple[str, dict]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    bookings: dict[str, dict] = field(default_factory=dict)
    tasks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    schedules: dict[str, list[dict]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    variant: str = "rs"  # "fktp": Antrean FKTP's add / panggil / batal, by card number
    fktp: dict[tuple, list[str]] = field(default_factory=dict)

    def task_ids(self, kodebooking: str) -> list[int]:
        return [task for task, _ in self.tasks.get(kodebooking, [])]

    def answer(self, path: str, headers: dict, body: dict | None) -> tuple[int, str, object]:
        """(code, message, response) for one signed request."""
        if path.startswith("/jadwaldokter/kodepoli/"):
            parts = path.strip("/").split("/")
            return 200, "Ok", self.schedules.get(f"{parts[2]}/{parts[4]}", [])
        if self.variant == "fktp":
            return self._fktp(path, body or {})
        handler = {
            "/antrean/add": self._add,
            "/antrean/updatewaktu": self._task,
            "/antrean/farmasi/add": self._farmasi,
            "/antrean/batal": self._batal,
        }.get(path)
        if handler is None:
            return 201, "Endpoint tidak ditemukan", None
        return handler(body or {})

    def _add(self, body: dict):
        required = ("kodebooking", "jenispasien", "kodepoli", "kodedokter", "jampraktek")
        if any(body.get(name) in (None, "") for name in required):
            return 201, "Data belum lengkap", None
        if body["jenispasien"] not in ("JKN", "NON JKN") or not DATE.match(body["tanggalperiksa"]):
            return 201, "Format tidak sesuai", None
        if not HOURS.match(body["jampraktek"]) or not isinstance(body["angkaantrean"], int):
            return 201, "Format tidak sesuai", None
        if not isinstance(body["estimasidilayani"], int) or body["estimasidilayani"] < 10**12:
            return 201, "Format estimasidilayani tidak sesuai (milidetik)", None
        if body["kodebooking"] in self.bookings:
            return 208, "Kode booking sudah terdaftar", None
        self.bookings[body["kodebooking"]] = body
        return 200, "Ok.", {"kodebooking": body["kodebooking"]}

    def _task(self, body: dict):
        code = body.get("kodebooking")
        if code not in self.bookings:
            return 201, "Kode booking tidak ditemukan", None
        task, waktu = body.get("taskid"), body.get("waktu")
        if task not in (1, 2, 3, 4, 5, 6, 7, 99) or not isinstance(waktu, int):
            return 201, "TaskId tidak valid", None
        done = self.tasks.setdefault(code, [])
        if any(t == task for t, _ in done):
            return 201, f"TaskId={task} sudah ada", None
        if 99 in [t for t, _ in done]:
            return 201, "Antrean sudah dibatalkan", None
        if done and task != 99 and task < done[-1][0]:
            return 201, f"TaskId={task} tidak boleh setelah TaskId={done[-1][0]}", None
        if done and waktu <= done[-1][1]:
            return 201, "Waktu tidak boleh kurang dari atau sama dengan TaskId sebelumnya", None
        done.append((task, waktu))
        return 200, "Ok.", None

    def _farmasi(self, body: dict):
        if body.get("kodebooking") not in self.bookings:
            return 201, "Kode booking tidak ditemukan", None
        if body.get("jenisresep") not in ("Racikan", "Non racikan"):
            return 201, "jenisresep tidak valid", None
        return 200, "Ok.", {"jenisresep": body["jenisresep"], "nomorantrean": body["nomorantrean"]}

    def _fktp(self, path: str, body: dict):
        """FKTP knows a visit by day, poli and card number (13 digits)."""
        if not re.match(r"^\d{13}$", str(body.get("nomorkartu", ""))):
            return 201, "Nomor kartu tidak valid", None
        if not body.get("kodepoli") or not DATE.match(str(body.get("tanggalperiksa", ""))):
            return 201, "Format tidak sesuai", None
        key = (body["tanggalperiksa"], body["kodepoli"], body["nomorkartu"])
        events = self.fktp.get(key)
        if path == "/antrean/add":
            if events is not None:
                return 201, "Peserta sudah terdaftar", None
            self.fktp[key] = ["add"]
            return 200, "Ok.", None
        if events is None:
            return 201, "Antrean tidak ditemukan", None
        if path == "/antrean/panggil":
            if body.get("status") not in (1, 2) or not isinstance(body.get("waktu"), int):
                return 201, "Status tidak valid", None
            events.append(f"panggil:{body['status']}")
            return 200, "Ok.", None
        if path == "/antrean/batal":
            events.append("batal")
            return 200, "Ok.", None
        return 201, "Endpoint tidak ditemukan", None

    def _batal(self, body: dict):
        if body.get("kodebooking") not in self.bookings:
            return 201, "Kode booking tidak ditemukan", None
        return 200, "Ok.", None


def _signed(headers: dict) -> bool:
    timestamp = headers.get("x-timestamp", "")
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{CONS_ID}&{timestamp}".encode(), hashlib.sha256).digest()
    ).decode()
    return (
        headers.get("x-cons-id") == CONS_ID
        and headers.get("user_key") == USER_KEY
        and timestamp.isdigit()
        and hmac.compare_digest(headers.get("x-signature", ""), expected)
    )


def _handler(fake: FakeBpjs):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = json.loads(raw) if raw else None
            path = self.path.split("?")[0].removeprefix("/antreanrs_dev")
            with fake.lock:
                fake.requests.append((path, body))
                if fake.outage > 0:
                    fake.outage -= 1
                    return self._send(503, b"Service Unavailable")
                if not _signed(headers):
                    code, message, response = 201, "Signature tidak valid", None
                else:
                    code, message, response = fake.answer(path, headers, body)
                if code == 200:
                    fake.accepted.append((path, body))
                else:
                    fake.refused.append((path, message))
            envelope = {"metadata": {"code": code, "message": message}}
            if response is not None:
                envelope["response"] = encrypt(json.dumps(response), headers.get("x-timestamp", ""))
            self._send(200, json.dumps(envelope).encode())

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_GET = _serve  # noqa: N815 - http.server's names

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def fake_bpjs(**fields) -> Iterator[FakeBpjs]:
    fake = FakeBpjs(**fields)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_port}/antreanrs_dev/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
