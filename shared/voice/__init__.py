"""Offline announcements: number words, call phrases, recorded clips, espeak-ng and a chime.

The display asks :func:`announcement_audio` for a call: recorded clips when the set is complete
and the call names no poli (Indonesian only; the installation's, each replaced by the site's own
recording where the site has one), else espeak-ng (which also says a poli's name); when neither
is possible the TV speaks with the browser's speechSynthesis.
"""

from __future__ import annotations

from shared.voice.chime import chime_wav
from shared.voice.clips import (
    ClipError,
    clip_name,
    clip_status,
    import_clip,
    missing_clips,
    stitch,
)
from shared.voice.espeak import SpeechUnavailable, espeak_path, synthesize
from shared.voice.phrases import REQUIRED_CLIPS, Call
from shared.voice.words import letter_words, number_words, spell_number


def server_voice(instance_path: str, site: str | None = None) -> str | None:
    """Which server source would speak Indonesian now: "clips", "espeak" or None."""
    if not missing_clips(instance_path, site):
        return "clips"
    return "espeak" if espeak_path() else None


def announcement_audio(
    instance_path: str, call: Call, lang: str = "id", site: str | None = None
) -> tuple[bytes, str]:
    """(WAV bytes, source) for a call; SpeechUnavailable when the server cannot speak it."""
    if lang == "id" and call.recordable and not missing_clips(instance_path, site):
        try:
            return stitch(instance_path, call.clips(), site), "clips"
        except ClipError:
            pass  # a clip of another format: espeak-ng still speaks
    return synthesize(instance_path, call.text(lang), lang), "espeak"


__all__ = [
    "REQUIRED_CLIPS",
    "Call",
    "ClipError",
    "SpeechUnavailable",
    "announcement_audio",
    "clip_name",
    "chime_wav",
    "clip_status",
    "espeak_path",
    "import_clip",
    "letter_words",
    "missing_clips",
    "number_words",
    "server_voice",
    "spell_number",
    "stitch",
    "synthesize",
]
