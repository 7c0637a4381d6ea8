"""HTTP(S): the URL answers with an accepted status, and its body meets the conditions."""

from __future__ import annotations

import asyncio
import base64
import functools
import time
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from pydantic import Field, SecretStr, field_validator, model_validator

from core import outbound
from core.reports import CERT_DAYS_LEFT, HTTP_STATUS_CODE
from probe_service.checks._conditions import (
    Operator,
    check_query,
    json_condition,
    status_accepted,
    status_ranges,
)
from probe_service.checks._http import (
    Failed,
    body_text,
    encode_body,
    follow,
    read_body,
    ssl_object,
)
from probe_service.checks._net import days_left, peer_certificate
from probe_service.checks._run import describe_error
from probe_service.checks._values import refuse_line_breaks, validate_headers
from probe_service.checks.base import (
    Check,
    CheckConfig,
    CheckContext,
    CheckResult,
    Target,
    register,
)

MAX_HEADERS = 50
_CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "raw": "text/plain; charset=utf-8",
}
WarningDay = Annotated[int, Field(ge=1, le=3650)]


class HttpConfig(CheckConfig):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = "GET"
    headers: dict[str, Annotated[str, Field(max_length=8192)]] = Field(default_factory=dict)
    body: str | None = Field(default=None, max_length=65_536)
    body_type: Literal["json", "form", "raw"] = "json"  # form: a JSON object of fields
    auth: Literal["none", "basic", "bearer"] = "none"
    username: str | None = Field(default=None, max_length=256)
    password: SecretStr | None = Field(default=None, max_length=1024)
    token: SecretStr | None = Field(default=None, max_length=4096)
    accepted_status_codes: list[str] = Field(
        default_factory=lambda: ["200-299"], min_length=1, max_length=20
    )
    max_redirects: int = Field(default=10, ge=0, le=10)
    ignore_tls_errors: bool = False
    # Searched case-sensitively in the first megabyte of the body.
    keyword: str | None = Field(default=None, min_length=1, max_length=1000)
    keyword_absent: bool = False  # passes when the keyword is NOT in the body
    json_query: str | None = Field(default=None, max_length=1000)  # JMESPath
    json_operator: Operator = "=="
    json_expected: str | None = Field(default=None, max_length=1000)
    degraded_above_ms: float | None = Field(default=None, gt=0)
    # For https targets: kept for the dashboard and alert rules on cert_days_left, which the
    # check reports; unlike the tls type, the check does not degrade on them.
    cert_warning_days: list[WarningDay] = Field(default_factory=lambda: [30, 14, 7], max_length=10)

    @field_validator("headers")
    @classmethod
    def _valid_headers(cls, headers: dict[str, str]) -> dict[str, str]:
        return validate_headers(headers, MAX_HEADERS)

    @field_validator("body")
    @classmethod
    def _empty_body_is_none(cls, body: str | None) -> str | None:
        return body or None

    @field_validator("accepted_status_codes")
    @classmethod
    def _valid_codes(cls, codes: list[str]) -> list[str]:
        status_ranges(codes)
        return [code.strip() for code in codes]

    @field_validator("json_query")
    @classmethod
    def _valid_query(cls, query: str | None) -> str | None:
        if query:
            check_query(query)
        return query or None

    @model_validator(mode="after")
    def _consistent(self) -> HttpConfig:
        if self.body is not None:
            encode_body(self.body, self.body_type)
        if self.auth == "basic" and not self.username:
            raise ValueError("basic auth needs a username")
        if self.username and ":" in self.username:
            raise ValueError("the username must not contain ':'")
        if self.auth == "bearer" and not self.token:
            raise ValueError("bearer auth needs a token")
        for what, value in (("username", self.username), ("token", self.token)):
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            refuse_line_breaks(text or "", f"the {what}")
        if self.json_query and self.json_expected is None:
            raise ValueError("a JSON query needs an expected value")
        return self


def _request_headers(config: HttpConfig) -> dict[str, str]:
    headers = dict(config.headers)
    if config.body is not None and "content-type" not in {name.lower() for name in headers}:
        headers["Content-Type"] = _CONTENT_TYPES[config.body_type]
    if config.auth == "basic":
        password = config.password.get_secret_value() if config.password else ""
        pair = f"{config.username}:{password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    elif config.auth == "bearer" and config.token:
        headers["Authorization"] = "Bearer " + config.token.get_secret_value()
    return headers


def _failure(config: HttpConfig, status: int, text: str) -> str | None:
    if not status_accepted(status, config.accepted_status_codes):
        return f"HTTP {status} (expected {', '.join(config.accepted_status_codes)})"
    if config.keyword is not None:
        found = config.keyword in text
        if found and config.keyword_absent:
            return f"keyword {config.keyword!r} found (expected absent)"
        if not found and not config.keyword_absent:
            return f"keyword {config.keyword!r} not found"
    if config.json_query and config.json_expected is not None:
        return json_condition(text, config.json_query, config.json_operator, config.json_expected)
    return None


@register
class HttpCheck(Check):
    type = "http"
    title = "HTTP(S)"
    target_label = "URL"
    Config = HttpConfig

    def validate_target(self, target: str) -> str:
        url = outbound.validate_http_url(refuse_line_breaks(target, "the URL"))
        if urlsplit(url).username is not None:
            raise ValueError("put credentials in basic auth (kept secret), not in the URL")
        return url

    async def run(self, target: Target, ctx: CheckContext) -> CheckResult:
        config: HttpConfig = target.config
        client = ctx.http_insecure if config.ignore_tls_errors else ctx.http
        content = encode_body(config.body, config.body_type) if config.body is not None else None
        started = time.perf_counter()
        try:
            response, url = await follow(
                client,
                httpx.URL(target.target),
                method=config.method,
                headers=_request_headers(config),
                content=content,
                max_redirects=config.max_redirects,
                request_timeout=target.timeout,
            )
            try:
                body = await read_body(response)
                cert = peer_certificate(ssl_object(response)) if url.scheme == "https" else None
            finally:
                await response.aclose()
        except Failed as failed:
            return CheckResult(ok=False, error=str(failed))
        except httpx.TimeoutException:
            return CheckResult(ok=False, error=f"timed out after {target.timeout:g} s")
        except (httpx.HTTPError, OSError) as exc:
            return CheckResult(ok=False, error=describe_error(exc))
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        text = body_text(response, body)
        if config.json_query:
            # Parsing up to a megabyte and querying it: off the event loop the other checks use.
            return await asyncio.to_thread(_verdict, config, response, url, text, cert, elapsed)
        return _verdict(config, response, url, text, cert, elapsed)


def _verdict(
    config: HttpConfig,
    response: httpx.Response,
    url: httpx.URL,
    text: str,
    cert: x509.Certificate | None,
    elapsed: float,
) -> CheckResult:
    status = response.status_code
    metrics = {HTTP_STATUS_CODE: float(status)}
    if cert is not None:
        metrics[CERT_DAYS_LEFT] = float(days_left(cert))
    details: dict[str, Any] = {"status_code": status, "url": str(url)}
    result = functools.partial(
        CheckResult, response_ms=elapsed, metrics=metrics, status_code=status
    )
    failure = _failure(config, status, text)
    if failure:
        return result(ok=False, error=failure, details=details | {"body": text[:200]})
    if config.degraded_above_ms is not None and elapsed > config.degraded_above_ms:
        slow = f"response took {elapsed:.0f} ms (degraded above {config.degraded_above_ms:g} ms)"
        return result(ok=True, degraded=True, error=slow, details=details)
    return result(ok=True, details=details)
