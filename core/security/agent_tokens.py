"""Agent tokens: random, shown once, stored as SHA-256, with an activation window."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.security.tokens import sha256_hex

AGENT_TOKEN_PREFIX = "sm_"  # noqa: S105 - a public prefix, not a secret
_TOKEN_BYTES = 32  # 256 bits of entropy


def new_agent_token() -> tuple[str, str]:
    """Returns (token shown to the user once, hash to store)."""
    token = AGENT_TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
    return token, sha256_hex(token)


def hash_agent_token(token: str) -> str:
    return sha256_hex(token.strip())


@dataclass(frozen=True)
class AgentTokenState:
    activation_deadline: datetime | None
    activated_at: datetime | None

    def status_at(self, now: datetime) -> Literal["pending", "active", "expired"]:
        """Activated tokens live until regenerated; new ones only inside their window."""
        if self.activated_at is not None:
            return "active"
        if self.activation_deadline is not None and now <= self.activation_deadline:
            return "pending"
        return "expired"

    def usable_at(self, now: datetime) -> bool:
        return self.status_at(now) != "expired"
