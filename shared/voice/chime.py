"""A two-note chime made here with the ``wave`` module: no downloaded sound files."""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import lru_cache

RATE = 22050


def _note(freq: float, seconds: float, volume: float = 0.45) -> list[float]:
    count = int(RATE * seconds)
    samples = []
    for i in range(count):
        t = i / RATE
        decay = math.exp(-3.2 * t / seconds)
        attack = min(1.0, i / (RATE * 0.01))  # 10 ms fade-in: no click
        tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 2 * freq * t)
        samples.append(volume * attack * decay * tone / 1.3)
    return samples


@lru_cache(maxsize=1)
def chime_wav() -> bytes:
    """ "Ding-dong" (E5 then C5), 1.4 s, 22.05 kHz mono 16-bit."""
    samples = _note(659.25, 0.6) + _note(523.25, 0.8)
    frames = b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(frames)
    return out.getvalue()
