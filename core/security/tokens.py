"""JWT access and refresh tokens (HS256) with issuer, audience, expiry and a unique id."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from jose import JWTError, jwt

from core.settings import Settings

TokenType = Literal["access", "refresh"]
ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is malformed, tampered with, expired, or of the wrong type."""


@dataclass(frozen=True)
class TokenClaims:
    sub: int
    org: int | None
    role: str | None
    jti: str
    typ: TokenType
    iat: datetime
    exp: datetime
    family: str | None = None
    version: int = 0


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def create_token(
    settings: Settings,
    *,
    typ: TokenType,
    user_id: int,
    org_id: int | None,
    role: str | None,
    family: str | None = None,
    version: int = 0,
) -> tuple[str, TokenClaims]:
    now = datetime.now(UTC).replace(microsecond=0)
    lifetime = (
        timedelta(minutes=settings.access_token_expire_minutes)
        if typ == "access"
        else timedelta(days=settings.refresh_token_expire_days)
    )
    claims = TokenClaims(
        sub=user_id,
        org=org_id,
        role=role,
        jti=uuid.uuid4().hex,
        typ=typ,
        iat=now,
        exp=now + lifetime,
        family=family,
        version=version,
    )
    payload: dict[str, Any] = {
        "sub": str(user_id),
        "org": org_id,
        "role": role,
        "jti": claims.jti,
        "typ": typ,
        "iat": int(now.timestamp()),
        "exp": int(claims.exp.timestamp()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "ver": version,
    }
    if family is not None:
        payload["fam"] = family
    token = jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)
    return token, claims


def decode_token(settings: Settings, token: str, expected: TokenType) -> TokenClaims:
    try:
        # Only our algorithm is accepted: "alg: none" and algorithm confusion are refused here.
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require_exp": True, "require_iat": True, "require_sub": True},
        )
    except JWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if payload.get("typ") != expected or not payload.get("jti"):
        raise InvalidToken(f"not an {expected} token")
    try:
        return TokenClaims(
            sub=int(payload["sub"]),
            org=payload.get("org"),
            role=payload.get("role"),
            jti=str(payload["jti"]),
            typ=expected,
            iat=datetime.fromtimestamp(int(payload["iat"]), UTC),
            exp=datetime.fromtimestamp(int(payload["exp"]), UTC),
            family=payload.get("fam"),
            version=int(payload.get("ver", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("malformed claims") from exc
