"""Calling BPJS: the signed headers, the envelope, and the encrypted ``response``.

Signature: x-signature = base64(HMAC-SHA256(key=secret, cons_id + "&" + timestamp)), timestamp
in UTC epoch seconds. An answer's ``response`` (a string) is AES-256-CBC with key =
SHA-256(cons_id + secret + timestamp) of the request's timestamp, IV = the key's first 16 bytes,
PKCS#7 padding, then LZ-string ``decompressFromEncodedURIComponent``, then JSON.
Network errors and 5xx/408/429 raise Retry; any refusal raises Fail with BPJS's own message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

import httpx
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from shared.bpjs.lzstring import CorruptData, decompress_from_encoded_uri_component
from shared.outbox.delivery import TIMEOUT, Fail, Retry

OK = 200
# BPJS's messages may quote a card number or NIK; errors are logged and shown, so long digit runs
# are masked before they leave this module.
LONG_NUMBER = re.compile(r"\d{10,}")


def scrub(text: str) -> str:
    return LONG_NUMBER.sub("[nomor]", text)


@dataclass(frozen=True)
class Credentials:
    cons_id: str
    secret: str
    user_key: str
    base_url: str


@dataclass(frozen=True)
class Answer:
    code: int
    message: str
    response: object  # decrypted and parsed (or as sent, when not encrypted)
    status: int


def signature(cons_id: str, secret: str, timestamp: str) -> str:
    signed = hmac.new(secret.encode(), f"{cons_id}&{timestamp}".encode(), hashlib.sha256)
    return base64.b64encode(signed.digest()).decode()


def headers(credentials: Credentials, timestamp: str) -> dict[str, str]:
    return {
        "x-cons-id": credentials.cons_id,
        "x-timestamp": timestamp,
        "x-signature": signature(credentials.cons_id, credentials.secret, timestamp),
        "user_key": credentials.user_key,
        "Content-Type": "application/json",
    }


def decrypt(cipher_text: str, cons_id: str, secret: str, timestamp: str) -> str:
    key = hashlib.sha256(f"{cons_id}{secret}{timestamp}".encode()).digest()
    try:
        raw = base64.b64decode(cipher_text, validate=False)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        padded = decryptor.update(raw) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        compressed = (unpadder.update(padded) + unpadder.finalize()).decode()
        return decompress_from_encoded_uri_component(compressed)
    except (ValueError, CorruptData) as error:
        raise CorruptData(f"cannot decrypt BPJS's response: {error}") from error


def _code(metadata: dict) -> int:
    raw = metadata.get("code", metadata.get("Code"))
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def read_answer(response: httpx.Response, credentials: Credentials, timestamp: str) -> Answer:
    """The envelope ``{"response", "metadata": {"code", "message"}}``, its response decrypted."""
    try:
        envelope = response.json()
        metadata = envelope.get("metadata") or {}
    except (ValueError, AttributeError) as error:
        raise Retry(
            f"HTTP {response.status_code}: not BPJS's envelope", status=response.status_code
        ) from error
    body = envelope.get("response")
    if isinstance(body, str) and body:
        try:
            text = decrypt(body, credentials.cons_id, credentials.secret, timestamp)
        except CorruptData as error:
            raise Fail(str(error), status=response.status_code) from error
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    return Answer(_code(metadata), str(metadata.get("message", "")), body, response.status_code)


def call(
    credentials: Credentials,
    method: str,
    path: str,
    body: dict | None = None,
    *,
    timestamp: str | None = None,
) -> Answer:
    """One request; returns the answer when BPJS says 200, raises Retry or Fail otherwise."""
    timestamp = timestamp or str(int(time.time()))
    url = credentials.base_url.rstrip("/") + "/" + path.lstrip("/")
    content = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
    try:
        response = httpx.request(
            method, url, headers=headers(credentials, timestamp), content=content, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        raise Retry(f"{type(error).__name__}: {error}") from error
    status = response.status_code
    if status in (408, 429) or status >= 500:
        raise Retry(scrub(f"HTTP {status}: {response.text[:200]}"), status=status)
    answer = read_answer(response, credentials, timestamp)
    if answer.code == OK and 200 <= status < 300:
        return answer
    # 201 and the rest: BPJS refused (a field, an order, a duplicate); its message says why.
    reason = f"BPJS {answer.code or status}: {answer.message or response.text[:200]}"
    raise Fail(scrub(reason), status=status)
