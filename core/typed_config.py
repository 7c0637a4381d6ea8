"""User-written settings checked by a pydantic model whose SecretStr fields are secrets.

Notification channels and monitor types both keep a type-specific `config` this way: the
non-secret values in JSONB, the secrets sealed together (core.crypto) and never shown again.
Errors name the field but never echo a value (a secret may be in it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from core import outbound
from core.crypto import SecretBox
from core.errors import Unprocessable

M = TypeVar("M", bound=BaseModel)


def secret_fields(model: type[BaseModel]) -> set[str]:
    """Fields typed SecretStr (optional or not): what is encrypted at rest and never shown."""
    return {
        name
        for name, info in model.model_fields.items()
        if info.annotation is SecretStr or SecretStr in getattr(info.annotation, "__args__", ())
    }


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def describe_errors(exc: ValidationError, secrets: Iterable[str] = (), root: str = "config") -> str:
    """'config.url: ...; config.port: ...' without the offending values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        path = ".".join(str(part) for part in (root, *error["loc"]))
        parts.append(f"{path}: {error['msg']}")
    return redact("; ".join(parts), secrets)


def refuse_line_breaks(values: dict[str, Any], multiline: Iterable[str] = ()) -> None:
    """CR, LF or NUL would let a value end a protocol line and write its own next one:
    refused anywhere in a config (except between the lines of the `multiline` fields)."""
    allowed = frozenset(f"config.{name}" for name in multiline)
    paths = outbound.line_breaking_paths(values, "config", allowed)
    if paths:
        raise Unprocessable("; ".join(f"{path}: {outbound.LINE_BREAK_PROBLEM}" for path in paths))


def validate(model: type[M], values: dict[str, Any], multiline: Iterable[str] = ()) -> M:
    """`values` as `model` accepts them, or a 422 naming each bad field."""
    refuse_line_breaks(values, multiline)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        plain = [str(values[n]) for n in secret_fields(model) if values.get(n) is not None]
        raise Unprocessable(describe_errors(exc, plain)) from None


def split(config: BaseModel, box: SecretBox) -> tuple[dict[str, Any], str | None]:
    """(non-secret settings for JSONB, sealed secrets or None when there are none)."""
    names = secret_fields(type(config))
    public = config.model_dump(mode="json", exclude=names)
    secrets = {}
    for name in names:
        value = getattr(config, name)
        if isinstance(value, SecretStr):
            secrets[name] = value.get_secret_value()
    return public, box.seal(secrets) if secrets else None
