"""Recorded clips are the installation's, and a site may record its own words: those replace the
installation's at that site only (a hospital saying its own "silakan menuju")."""

from __future__ import annotations

from shared import voice
from shared.voice import Call
from tests.shared.test_voice_audio import frames, record_all, tone


def test_a_site_recording_replaces_the_installations_at_that_site_only(tmp_path):
    instance = str(tmp_path)
    record_all(instance, 0.2)
    voice.import_clip(instance, "lima", tone(0.5), site="rsud-sts")

    installation = voice.clips.clip_path(instance, "lima")
    own = voice.clips.clip_path(instance, "lima", "rsud-sts")
    assert own != installation and own.parent.parent.name == "rsud-sts"
    # Other words of the site still come from the installation.
    assert voice.clips.clip_path(instance, "satu", "rsud-sts") == voice.clips.clip_path(
        instance, "satu"
    )
    assert voice.clips.clip_path(instance, "lima", "mpp-tebo") == installation

    call = Call.parse("A", 5, 5)  # "lima" twice: the number and the counter
    _, rate, at_site = frames(voice.announcement_audio(instance, call, site="rsud-sts")[0])
    _, _, elsewhere = frames(voice.announcement_audio(instance, call, site="mpp-tebo")[0])
    assert at_site - elsewhere == 2 * (int(rate * 0.5) - int(rate * 0.2))


def test_a_site_without_the_installations_set_counts_its_own_words(tmp_path):
    instance = str(tmp_path)
    for name in voice.REQUIRED_CLIPS:
        voice.import_clip(instance, name, tone(), site="pkm-muaro-tebo")
    assert voice.missing_clips(instance) == list(voice.REQUIRED_CLIPS)
    assert voice.missing_clips(instance, "pkm-muaro-tebo") == []
    assert voice.server_voice(instance, "pkm-muaro-tebo") == "clips"
    status = {c.name: c.present for c in voice.clip_status(instance, "pkm-muaro-tebo")}
    assert all(status.values())
