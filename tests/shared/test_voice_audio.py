"""Recorded clips (import, status, stitching), espeak-ng synthesis with its cache, the chime."""

from __future__ import annotations

import io
import wave

import pytest

from shared import voice
from shared.voice import Call, clips, espeak


def tone(seconds: float = 0.2, rate: int = 22050, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x10\x00" * int(rate * seconds) * channels)
    return out.getvalue()


def frames(data: bytes) -> tuple[int, int, int]:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnchannels(), w.getframerate(), w.getnframes()


def record_all(instance: str, seconds: float = 0.2) -> None:
    for name in voice.REQUIRED_CLIPS:
        voice.import_clip(instance, name, tone(seconds))


def test_call_phrase():
    call = Call.parse("a", "123", "5")
    assert call.text_id() == "Nomor antrean, a, seratus dua puluh tiga, silakan menuju loket lima."
    assert call.clips() == [
        "nomor_antrean", "a", "seratus", "dua", "puluh", "tiga", "silakan_menuju_loket", "lima",
    ]  # fmt: skip
    assert Call.parse("BK", 7, 12).clips()[1:4] == ["be", "ka", "tujuh"]
    for bad in (("", 1, 1), ("ABCD", 1, 1), ("A", 10000, 1), ("A", 1, -1), ("1", 1, 1)):
        with pytest.raises(ValueError):
            Call.parse(*bad)


def test_clip_status_and_missing(tmp_path):
    instance = str(tmp_path)
    assert voice.missing_clips(instance) == list(voice.REQUIRED_CLIPS)
    voice.import_clip(instance, "satu", tone())
    status = {c.name: c for c in voice.clip_status(instance)}
    assert status["satu"].present and status["satu"].seconds == pytest.approx(0.2, abs=0.01)
    assert not status["dua"].present
    assert "satu" not in voice.missing_clips(instance)


def test_a_clip_recorded_under_its_earlier_name_is_still_used(tmp_path):
    """ "nomor_antrian.wav", recorded before the spelling "antrean": the set is complete."""
    instance = str(tmp_path)
    for name in voice.REQUIRED_CLIPS:
        if name != "nomor_antrean":
            voice.import_clip(instance, name, tone())
    (tmp_path / "voice" / "clips" / "nomor_antrian.wav").write_bytes(tone(0.5))
    assert voice.missing_clips(instance) == []
    status = {c.name: c for c in voice.clip_status(instance)}
    assert status["nomor_antrean"].seconds == pytest.approx(0.5, abs=0.01)
    spoken = voice.stitch(instance, Call.parse("A", 1, 1).clips())
    assert frames(spoken)[2] > frames(tone(0.5))[2]
    # Importing under the old name stores the new one, which then wins.
    assert voice.import_clip(instance, "nomor_antrian", tone(0.3)).name == "nomor_antrean"
    status = {c.name: c for c in voice.clip_status(instance)}
    assert status["nomor_antrean"].seconds == pytest.approx(0.3, abs=0.01)


def test_import_refuses_bad_clips(tmp_path):
    with pytest.raises(voice.ClipError):
        voice.import_clip(str(tmp_path), "satu", b"RIFF not really a wav")
    with pytest.raises(voice.ClipError):
        voice.import_clip(str(tmp_path), "../evil", tone())
    with pytest.raises(voice.ClipError):
        voice.import_clip(str(tmp_path), "satu", tone(seconds=11))


@pytest.mark.skipif(clips.shutil.which("sox") is None, reason="sox (Debian package) missing")
def test_import_normalises_with_sox(tmp_path):
    voice.import_clip(str(tmp_path), "dua", tone(0.5, rate=44100, channels=2))
    stored = (clips.clips_dir(str(tmp_path)) / "dua.wav").read_bytes()
    channels, rate, count = frames(stored)
    assert (channels, rate) == (1, 22050)
    assert count == pytest.approx(11025, abs=50)


def test_stitching_joins_clips_with_pauses(tmp_path):
    instance = str(tmp_path)
    record_all(instance, 0.2)
    call = Call.parse("A", 123, 5)
    data, source = voice.announcement_audio(instance, call)
    assert source == "clips"
    _, rate, count = frames(data)
    words = len(call.clips())
    assert count == int(rate * 0.2) * words + int(rate * clips.GAP_SECONDS) * (words - 1)
    assert voice.server_voice(instance) == "clips"


def test_stitch_of_missing_clip_fails(tmp_path):
    with pytest.raises(voice.ClipError):
        voice.stitch(str(tmp_path), ["satu"])


@pytest.mark.skipif(espeak.espeak_path() is None, reason="espeak-ng (Debian package) missing")
def test_espeak_speaks_and_caches(tmp_path):
    instance = str(tmp_path)
    call = Call.parse("A", 123, 5)
    data, source = voice.announcement_audio(instance, call)  # no clips: espeak-ng
    assert source == "espeak"
    channels, rate, count = frames(data)
    assert count / rate > 2.0  # a whole sentence, not an empty file
    cached = list(espeak.cache_dir(instance).glob("*.wav"))
    assert len(cached) == 1
    again, _ = voice.announcement_audio(instance, call)
    assert again == data and len(list(espeak.cache_dir(instance).glob("*.wav"))) == 1
    english, _ = voice.announcement_audio(instance, call, "en")
    assert english != data


def test_without_espeak_nothing_on_the_server(tmp_path, monkeypatch):
    monkeypatch.setattr(espeak, "espeak_path", lambda: None)
    monkeypatch.setattr(voice, "espeak_path", lambda: None)
    assert voice.server_voice(str(tmp_path)) is None
    with pytest.raises(voice.SpeechUnavailable):
        voice.announcement_audio(str(tmp_path), Call.parse("A", 1, 1))


def test_chime_is_a_short_wav():
    channels, rate, count = frames(voice.chime_wav())
    assert channels == 1 and 1.0 < count / rate < 2.0
