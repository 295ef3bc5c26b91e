"""Web Push (VAPID, RFC 8030/8291/8292): the alert reaches a locked phone through its browser's
push service, wherever the server can reach that service.

The payload is encrypted for the subscription with ``pywebpush`` (aes128gcm) and signed with the
server's VAPID key (py-vapid); the HTTP request itself goes through the outbox's ``post``, so a
push service that cannot be reached (an offline LAN) is retried with backoff, quietly. A push
service answering 404 or 410 says the subscription is gone: the message fails and the
subscription is switched off in the relay's settling transaction.

The VAPID key: ``ANTRE_VAPID_PRIVATE_KEY`` (PEM, or py-vapid's base64url DER/raw form) where set
(several hosts of a scale-out must share one), else generated once into
``<instance folder>/vapid_private_key.pem`` (readable by its owner only).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException
from sqlalchemy import update
from sqlalchemy.orm import Session

from shared.config import Config
from shared.models import AlertSubscription, OutboxMessage
from shared.outbox.delivery import Fail, post

FILE_NAME = "vapid_private_key.pem"
TTL_SECONDS = 4 * 3600  # a phone off for a while still hears of its call, not of yesterday's
GONE = (404, 410)  # the push service forgot the subscription (RFC 8030 §7.3)


class PushKeyError(RuntimeError):
    """The VAPID key cannot be read or kept."""


def _create_key_file(path: Path) -> None:
    # Written under a private name, then linked into place (as shared/secret_key.py does): several
    # processes starting at once all end up with the first one's key.
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@lru_cache(maxsize=4)
def _vapid(private_key: str, instance_path: str) -> Vapid:
    if private_key:
        text = private_key.strip().replace("\\n", "\n")
        try:
            if text.startswith("-----BEGIN"):
                return Vapid.from_pem(text.encode())
            return Vapid.from_string(text)
        except Exception as error:  # noqa: BLE001 - py-vapid raises several kinds
            raise PushKeyError(f"ANTRE_VAPID_PRIVATE_KEY cannot be read: {error}") from error
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    if not path.exists():
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        raise PushKeyError(f"{path} may be read by other users: chmod 600 {path}")
    return Vapid.from_pem(path.read_bytes())


def vapid(config: Config) -> Vapid:
    return _vapid(config.vapid_private_key, config.instance_path)


def public_key(config: Config) -> str:
    """The application server key a browser subscribes with (base64url, uncompressed point)."""
    raw = vapid(config).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def notification(message: OutboxMessage, text: str, config: Config) -> dict:
    """What the service worker shows (display/static/display/sw.js)."""
    payload = message.payload
    link = config.public_url.rstrip("/") + payload.get("link_path", "")
    return {
        "title": payload.get("ticket") or "Antre",
        "body": text,
        "tag": payload.get("link_path") or "antre",
        "event": payload.get("event"),
        "data": {"url": link},
    }


def vapid_headers(endpoint: str, config: Config) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims = {
        "sub": config.vapid_subject,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
    }
    return vapid(config).sign(claims)


def _switch_off(subscription_id: int | None, endpoint: str):
    def run(session: Session) -> None:
        if subscription_id is None:
            return
        session.execute(
            update(AlertSubscription)
            .where(
                AlertSubscription.id == subscription_id,
                AlertSubscription.push_endpoint == endpoint,  # not a newer subscription
            )
            .values(active=False)
        )

    return run


def send_push(message: OutboxMessage, text: str, config: Config) -> int:
    push = message.payload.get("push") or {}
    endpoint = push.get("endpoint")
    if not endpoint or not push.get("keys"):
        raise Fail("no push subscription in the message")
    body = json.dumps(notification(message, text, config), ensure_ascii=False).encode()
    try:
        encrypted = WebPusher({"endpoint": endpoint, "keys": push["keys"]}).encode(body)["body"]
    except (WebPushException, ValueError) as error:
        raise Fail(f"push subscription keys refused: {error}") from error
    headers = {
        **vapid_headers(endpoint, config),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "high",  # every alert is about a turn coming now: wake the phone
    }
    try:
        return post(endpoint, headers=headers, content=encrypted)
    except Fail as failed:
        if failed.status in GONE:
            subscription = message.ref_id if message.ref_type == "alert_subscription" else None
            raise Fail(
                str(failed), status=failed.status, settle=_switch_off(subscription, endpoint)
            ) from failed
        raise
