"""The mall's own recordings: one WAV per word, checked on import and stitched into a call."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from shared.queue.errors import N_
from shared.voice.phrases import RENAMED_CLIPS, REQUIRED_CLIPS

RATE, CHANNELS, WIDTH = 22050, 1, 2  # what sox turns every import into, when it is installed
GAP_SECONDS = 0.12
MAX_CLIP_SECONDS = 10


class ClipError(ValueError):
    """A clip that cannot be used (not a WAV, unknown name, wrong format).

    ``message`` is an English message id for the admin's language (with ``params``); ``detail``
    holds the technical words (a library's error), shown behind the message, never as it.
    """

    def __init__(self, message: str, detail: str = "", **params) -> None:
        self.message, self.detail, self.params = message, detail, params
        super().__init__(
            (message % params if params else message) + (f": {detail}" if detail else "")
        )


@dataclass
class ClipStatus:
    name: str
    present: bool
    seconds: float | None


def clips_dir(instance_path: str, site: str | None = None) -> Path:
    """The installation's clips, or a site's own recordings (which win over the installation's
    for that site's TVs). ``site`` is a slug already checked against shared.queue.sites.SLUG."""
    base = Path(instance_path) / "voice"
    return base / "sites" / site / "clips" if site else base / "clips"


def clip_name(name: str) -> str:
    """A clip's current name (an earlier name, e.g. "nomor_antrian", gives its new one)."""
    return RENAMED_CLIPS.get(name, name)


def _stored_path(instance_path: str, name: str, site: str | None = None) -> Path:
    name = clip_name(name)
    if name not in REQUIRED_CLIPS:
        raise ClipError(N_("Unknown clip %(name)s."), name=name)
    return clips_dir(instance_path, site) / f"{name}.wav"


def _recorded(instance_path: str, name: str, site: str | None) -> Path:
    """One folder's recording of the clip: its file, or one kept under an earlier name."""
    path = _stored_path(instance_path, name, site)
    if not path.is_file():
        for old, new in RENAMED_CLIPS.items():
            earlier = clips_dir(instance_path, site) / f"{old}.wav"
            if new == path.stem and earlier.is_file():
                return earlier
    return path


def clip_path(instance_path: str, name: str, site: str | None = None) -> Path:
    """Where the clip is read from: the site's own recording if it has one, else the
    installation's."""
    if site:
        own = _recorded(instance_path, name, site)
        if own.is_file():
            return own
    return _recorded(instance_path, name, None)


def _duration(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getcomptype() != "NONE":
                raise ClipError(N_("Only uncompressed (PCM) WAV files."))
            return wav.getnframes() / float(wav.getframerate())
    except (wave.Error, EOFError) as error:
        raise ClipError(
            N_("This is not a WAV file."), str(error) or type(error).__name__
        ) from error


def clip_status(instance_path: str, site: str | None = None) -> list[ClipStatus]:
    rows = []
    for name in REQUIRED_CLIPS:
        path = clip_path(instance_path, name, site)
        seconds = _duration(path.read_bytes()) if path.is_file() else None
        rows.append(ClipStatus(name, path.is_file(), seconds))
    return rows


def missing_clips(instance_path: str, site: str | None = None) -> list[str]:
    return [name for name in REQUIRED_CLIPS if not clip_path(instance_path, name, site).is_file()]


def _normalise(data: bytes) -> bytes:
    """Same rate, channels and width for every clip, so that they can be joined."""
    sox = shutil.which("sox")
    if sox is None:
        return data
    with tempfile.TemporaryDirectory() as tmp:
        source, target = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        Path(source).write_bytes(data)
        command = [sox, source, "-r", str(RATE), "-c", str(CHANNELS), "-b", str(8 * WIDTH), target]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=30)
        except subprocess.SubprocessError as error:
            raise ClipError(N_("The clip could not be converted."), str(error)) from error
        return Path(target).read_bytes()


def import_clip(instance_path: str, name: str, data: bytes, site: str | None = None) -> ClipStatus:
    """Check and store one recorded word (replacing an older recording of it), for the whole
    installation or (``site``) as that site's own."""
    path = _stored_path(instance_path, name, site)
    seconds = _duration(data)
    if seconds > MAX_CLIP_SECONDS:
        raise ClipError(N_("A clip lasts at most %(n)s seconds."), n=MAX_CLIP_SECONDS)
    data = _normalise(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return ClipStatus(path.stem, True, _duration(data))


def stitch(instance_path: str, names: list[str], site: str | None = None) -> bytes:
    """One WAV of the named clips with a short pause between words; ClipError if one is missing."""
    params = None
    chunks: list[bytes] = []
    for name in names:
        path = clip_path(instance_path, name, site)
        if not path.is_file():
            raise ClipError(N_("The clip %(name)s is not recorded."), name=name)
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if params is None:
                params = shape
            elif shape != params:
                raise ClipError(
                    N_("The clip %(name)s has another format: install sox and import it again."),
                    name=name,
                )
            chunks.append(wav.readframes(wav.getnframes()))
    if params is None:
        raise ClipError(N_("Nothing to say."))
    channels, width, rate = params
    silence = b"\0" * (int(rate * GAP_SECONDS) * channels * width)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(silence.join(chunks))
    return out.getvalue()
