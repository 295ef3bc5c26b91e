"""How a receiver checks an Antre webhook delivery, exactly as docs/webhooks.md says."""

from __future__ import annotations

import hashlib
import hmac
import time


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    timestamp = headers["X-Antre-Timestamp"]
    signed = timestamp.encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected, headers["X-Antre-Signature"])
