"""The http monitor type against a real web server over HTTP and HTTPS."""

from __future__ import annotations

import base64
import gzip
import json
import tracemalloc
import uuid

import httpx
import pytest
from pydantic import ValidationError

from probe_service.checks import CheckContext, get_check, secret_fields
from probe_service.checks._conditions import json_condition
from probe_service.checks._http import MAX_BODY_BYTES, read_body
from probe_service.checks.http import HttpConfig
from tests.probe.conftest import WebServers
from tests.probe.running import check, check_unvalidated


def _id() -> str:
    return uuid.uuid4().hex


async def test_a_page_answering_200_is_up(web: WebServers, ctx: CheckContext) -> None:
    result = await check("http", f"{web.http}/ok", ctx)
    assert result.ok and not result.degraded and result.error is None
    assert result.status_code == 200 and result.metrics == {"http_status_code": 200.0}
    assert result.details == {"status_code": 200, "url": f"{web.http}/ok"}
    assert result.response_ms is not None and result.response_ms > 0


async def test_a_page_answering_500_is_down_with_a_readable_error(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/status/500", ctx)
    assert not result.ok
    assert result.error == "HTTP 500 (expected 200-299)"
    assert result.details["body"] == "status 500"
    assert result.metrics["http_status_code"] == 500


@pytest.mark.parametrize(
    ("status", "accepted", "ok"),
    [
        (404, ["200-299", "404"], True),
        (500, ["500"], True),
        (203, ["200-202", "204-299"], False),
        (301, ["300-399"], True),
    ],
)
async def test_accepted_status_codes_are_codes_and_ranges(
    web: WebServers, ctx: CheckContext, status: int, accepted: list[str], ok: bool
) -> None:
    result = await check("http", f"{web.http}/status/{status}", ctx, accepted_status_codes=accepted)
    assert result.ok is ok, result.error
    if not ok:
        assert result.error == f"HTTP {status} (expected {', '.join(accepted)})"


@pytest.mark.parametrize(
    ("keyword", "absent", "error"),
    [
        ("all-systems-go", False, None),
        ("maintenance", False, "keyword 'maintenance' not found"),
        ("maintenance", True, None),
        ("all-systems-go", True, "keyword 'all-systems-go' found (expected absent)"),
    ],
)
async def test_keyword_present_or_absent(
    web: WebServers, ctx: CheckContext, keyword: str, absent: bool, error: str | None
) -> None:
    result = await check("http", f"{web.http}/ok", ctx, keyword=keyword, keyword_absent=absent)
    assert result.error == error
    assert result.ok is (error is None)
    if error:
        assert "all-systems-go" in result.details["body"]


@pytest.mark.parametrize(
    ("query", "operator", "expected", "ok"),
    [
        ("status", "==", "up", True),
        ("status", "!=", "up", False),
        ("count", "==", "7.0", True),  # numbers compare as numbers
        ("count", ">", "6", True),
        ("count", "<=", "6", False),
        ("ratio", "<", "0.5", True),
        ("items", "contains", "b", True),
        ("items", "contains", "c", False),
        ("nested.ready", "==", "true", True),
        ("nested.version", "contains", "1.", True),
        ("length(items)", ">=", "2", True),
        ("missing", "==", "null", True),
        ("status", ">", "1", False),  # order needs numbers
    ],
)
async def test_json_query_conditions(
    web: WebServers, ctx: CheckContext, query: str, operator: str, expected: str, ok: bool
) -> None:
    result = await check(
        "http",
        f"{web.http}/json",
        ctx,
        json_query=query,
        json_operator=operator,
        json_expected=expected,
    )
    assert result.ok is ok, result.error
    if not ok:
        assert result.error is not None and result.error.startswith(f"JSON query {query!r} gave")


async def test_a_json_query_on_a_body_that_is_not_json_fails(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/ok", ctx, json_query="status", json_expected="up")
    assert not result.ok and result.error == "the body is not JSON"


def test_a_json_query_that_repeats_values_is_refused_and_never_run() -> None:
    """[@, @] piped 40 times is 2^40 values once written out: a probe frozen for everyone."""
    doubling = " | ".join(["[@, @]"] * 40)
    with pytest.raises(ValidationError, match=r"multi-select \(\[a, b\]\)"):
        HttpConfig(json_query=doubling, json_expected="1")
    # Stored before the rule existed: the run refuses it at once.
    error = json_condition('{"a": 1}', doubling, "==", "1")
    assert error == f"JSON query {doubling!r} failed: uses multi-select ([a, b])"


def test_a_json_query_stops_at_its_budget_on_a_huge_body() -> None:
    body = json.dumps([{"n": n} for n in range(250_000)])
    costly = "[*].to_string(to_string(to_string(n)))"
    error = json_condition(body, costly, "==", "1")
    assert error == f"JSON query {costly!r} failed: takes more than 1,000,000 steps on this body"
    # What a status page's query does on a large answer still passes.
    assert json_condition(body, "length([?n >= `150000`])", "==", "100000") is None


async def test_a_slow_answer_is_up_but_degraded(web: WebServers, ctx: CheckContext) -> None:
    result = await check("http", f"{web.http}/slow?seconds=0.3", ctx, degraded_above_ms=100)
    assert result.ok and result.degraded
    assert result.response_ms is not None and result.response_ms >= 300
    assert result.error is not None and result.error.endswith("ms (degraded above 100 ms)")

    quick = await check("http", f"{web.http}/ok", ctx, degraded_above_ms=2000)
    assert quick.ok and not quick.degraded and quick.error is None


async def test_an_answer_slower_than_the_timeout_is_down(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/slow?seconds=3", ctx, seconds=0.5)
    assert not result.ok and result.error == "timed out after 0.5 s"


async def test_a_redirect_chain_is_followed_to_its_end(web: WebServers, ctx: CheckContext) -> None:
    result = await check("http", f"{web.http}/redirect/3", ctx, keyword="arrived")
    assert result.ok, result.error
    assert result.details["url"] == f"{web.http}/redirect/0"


async def test_max_redirects_is_honoured(web: WebServers, ctx: CheckContext) -> None:
    exact = await check("http", f"{web.http}/redirect/3", ctx, max_redirects=3)
    assert exact.ok, exact.error
    over = await check("http", f"{web.http}/redirect/3", ctx, max_redirects=2)
    assert not over.ok and over.error == "more than 2 redirects"


async def test_with_no_redirects_allowed_the_redirect_is_the_answer(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/redirect/1", ctx, max_redirects=0)
    assert not result.ok and result.error == "HTTP 302 (expected 200-299)"
    accepted = await check(
        "http", f"{web.http}/redirect/1", ctx, max_redirects=0, accepted_status_codes=["302"]
    )
    assert accepted.ok and accepted.details["url"] == f"{web.http}/redirect/1"


async def test_a_redirect_loop_is_named(web: WebServers, ctx: CheckContext) -> None:
    result = await check("http", f"{web.http}/loop/a", ctx)
    assert not result.ok
    assert result.error == f"redirect loop: back to {web.http}/loop/a after 2 redirects"


async def test_method_headers_json_body_and_basic_auth_are_sent(
    web: WebServers, ctx: CheckContext
) -> None:
    key = _id()
    result = await check(
        "http",
        f"{web.http}/echo?id={key}",
        ctx,
        method="PUT",
        headers={"X-Team": "ops", "Accept": "application/json"},
        body='{"ping": 1}',
        body_type="json",
        auth="basic",
        username="monitor",
        password="s3cret",
    )
    assert result.ok, result.error
    seen = web.recorder[key]
    assert seen["method"] == "PUT" and seen["body"] == '{"ping": 1}'
    assert seen["headers"]["x-team"] == "ops"
    assert seen["headers"]["content-type"] == "application/json"
    assert (
        seen["headers"]["authorization"] == "Basic " + base64.b64encode(b"monitor:s3cret").decode()
    )
    assert seen["headers"]["user-agent"].startswith("StatusMonitor-Probe/")


async def test_form_body_and_bearer_token_are_sent(web: WebServers, ctx: CheckContext) -> None:
    key = _id()
    result = await check(
        "http",
        f"{web.http}/echo?id={key}",
        ctx,
        method="POST",
        body='{"name": "a b", "n": 2}',
        body_type="form",
        auth="bearer",
        token="tok-123",
    )
    assert result.ok, result.error
    seen = web.recorder[key]
    assert seen["body"] == "name=a+b&n=2"
    assert seen["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert seen["headers"]["authorization"] == "Bearer tok-123"


async def test_head_and_raw_bodies(web: WebServers, ctx: CheckContext) -> None:
    head = await check("http", f"{web.http}/ok", ctx, method="HEAD")
    assert head.ok and head.status_code == 200
    key = _id()
    raw = await check(
        "http", f"{web.http}/echo?id={key}", ctx, method="PATCH", body="plain", body_type="raw"
    )
    assert raw.ok and web.recorder[key]["body"] == "plain"


@pytest.mark.parametrize(("code", "method", "body"), [(303, "GET", ""), (307, "POST", "x=1")])
async def test_a_303_turns_a_post_into_a_get_and_a_307_keeps_it(
    web: WebServers, ctx: CheckContext, code: int, method: str, body: str
) -> None:
    key = _id()
    target = f"{web.http}/to?code={code}&url=/echo%3Fid%3D{key}"
    result = await check("http", target, ctx, method="POST", body="x=1", body_type="raw")
    assert result.ok, result.error
    assert web.recorder[key]["method"] == method and web.recorder[key]["body"] == body


async def test_credentials_do_not_follow_a_redirect_to_another_origin(
    web: WebServers, ctx: CheckContext
) -> None:
    key = _id()
    other_origin = f"http://localhost:{web.http_port}/echo?id={key}"
    result = await check(
        "http",
        f"{web.http}/to?url={other_origin.replace('?', '%3F').replace('=', '%3D')}",
        ctx,
        auth="bearer",
        token="tok-123",
        headers={"Cookie": "a=b", "X-Kept": "yes"},
    )
    assert result.ok, result.error
    headers = web.recorder[key]["headers"]
    assert "authorization" not in headers and "cookie" not in headers
    assert headers["x-kept"] == "yes" and headers["host"] == f"localhost:{web.http_port}"


async def test_cookies_are_not_kept_between_checks(web: WebServers, ctx: CheckContext) -> None:
    assert (await check("http", f"{web.http}/set-cookie", ctx)).ok
    key = _id()
    assert (await check("http", f"{web.http}/echo?id={key}", ctx)).ok
    assert "cookie" not in web.recorder[key]["headers"]


async def test_at_most_one_megabyte_of_body_is_read(web: WebServers, ctx: CheckContext) -> None:
    result = await check("http", f"{web.http}/big", ctx, keyword="TAIL")
    assert not result.ok and result.error == "keyword 'TAIL' not found"
    gzipped = await check("http", f"{web.http}/gzip", ctx, keyword="all-systems-go")
    assert gzipped.ok, gzipped.error


# --- HTTPS ------------------------------------------------------------------------------------


async def test_https_with_a_valid_certificate_reports_its_days_left(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.https['valid']}/ok", ctx)
    assert result.ok, result.error
    assert result.metrics["cert_days_left"] == 59


@pytest.mark.parametrize(
    ("server", "reason"),
    [("expired", "certificate has expired"), ("wrong_host", "Hostname mismatch")],
)
async def test_https_with_an_invalid_certificate_is_down_unless_ignored(
    web: WebServers, ctx: CheckContext, server: str, reason: str
) -> None:
    result = await check("http", f"{web.https[server]}/ok", ctx)
    assert not result.ok
    assert result.error is not None and result.error.startswith("certificate is not valid: ")
    assert reason in result.error

    ignored = await check("http", f"{web.https[server]}/ok", ctx, ignore_tls_errors=True)
    assert ignored.ok, ignored.error
    expected_days = -1 if server == "expired" else 59
    assert ignored.metrics["cert_days_left"] == expected_days


# --- the outbound guard -----------------------------------------------------------------------


async def test_loopback_is_refused_when_private_targets_are_not_allowed(
    web: WebServers, strict_ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/ok", strict_ctx)
    assert not result.ok and result.error is not None
    assert result.error.startswith("refused to connect to 127.0.0.1: ")
    assert "loopback" in result.error and "PROBE_OUTBOUND_ALLOW_PRIVATE" in result.error


async def test_a_redirect_to_the_metadata_address_is_refused(
    web: WebServers, ctx: CheckContext
) -> None:
    result = await check("http", f"{web.http}/to?url=http://169.254.169.254/latest/", ctx)
    assert not result.ok and result.error is not None
    assert "169.254.169.254" in result.error and "link-local" in result.error


async def test_a_host_resolving_to_the_metadata_address_is_refused(ctx: CheckContext) -> None:
    # 2852039166 is 169.254.169.254 written as one number; resolvers accept it.
    result = await check_unvalidated("http", "http://2852039166/latest/meta-data/", ctx)
    assert not result.ok and result.error is not None
    assert "169.254.169.254" in result.error and "link-local" in result.error


# --- what users may type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/", "forbidden address"),
        ("http://2852039166/", "forbidden address"),
        ("ftp://example.com/", "must start with http:// or https://"),
        ("http://example.com/\r\nX-Injected: 1", "CR, LF or NUL"),
        ("http://example.com/\0", "CR, LF or NUL"),
        ("http://user:pass@example.com/", "basic auth"),
        ("http:///nohost", "no host"),
    ],
)
def test_targets_that_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        get_check("http").validate_target(url)


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"headers": {"X-A": "ok\r\nX-Injected: 1"}}, "CR, LF or NUL"),
        ({"headers": {"X\nA": "v"}}, "not a valid HTTP header name"),
        ({"headers": {"X A": "v"}}, "not a valid HTTP header name"),
        ({"headers": {"X-A": "v\0"}}, "CR, LF or NUL"),
        ({"headers": {f"X-{n}": "v" for n in range(51)}}, "at most 50 headers"),
        ({"accepted_status_codes": ["2xx"]}, "not a status code"),
        ({"accepted_status_codes": ["299-200"]}, "backwards"),
        ({"accepted_status_codes": []}, "at least 1"),
        ({"max_redirects": 11}, "less than or equal to 10"),
        ({"body": "{not json", "body_type": "json"}, "not valid JSON"),
        ({"body": "a=1", "body_type": "form"}, "JSON object of fields"),
        ({"auth": "basic"}, "needs a username"),
        ({"auth": "bearer"}, "needs a token"),
        ({"auth": "bearer", "token": "a\nb"}, "CR, LF or NUL"),
        ({"json_query": "a[?", "json_expected": "1"}, "not a valid JMESPath"),
        ({"json_query": "a"}, "needs an expected value"),
        ({"json_query": "{s: status}", "json_expected": "1"}, r"multi-select \(\{a: b\}\)"),
        ({"json_query": ".".join(["a"] * 201), "json_expected": "1"}, "more than 200 parts"),
        ({"method": "TRACE"}, "Input should be"),
        ({"unknown": 1}, "Extra inputs are not permitted"),
        ({"cert_warning_days": [0]}, "greater than or equal to 1"),
    ],
)
def test_configs_that_are_refused(config: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        HttpConfig.model_validate(config)


def test_secrets_are_the_password_and_the_token() -> None:
    config = HttpConfig(auth="basic", username="u", password="hunter2")
    assert "hunter2" not in config.model_dump_json()
    assert config.password is not None and config.password.get_secret_value() == "hunter2"
    assert secret_fields(HttpConfig) == {"password", "token"}


async def test_a_gzip_bomb_is_inflated_only_up_to_the_bound() -> None:
    bomb = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9)  # 64 MB of zeros, ~64 KB
    response = httpx.Response(
        200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(bomb)
    )
    tracemalloc.start()
    try:
        body = await read_body(response)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert body == bytes(MAX_BODY_BYTES)
    assert peak < 8 * MAX_BODY_BYTES  # not the 64 MB httpx's own decoder would make
