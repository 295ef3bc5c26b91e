"""Asking for alerts: a phone for WhatsApp or SMS, or this phone's push subscription.

Phones are read the way Indonesians write them ("0812-3456-7890", "+62 812…", "62812…") with
Google's libphonenumber (``phonenumbers``) and kept in E.164 ("+6281234567890").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import AlertSubscription, Ticket
from shared.models.alerts import CHANNELS
from shared.queue import errors
from shared.queue.sites import get_site

KEEP_DAYS = 1  # the visit's day and the next: long enough for a late call, no longer


class InvalidPhone(errors.DomainError):
    status = 422
    code = "invalid_phone"
    message = errors.N_("Enter a mobile number like 0812 3456 7890.")


class InvalidPushSubscription(errors.DomainError):
    status = 422
    code = "invalid_push_subscription"
    message = errors.N_("This browser's push subscription cannot be used.")


class UnknownChannel(errors.DomainError):
    status = 422
    code = "unknown_channel"
    message = errors.N_("Choose WhatsApp, SMS or push.")


def normalise_phone(raw: str | None) -> str:
    """A mobile number in E.164, or InvalidPhone."""
    try:
        number = phonenumbers.parse((raw or "").strip(), "ID")
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone() from error
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in kinds:
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str | None) -> str:
    """ "+62 ••• •••• 7890": enough for a citizen to recognise their own number, no more."""
    if not phone:
        return ""
    return f"{phone[:3]} ••• •••• {phone[-4:]}"


def _push_fields(push: dict | None) -> tuple[str, dict]:
    if not isinstance(push, dict):
        raise InvalidPushSubscription()
    endpoint = push.get("endpoint")
    keys = push.get("keys")
    if (
        not isinstance(endpoint, str)
        or len(endpoint) > 1000
        or urlsplit(endpoint).scheme != "https"
        or not isinstance(keys, dict)
        or not all(
            isinstance(keys.get(k), str) and 0 < len(keys[k]) <= 200 for k in ("p256dh", "auth")
        )
    ):
        raise InvalidPushSubscription()
    return endpoint, {"p256dh": keys["p256dh"], "auth": keys["auth"]}


def subscribe_alerts(
    session: Session,
    ticket: Ticket,
    channel: str,
    *,
    phone: str | None = None,
    push: dict | None = None,
    language: str = "id",
    now: datetime | None = None,
) -> AlertSubscription:
    """Alerts for the ticket's visit on ``channel`` (asking again replaces the number)."""
    now = now or timeutil.now_utc()
    if channel not in CHANNELS:
        raise UnknownChannel()
    site = get_site(session, ticket.service.site_id)
    if channel == "push":
        endpoint, keys = _push_fields(push)
        fields = {"phone": None, "push_endpoint": endpoint, "push_keys": keys}
    else:
        fields = {"phone": normalise_phone(phone), "push_endpoint": None, "push_keys": None}
    found = session.execute(
        select(AlertSubscription).where(
            AlertSubscription.visit_id == ticket.visit_id, AlertSubscription.channel == channel
        )
    ).scalar_one_or_none()
    subscription = found or AlertSubscription(
        visit_id=ticket.visit_id, site_id=site.id, channel=channel, created_at=now
    )
    for name, value in fields.items():
        setattr(subscription, name, value)
    subscription.language = "en" if language == "en" else "id"
    subscription.active = True
    subscription.erase_after = ticket.business_date + timedelta(days=KEEP_DAYS)
    session.add(subscription)
    session.flush()
    return subscription


def unsubscribe_alerts(session: Session, ticket: Ticket, channel: str) -> None:
    """Stop and forget: the number or push subscription is erased at once."""
    found = session.execute(
        select(AlertSubscription).where(
            AlertSubscription.visit_id == ticket.visit_id, AlertSubscription.channel == channel
        )
    ).scalar_one_or_none()
    if found is not None:
        session.delete(found)
        session.flush()
