"""A call to a consulting room names the poli and the room; every other call is as before."""

from __future__ import annotations

import pytest

from shared import voice
from shared.voice import Call
from tests.shared.test_voice_audio import record_all


def test_a_room_call_says_the_poli_and_the_room():
    call = Call.parse("D", 12, 3, "Poli Anak")
    assert call.text_id() == "Nomor antrean, de, dua belas, silakan ke Poli Anak, ruang tiga."
    assert call.text_en() == "Ticket number D, 12, please go to Poli Anak, room 3."
    assert not call.recordable


def test_a_counter_call_is_unchanged():
    call = Call.parse("A", 123, 5)
    assert call.poli is None and call.recordable
    assert call.text_id() == "Nomor antrean, a, seratus dua puluh tiga, silakan menuju loket lima."
    assert call.text_en() == "Ticket number A, 123, please go to counter 5."
    assert Call.parse("A", 123, 5, "   ") == call  # a blank name is no poli


def test_a_poli_name_is_bounded():
    with pytest.raises(ValueError):
        Call.parse("D", 1, 1, "x" * 81)


def test_recorded_clips_cannot_say_a_poli_so_the_speech_engine_does(tmp_path, monkeypatch):
    instance = str(tmp_path)
    record_all(instance, 0.1)
    spoken = []
    monkeypatch.setattr(
        voice, "synthesize", lambda _path, text, lang="id": spoken.append(text) or b"RIFF"
    )
    assert voice.announcement_audio(instance, Call.parse("A", 7, 5))[1] == "clips"
    data, source = voice.announcement_audio(instance, Call.parse("D", 12, 3, "Poli Anak"))
    assert source == "espeak" and data == b"RIFF"
    assert spoken == ["Nomor antrean, de, dua belas, silakan ke Poli Anak, ruang tiga."]
