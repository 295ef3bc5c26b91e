"""The site's clock as pages get it: the zone's offset from UTC."""

from datetime import UTC, datetime

from shared import timeutil


def test_utc_offset_minutes_of_the_three_indonesian_zones():
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    offsets = [
        timeutil.utc_offset_minutes(tz, moment)
        for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
    ]
    assert offsets == [420, 480, 540]
