"""Waking a relay from another thread or greenlet: a byte down a pipe.

A commit that wrote a message wakes the relay at once. The relay of the embedded server runs in
its own OS thread (see shared/web/outbox_relay.py) while commits happen in the web server's
gevent hub: a pipe is safe between them, where an Event of either world is not.
"""

from __future__ import annotations

import contextlib
import os
import select


class Waker:
    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def wake(self) -> None:
        # A full pipe means the relay has plenty of wake-ups waiting already.
        with contextlib.suppress(BlockingIOError):
            os.write(self._write, b"!")

    def wait(self, timeout: float) -> bool:
        """Block until woken or ``timeout`` seconds; whether it was woken. Drains the pipe."""
        ready, _, _ = select.select([self._read], [], [], timeout)
        if not ready:
            return False
        with contextlib.suppress(BlockingIOError):
            while os.read(self._read, 4096):
                pass
        return True


WAKER = Waker()
