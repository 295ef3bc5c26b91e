"""Web Push alerts against a fake push service: a valid Web Push request (VAPID-signed,
aes128gcm-encrypted for the subscription), a gone subscription switched off, an unreachable
service retried quietly."""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlalchemy import select

from shared import queue
from shared.alerts import subscribe_alerts
from shared.alerts.push import FILE_NAME, public_key
from shared.alerts.sending import HANDLER
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import AlertSubscription, OutboxMessage
from shared.outbox.relay import Relay
from tests.fake_receiver import fake_receiver

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What a browser keeps for its push subscription: an ECDH key pair and an auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.keys = {"p256dh": _b64(point), "auth": _b64(self.auth)}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


def _config(tmp_path) -> Config:
    return Config(instance_path=str(tmp_path / "instance"), public_url="https://antre.example")


def _relay(db_url, config) -> Relay:
    return Relay(make_session_factory(make_engine(db_url)), config, handlers={"alert": HANDLER})


def _called_with_push(session, factory, endpoint: str, browser: Browser):
    """A subscribed ticket (with a real https endpoint), pointed at ``endpoint``, then called."""
    service = factory.service()
    counter = factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    push = {"endpoint": "https://push.example/sub/1", "keys": browser.keys}
    subscription = subscribe_alerts(session, ticket, "push", push=push, now=NOW)
    subscription.push_endpoint = endpoint  # the fake push service speaks plain HTTP
    session.commit()
    queue.call_next(session, counter, now=NOW)
    session.commit()
    return ticket, counter, subscription.id


def _verify_vapid(authorization: str, audience: str, config: Config) -> dict:
    """RFC 8292: "vapid t=<JWT ES256>, k=<the server's public key>"; returns the claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key(config)
    header, claims, signature = fields["t"].split(".")
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(fields["k"]))
    raw = _unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    try:
        key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise AssertionError("the VAPID JWT is not signed by the server's key") from error
    assert json.loads(_unb64(header))["alg"] == "ES256"
    decoded = json.loads(_unb64(claims))
    assert decoded["aud"] == audience and decoded["sub"] == "mailto:admin@localhost"
    return decoded


def _messages(session) -> list[OutboxMessage]:
    session.expire_all()
    rows = list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
    session.commit()
    return rows


def test_the_call_is_a_valid_web_push(session, factory, db_url, tmp_path):
    config = _config(tmp_path)
    browser = Browser()
    with fake_receiver(statuses=[201, 201]) as service:
        ticket, counter, _ = _called_with_push(session, factory, service.url + "/wp/1", browser)
        relay = _relay(db_url, config)
        while relay.run_once(NOW):  # "0 lagi" as the queue moved, then the call
            pass
        request = service.requests[-1]
    assert request.path == "/wp/1"
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert int(request.headers["TTL"]) > 0 and request.headers["Urgency"] == "high"
    _verify_vapid(request.headers["Authorization"], service.url, config)
    shown = browser.decrypt(request.body)
    assert shown["title"] == ticket.display_number
    assert shown["body"].startswith(f"Giliran Anda! Nomor {ticket.display_number}")
    assert counter.name in shown["body"]
    assert shown["data"] == {"url": f"https://antre.example/t/{ticket.code}"}
    assert shown["body"].endswith(shown["data"]["url"])
    assert shown["tag"] == f"/t/{ticket.code}"
    assert all(m.delivered_at == NOW and m.last_status == 201 for m in _messages(session))
    # The key was made once, for its owner only, and is the one the browser subscribes with.
    key_file = tmp_path / "instance" / FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert public_key(_config(tmp_path)) == public_key(config)


def test_a_gone_subscription_fails_and_is_switched_off(session, factory, db_url, tmp_path):
    config = _config(tmp_path)
    with fake_receiver(statuses=[410]) as service:
        _, _, subscription_id = _called_with_push(
            session, factory, service.url + "/wp/2", Browser()
        )
        _relay(db_url, config).run_once(NOW)
        assert len(service.requests) == 1
    message = _messages(session)[0]
    assert message.failed_at == NOW and message.last_status == 410
    assert session.get(AlertSubscription, subscription_id).active is False
    session.commit()


def test_an_unreachable_push_service_is_retried_quietly(session, factory, db_url, tmp_path):
    config = _config(tmp_path)
    with fake_receiver() as closed:
        endpoint = closed.url + "/wp/3"
    _, _, subscription_id = _called_with_push(session, factory, endpoint, Browser())
    relay = _relay(db_url, config)
    relay.run_once(NOW)
    message = _messages(session)[0]
    assert message.delivered_at is None and message.failed_at is None
    assert message.attempts == 1 and message.not_before > NOW
    assert session.get(AlertSubscription, subscription_id).active is True
    session.commit()
    assert relay.run_once(NOW + timedelta(seconds=1)) == 0  # backing off (and in order: the
    # call waits behind the first alert of this subscription)


def test_a_key_from_the_environment_is_used(tmp_path):
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    config = Config.from_env(
        {"ANTRE_VAPID_PRIVATE_KEY": pem, "ANTRE_INSTANCE_PATH": str(tmp_path / "i")}
    )
    assert len(_unb64(public_key(config))) == 65
    assert not (tmp_path / "i" / FILE_NAME).exists()
