"""Speech made on the server by espeak-ng (Debian package), cached per phrase on disk."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

VOICES = {"id": "id", "en": "en"}
SPEED = 135  # words per minute: about 0.85-0.9 of espeak's default, easier in a noisy hall
MAX_CACHED = 2000  # phrases; the oldest are removed beyond this


class SpeechUnavailable(RuntimeError):
    """No server-side speech: the display falls back to the browser's own."""


def espeak_path() -> str | None:
    return shutil.which("espeak-ng") or (
        "/usr/bin/espeak-ng" if os.path.exists("/usr/bin/espeak-ng") else None
    )


def cache_dir(instance_path: str) -> Path:
    return Path(instance_path) / "voice" / "cache"


def synthesize(instance_path: str, text: str, lang: str = "id") -> bytes:
    """WAV bytes of ``text`` spoken in ``lang``; the same phrase is synthesised only once."""
    program = espeak_path()
    if program is None:
        raise SpeechUnavailable("espeak-ng is not installed")
    voice = VOICES.get(lang, "id")
    key = hashlib.sha256(f"{voice}|{SPEED}|{text}".encode()).hexdigest()[:32]
    folder = cache_dir(instance_path)
    cached = folder / f"{key}.wav"
    if cached.is_file():
        return cached.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name, then rename: two TVs asking at once never read half a file.
    fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(fd)
    try:
        subprocess.run(
            [program, "-v", voice, "-s", str(SPEED), "-w", temporary, "--", text],
            check=True,
            capture_output=True,
            timeout=20,
        )
        os.replace(temporary, cached)
    except (OSError, subprocess.SubprocessError) as error:
        Path(temporary).unlink(missing_ok=True)
        raise SpeechUnavailable(f"espeak-ng failed: {error}") from error
    _prune(folder)
    return cached.read_bytes()


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.wav"), key=lambda p: p.stat().st_mtime)
    for old in files[:-MAX_CACHED]:
        old.unlink(missing_ok=True)
