"""The one small interface every monitor type implements, and their registry.

A monitor type is one file in this package: a `Check` subclass with a `type`, a pydantic
`Config` (the monitor's `config`; fields typed SecretStr are secrets: stored encrypted, never
returned by the API), `validate_target()` and `run()`, decorated with `@register`. The package
imports every module in it, so adding a type touches no other file.

`run()` reports what it saw as a CheckResult: `ok` is the check's own verdict (before the
monitor's upside-down mode), `degraded` an answer that passed but too slowly. It must not
raise for anything the target does (refused, timed out, wrong answer): those are a failed
result with an `error` a person can read. It runs under the outbound guard
(core/outbound.py), so every connection it makes is checked at the socket: resolve names with
`core.outbound.resolve_checked` and connect to the addresses it returns.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from core.outbound import OwnStores
from probe_service.checks._values import validate_host


class CheckConfig(BaseModel):
    """Base of every type's Config: unknown keys are refused with their name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


@dataclass(frozen=True)
class Target:
    """One monitor as a check sees it."""

    target: str  # a URL, host or DNS name (see the type); "" for push
    config: Any  # an instance of the type's Config, secrets included
    timeout: float  # seconds for the whole check


@dataclass(frozen=True)
class CheckContext:
    # Refuses link-local/metadata targets, and private/loopback ones unless the instance
    # allows them, before connecting; redirects are checked hop by hop.
    http: httpx.AsyncClient
    # The same rules for a client that does not verify certificates (ignore_tls_errors).
    http_insecure: httpx.AsyncClient
    allow_private: bool
    # The platform's own stores: refused even where private targets are allowed.
    own_stores: OwnStores
    # PEM file of CA certificates trusted besides the system's (an internal CA on the LAN);
    # TLS checks outside httpx build their contexts with it (checks/_context.tls_contexts).
    extra_ca_file: str | None = None


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    response_ms: float | None = None
    error: str | None = None  # why it failed, or what was odd about a pass
    degraded: bool = False  # passed, but slower than the monitor's threshold
    # Extra numbers for history and alert rules, under core.reports names
    # (http_status_code, cert_days_left, ping_packet_loss_percent, ...).
    metrics: dict[str, float] = field(default_factory=dict)
    status_code: int | None = None
    # Small facts for the check's row (DNS answers, certificate subject...): JSON-safe, short.
    details: dict[str, Any] = field(default_factory=dict)


class Check(ABC):
    type: ClassVar[str]  # "http", "tcp", ... stored in monitors.type
    title: ClassVar[str]  # shown to users, e.g. "HTTP(S)"
    target_label: ClassVar[str]  # what the target is: "URL", "Host", "" when it has none
    Config: ClassVar[builtins.type[CheckConfig]]
    # Push monitors are not run by the scheduler: their calls arrive.
    scheduled: ClassVar[bool] = True

    def validate_target(self, target: str) -> str:
        """The target as stored; ValueError with a reason a person can act on."""
        return target

    @abstractmethod
    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        """One check of `target`; never raises for what the target did (see the module)."""


class HostCheck(Check):
    """A type whose target is a host name or IP address (tcp, ping, dns, tls)."""

    def validate_target(self, target: str) -> str:
        return validate_host(target)


CHECKS: dict[str, Check] = {}

C = TypeVar("C", bound=type[Check])


def register(cls: C) -> C:
    if cls.type in CHECKS:
        raise RuntimeError(f"two monitor types register the type {cls.type!r}")
    CHECKS[cls.type] = cls()
    return cls


def get_check(type_: str) -> Check:
    """The check implementing `type_`; KeyError when none does."""
    return CHECKS[type_]
