"""The service standard's completion time in minutes, read from the published standard."""

from __future__ import annotations

import re

from shared.models import Service

_MINUTES = re.compile(r"(\d+)\s*(menit|minutes?|min)\b", re.IGNORECASE)
_HOURS = re.compile(r"(\d+)\s*(jam|hours?)\b", re.IGNORECASE)


def standard_minutes(service: Service) -> int:
    """Minutes the standard allows at the counter.

    The standard's "waktu penyelesaian" is free text ("15 menit", "1 jam", "1 hari kerja"): a
    stated number of minutes or hours is used; a standard counted in days (the product is
    delivered later) falls back to the service's planned minutes per ticket.
    """
    text = service.duration or ""
    if match := _MINUTES.search(text):
        return int(match.group(1))
    if match := _HOURS.search(text):
        return int(match.group(1)) * 60
    return max(1, int(service.avg_service_minutes or 1))
