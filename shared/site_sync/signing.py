"""The site's signing key and the signed file.

A sync file is one header line, then the payload (canonical JSON, shared.site_sync.payload)::

    {"format":"antre-site-sync/1","key_id":"…","signature":"…","site":"<slug>"}\\n
    {…payload…}

The Ed25519 signature covers the header without its signature, a newline and the payload's
bytes, so a changed byte anywhere, or a file cut short, fails the check. ``key_id`` is the first
16 hex digits of SHA-256 over the public key: it names the key in messages, never replaces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.site_sync.errors import (
    NO_HEADER,
    UNKNOWN_FORMAT,
    BadSignature,
    MalformedFile,
    WrongKey,
)

FORMAT = "antre-site-sync/1"
HEX_KEY = re.compile(r"^[0-9a-f]{64}$")
MAX_HEADER = 1024


def canonical(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, ASCII only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def key_id(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


@dataclass(frozen=True)
class SiteKey:
    """An offline site's private key, and the tag that keeps its rows' origins apart from those
    of another database of the same site (a reinstalled laptop makes a new tag)."""

    site: str
    private_hex: str
    tag: str

    @property
    def public_hex(self) -> str:
        public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.private_hex)).public_key()
        return public.public_bytes_raw().hex()

    def sign(self, message: bytes) -> str:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.private_hex))
        return private.sign(message).hex()


def key_path(instance_path: str, site: str) -> Path:
    return Path(instance_path) / f"site_sync_{site}.key"


def generate(instance_path: str, site: str, replace: bool = False) -> SiteKey:
    """A new key in ``<instance>/site_sync_<slug>.key`` (mode 0600); a new key keeps the tag."""
    path = key_path(instance_path, site)
    old = load(instance_path, site) if path.exists() else None
    if old is not None and not replace:
        raise FileExistsError(f"{path} exists already (--force replaces the key)")
    key = SiteKey(site, secrets.token_bytes(32).hex(), old.tag if old else secrets.token_hex(4))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        json.dump({"site": key.site, "private_key": key.private_hex, "tag": key.tag}, file)
    os.replace(temporary, path)
    return key


def load(instance_path: str, site: str) -> SiteKey:
    path = key_path(instance_path, site)
    if not path.exists():
        raise FileNotFoundError(f"no key for site {site} in {path} (antre site keygen)")
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} may be read by other users: chmod 600 {path}")
    data = json.loads(path.read_text(encoding="ascii"))
    return SiteKey(data["site"], data["private_key"], data["tag"])


def _signed_part(header: dict) -> bytes:
    return canonical({k: v for k, v in header.items() if k != "signature"}) + b"\n"


def pack(payload: dict, key: SiteKey) -> bytes:
    """The signed file of ``payload`` (which names the same site as the key)."""
    body = canonical(payload)
    header = {"format": FORMAT, "site": key.site, "key_id": key_id(key.public_hex)}
    header["signature"] = key.sign(_signed_part(header) + body)
    return canonical(header) + b"\n" + body


def unpack(data: bytes) -> tuple[dict, bytes]:
    """The header and the payload's bytes, not yet verified."""
    first, newline, body = data.partition(b"\n")
    if not newline or len(first) > MAX_HEADER:
        raise MalformedFile(NO_HEADER, "(no header line)")
    try:
        header = json.loads(first)
    except ValueError:
        raise MalformedFile(NO_HEADER, "(the header is not JSON)") from None
    fields = ("format", "site", "key_id", "signature")
    if not isinstance(header, dict) or not all(isinstance(header.get(f), str) for f in fields):
        raise MalformedFile(NO_HEADER, "(format, site, key_id or signature missing)")
    if header["format"] != FORMAT:
        raise MalformedFile(UNKNOWN_FORMAT, header["format"][:40])
    return header, body


def verify(header: dict, body: bytes, public_hex: str, site: str) -> None:
    """Refuse a file not signed by the site's registered key, or changed since."""
    if header["key_id"] != key_id(public_hex):
        raise WrongKey(key_id=header["key_id"][:16], site=site)
    try:
        signature = bytes.fromhex(header["signature"])
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(
            signature, _signed_part(header) + body
        )
    except (ValueError, InvalidSignature):
        raise BadSignature() from None


def valid_public_key(text: str) -> str | None:
    """The key in lower-case hex if ``text`` is a 32-byte Ed25519 public key, else None."""
    text = text.strip().lower()
    if not HEX_KEY.match(text):
        return None
    with contextlib.suppress(ValueError):
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
        return text
    return None
