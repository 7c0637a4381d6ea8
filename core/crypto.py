"""Secrets at rest (channel bot tokens, SMTP passwords, webhook secrets): Fernet-encrypted.

The key is derived from SECRET_KEY, so no second key has to be managed; changing SECRET_KEY
makes stored channel secrets unreadable (they must then be entered again), which
`SecretBox.open` reports as a clear error instead of returning garbage.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"statusmonitor channel secrets v1"


class SecretsUnreadable(Exception):
    """Stored secrets were encrypted under another SECRET_KEY (or were tampered with)."""


def derive_key(secret_key: str, purpose: bytes) -> bytes:
    """A 32-byte sub-key of SECRET_KEY for one purpose, so no two uses share a key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode()
    )


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        key = derive_key(secret_key, _INFO)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, values: dict[str, Any]) -> str:
        return self._fernet.encrypt(orjson.dumps(values)).decode()

    def open(self, token: str | None) -> dict[str, Any]:
        if not token:
            return {}
        try:
            values: dict[str, Any] = orjson.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise SecretsUnreadable(
                "stored secrets cannot be decrypted (was SECRET_KEY changed?); enter them again"
            ) from None
        return values
