"""Alerts to citizens: opt-in per visit, texts per site, delivered through the outbox."""

from shared.alerts.subscriptions import (
    InvalidPhone,
    InvalidPushSubscription,
    mask_phone,
    normalise_phone,
    subscribe_alerts,
    unsubscribe_alerts,
)

__all__ = [
    "InvalidPhone",
    "InvalidPushSubscription",
    "mask_phone",
    "normalise_phone",
    "subscribe_alerts",
    "unsubscribe_alerts",
]
