"""The key that signs staff sessions: refused when weak, generated once when none is set.

Outside demo mode an IT officer need not invent one: without ``ANTRE_SECRET_KEY`` the first start
writes a random key to ``<instance folder>/secret_key`` (readable by its owner only) and every
later start, and every app started on this host with the same instance folder, reads it back.
Several hosts (scale-out) must share one key: set ``ANTRE_SECRET_KEY`` there.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
from collections import Counter
from pathlib import Path

MIN_LENGTH = 32
MIN_DISTINCT = 8
MIN_BITS = 80  # of Shannon entropy over the key's characters (token_hex(16): 90 and more)
FILE_NAME = "secret_key"
DEMO_SECRET_KEY = "antre-demo-secret-key-change-me"  # noqa: S105 - refused outside demo mode


class WeakSecretKey(ValueError):
    """A secret key that would let anyone forge a staff session."""


def _entropy_bits(key: str) -> float:
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def _repeats_a_pattern(key: str) -> bool:
    # "abcdabcdabcd…": a short pattern over and over is as guessable as the pattern.
    return (key + key).find(key, 1) < len(key)


def weakness(key: str) -> str | None:
    """Why ``key`` may not sign sessions outside demo mode, or None."""
    if key == DEMO_SECRET_KEY or DEMO_SECRET_KEY in key:
        return "it is the public demo key"
    if len(key) < MIN_LENGTH:
        return f"it is shorter than {MIN_LENGTH} characters"
    if len(set(key)) < MIN_DISTINCT or _repeats_a_pattern(key) or _entropy_bits(key) < MIN_BITS:
        return "it is not random enough (repeated characters or a pattern)"
    return None


def load_or_create(instance_path: str) -> str:
    """The key kept in the instance folder, created (mode 0600) on first use."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    if not path.exists():
        _create(path)
    if path.stat().st_mode & 0o077:
        raise WeakSecretKey(f"{path} may be read by other users: chmod 600 {path}")
    key = path.read_text(encoding="ascii").strip()
    reason = weakness(key)
    if reason:
        raise WeakSecretKey(f"the key in {path} is refused: {reason}")
    return key


def _create(path: Path) -> None:
    # Written under a private name, then linked into place: several processes starting at once
    # on one host all end up with the first one's key, never with a half-written file.
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
