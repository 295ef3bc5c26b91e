"""What a report page says about how fresh its figures are (the roll-ups lag the queue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from counter.reports_tables import indo_date
from shared import timeutil
from shared.reports import read_freshness

# The job refreshes every minute; this long behind, it has stopped (or a rebuild runs).
STALLED = timedelta(minutes=10)


@dataclass
class Note:
    lines: list[str]  # one or two sentences for the page's head
    current: bool  # the roll-ups hold everything logged so far


def freshness_note(session: Session, tz: str, locale: str) -> Note:
    """How fresh the figures are, in the site's own clock."""
    fresh = read_freshness(session)
    return Note(_lines(fresh, tz, locale), fresh.refreshed_at is not None and not fresh.behind)


def _lines(fresh, tz: str, locale: str) -> list[str]:
    if fresh.refreshed_at is None:
        return [
            _(
                "The report figures are being prepared for the first time and appear within a "
                "few minutes (after an upgrade, an administrator can run “antre reports "
                "rebuild”)."
            )
        ]
    now = timeutil.now_utc()
    at = timeutil.local(fresh.refreshed_at, tz)
    zone = timeutil.zone_abbreviation(tz)
    clock = at.strftime("%H.%M" if locale.startswith("id") else "%H:%M")
    if at.date() == timeutil.business_date(now, tz):
        lines = [_("Data up to %(time)s %(zone)s", time=clock, zone=zone)]
    else:
        day = indo_date(at.date(), locale)
        lines = [_("Data up to %(date)s, %(time)s %(zone)s", date=day, time=clock, zone=zone)]
    if fresh.behind and now - fresh.refreshed_at > STALLED:
        lines.append(
            _(
                "The figures have not been refreshed for a while: newer activity is missing. "
                "Ask the administrator to check the reports job (“antre reports work”)."
            )
        )
    elif fresh.behind:
        lines.append(_("Newer activity is added at the next refresh, within about a minute."))
    return lines
