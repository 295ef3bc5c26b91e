"""Real printers' stand-ins: a TCP server on 127.0.0.1 that records what python-escpos sends and
answers DLE EOT status queries like an ESC/POS printer, and a decoder for raster images."""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading

from PIL import Image, ImageOps

ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, PAPER_LOW, PAPER_OUT = 0x12, 0x1E, 0x72
STATUS = b"\x10\x04"  # DLE EOT n: a status query


class RecordingPrinter:
    """``mode``: "ok", "paper_low", "paper_out", "offline", or "silent" (accepts, never reads)."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytearray] = []
        self.connections: list[socket.socket] = []
        self.done = threading.Event()
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def data(self) -> bytes:
        return b"".join(bytes(job) for job in self.jobs)

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)
            if self.mode != "silent":
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _answer(self, query: int) -> bytes:
        if query == 1:
            return bytes([OFFLINE if self.mode == "offline" else ONLINE])
        if query == 4:
            paper = {"paper_low": PAPER_LOW, "paper_out": PAPER_OUT}.get(self.mode, PAPER_OK)
            return bytes([paper])
        return b"\x12"

    def _handle(self, conn: socket.socket) -> None:
        job = bytearray()
        self.jobs.append(job)
        pending = b""
        printing = False
        try:
            conn.settimeout(5)  # in the try: close() may already have closed it (test over)
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                job.extend(chunk)
                pending += chunk
                # Status queries come alone, before the ticket: answer them like a printer.
                while not printing and len(pending) >= 3 and pending[:2] == b"\x10\x04":
                    conn.sendall(self._answer(pending[2]))
                    pending = pending[3:]
                if pending:
                    printing = True
                # A query after the ticket (the sender's check that it was read) is answered too.
                if printing and pending.endswith(b"\x10\x04\x01"):
                    conn.sendall(self._answer(1))
                    pending = b""
        except OSError:
            pass
        finally:
            conn.close()
            self.done.set()

    def close(self) -> None:
        self._stop = True
        self.server.close()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.close()


class FlakyPrinter(RecordingPrinter):
    """A printer that answers the status queries before a ticket, then, per ``mode``:
    "drop": reads ``keep`` bytes of the ticket and resets the connection (power cut, cable out);
    "stall": reads ``keep`` bytes and never reads again (jammed head, full buffer);
    "ok": behaves like RecordingPrinter (prints the whole ticket)."""

    keep = 40

    def __init__(self, mode: str = "ok") -> None:
        self.stalled = threading.Event()  # set: the stalled connections may end
        super().__init__(mode)

    def _handle(self, conn: socket.socket) -> None:
        if self.mode == "ok":
            return super()._handle(conn)
        job = bytearray()
        self.jobs.append(job)
        try:
            conn.settimeout(5)
            while len(job) < 6:  # online? paper? (3 bytes each, as python-escpos sends them)
                chunk = conn.recv(6 - len(job))
                if not chunk:
                    return
                job.extend(chunk)
                if len(job) % 3 == 0 and job[-3:-1] == STATUS:
                    conn.sendall(self._answer(job[-1]))
            job.extend(conn.recv(self.keep))  # the start of the ticket, then the fault
            if self.mode == "drop":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()  # with linger 0: a reset, as when the printer loses power
            else:
                self.stalled.wait(30)  # holds the connection open without reading
        except OSError:
            pass
        finally:
            conn.close()
            self.done.set()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


# ESC/POS commands python-escpos sends around text, by their fixed length; GS ( k and GS v 0
# carry their own length.
_FIXED = re.compile(rb"\x1b@|\x1b[!EaJdtM\-]|\x1d[!]|\x1dV[\x00-\x01]|\x1dV[AB]")


def text_lines(data: bytes) -> list[str]:
    """The text lines a printer prints from ESC/POS bytes: commands and their arguments removed."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data.startswith(b"\x1d(k", i):
            i += 5 + data[i + 3] + 256 * data[i + 4]
        elif data.startswith(b"\x1dv0", i):
            width_bytes, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
            i += 8 + width_bytes * height
        elif (match := _FIXED.match(data, i)) is not None:
            i = match.end() + 1  # the command's one-byte argument
            if match.group() == b"\x1b@":
                i -= 1
        else:
            out.append(data[i])
            i += 1
    return out.decode("latin-1").split("\n")


def raster_images(data: bytes) -> list[Image.Image]:
    """Every ``GS v 0`` raster in ESC/POS bytes, drawn back as the printer would (black dots)."""
    images = []
    start = 0
    while (index := data.find(b"\x1dv0", start)) != -1:
        width_bytes = data[index + 4] + 256 * data[index + 5]
        height = data[index + 6] + 256 * data[index + 7]
        body = data[index + 8 : index + 8 + width_bytes * height]
        # In ESC/POS a 1 bit is a black dot; in Pillow's mode "1" it is white: invert.
        image = Image.frombytes("1", (width_bytes * 8, height), body)
        images.append(ImageOps.invert(image.convert("L")))
        start = index + 8 + len(body)
    return images


def paper(images: list[Image.Image]) -> Image.Image:
    """The rasters stacked as on the paper, with a white margin (a QR's quiet zone)."""
    width = max(i.width for i in images) + 40
    height = sum(i.height for i in images) + 40 * (len(images) + 1)
    sheet = Image.new("L", (width, height), 255)
    y = 40
    for image in images:
        sheet.paste(image, (20, y))
        y += image.height + 40
    return sheet
