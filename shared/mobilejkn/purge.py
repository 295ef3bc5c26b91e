"""Erase what Mobile JKN told us about patients once its retention has passed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import JknBooking, JknPatient, Site


def purge_jkn_data(session: Session, *, now: datetime | None = None) -> int:
    """Card numbers, NIKs and record numbers past ``erase_after`` (each site's own date)."""
    now = now or timeutil.now_utc()
    count = 0
    for site in session.execute(select(Site)).scalars().all():
        today = timeutil.business_date(now, site.timezone)
        count += session.execute(
            update(JknBooking)
            .where(JknBooking.site_id == site.id, JknBooking.erase_after < today)
            .where(JknBooking.card_number.is_not(None) | JknBooking.nik.is_not(None))
            .values(card_number=None, nik=None, medical_record=None, phone=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        count += session.execute(
            delete(JknPatient)
            .where(JknPatient.site_id == site.id, JknPatient.erase_after < today)
            .execution_options(synchronize_session=False)
        ).rowcount
    session.flush()
    return count
