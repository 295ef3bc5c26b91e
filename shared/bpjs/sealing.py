"""Secrets at rest: the bridge's secret and user key as Fernet tokens.

The Fernet key is derived (SHA-256) from the installation's secret key, the one that signs staff
sessions (``ANTRE_SECRET_KEY``, or ``<instance>/secret_key`` made once): a copy of the database
alone does not reveal the credentials. Changing that key makes stored secrets unreadable; set
them again with ``antre bpjs set`` (docs/bpjs.md).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from shared import secret_key as keys
from shared.config import DEFAULT_SECRET_KEY, Config


class Unreadable(ValueError):
    """A sealed secret that this installation's key cannot open (the key changed)."""


def installation_key(config: Config) -> str:
    if config.secret_key:
        return config.secret_key
    if config.demo:
        return DEFAULT_SECRET_KEY
    return keys.load_or_create(config.instance_path)


def _fernet(config: Config) -> Fernet:
    digest = hashlib.sha256(b"antre-bpjs:" + installation_key(config).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(config: Config, text: str) -> str:
    return _fernet(config).encrypt(text.encode()).decode()


def unseal(config: Config, token: str) -> str:
    try:
        return _fernet(config).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise Unreadable(
            "the BPJS credentials cannot be read with this installation's key"
        ) from error


def masked(text: str) -> str:
    """What a page may show of a secret: its length hidden, the last 3 characters at most."""
    if len(text) <= 6:
        return "•" * 6
    return "•" * 6 + text[-3:]
