"""Inputs the attack review turned into 500s now get a 4xx naming the problem: NUL bytes in
text, ids past PostgreSQL's integer, instants past the calendar's ends, JSON nested 1,000+
levels deep or not UTF-8. Each request below answered 500 before (PostgreSQL refused the
NUL or the id, Python's datetime overflowed, json.loads recursed too deep)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.factories import TestUser, new_agent, register_and_login

NUL = "a\x00b"
BEYOND_INT32 = 2**31
SILENCE = {"ends_at": "2030-01-01T00:00:00Z"}
RULE = {"metric_type": "cpu", "condition": "gt", "threshold": 90}


@pytest.fixture
async def admin(auth_client: httpx.AsyncClient) -> TestUser:
    return await register_and_login(auth_client, "admin@example.com")


def _field_error(response: httpx.Response, status: int = 422) -> tuple[list[Any], str]:
    """The location and message of the one validation error FastAPI answered with."""
    assert response.status_code == status, response.text
    [error] = response.json()["detail"]
    return error["loc"], error["msg"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/agents", {"name": NUL}, "name"),
        ("/agents", {"name": "web", "labels": {"rack": NUL}}, "labels"),
        ("/organizations", {"name": NUL}, "name"),
        ("/members", {"email": f"{NUL}@example.com"}, "email"),
    ],
)
async def test_nul_in_auth_text_is_refused_naming_the_field(
    auth_client: httpx.AsyncClient, admin: TestUser, path: str, body: dict[str, Any], field: str
) -> None:
    loc, message = _field_error(await auth_client.post(path, headers=admin.headers, json=body))
    assert loc == ["body", field] and "NUL" in message


async def test_nul_in_login_and_registration_is_refused_naming_the_field(
    auth_client: httpx.AsyncClient,
) -> None:
    login = await auth_client.post("/token", data={"username": NUL, "password": "x" * 12})
    assert _field_error(login)[0] == ["body", "username"]
    registration = {"username": f"{NUL}@example.com", "password": "x" * 12}
    assert _field_error(await auth_client.post("/register", json=registration))[0] == [
        "body",
        "username",
    ]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/channels", {"type": "webhook", "name": NUL, "config": {}}, "name"),
        ("/silences", {**SILENCE, "comment": NUL}, "comment"),
        ("/silences", {**SILENCE, "labels": {NUL: "x"}}, "labels"),
        ("/rules", {**RULE, "labels": {"rack": NUL}}, "labels"),
    ],
)
async def test_nul_in_alerting_text_is_refused_naming_the_field(
    alert_client: httpx.AsyncClient,
    admin: TestUser,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    loc, message = _field_error(await alert_client.post(path, headers=admin.headers, json=body))
    assert loc == ["body", field] and "NUL" in message


async def test_nul_in_a_query_parameter_is_refused(
    history_client: httpx.AsyncClient, auth_client: httpx.AsyncClient, admin: TestUser
) -> None:
    agent = await new_agent(auth_client, admin, "a")
    url = f"/history/{agent.id}/metrics/cpu_percent?core=%00"
    response = await history_client.get(url, headers=admin.headers)
    assert response.status_code == 422 and "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", f"/agents/{BEYOND_INT32}", "agent_id"),
        ("DELETE", f"/agents/{BEYOND_INT32}", "agent_id"),
        ("POST", f"/organizations/{BEYOND_INT32}/switch", "org_id"),
        ("DELETE", f"/members/{BEYOND_INT32}", "user_id"),
    ],
)
async def test_auth_ids_beyond_32_bits_are_refused_naming_the_parameter(
    auth_client: httpx.AsyncClient, admin: TestUser, method: str, path: str, field: str
) -> None:
    response = await auth_client.request(method, path, headers=admin.headers)
    loc, message = _field_error(response)
    assert loc == ["path", field] and "2147483647" in message


@pytest.mark.parametrize(
    ("method", "path", "body", "loc"),
    [
        ("POST", "/rules", {**RULE, "agent_id": 2**40}, ["body", "agent_id"]),
        ("POST", "/rules", {**RULE, "channel_ids": [2**40]}, ["body", "channel_ids", 0]),
        ("POST", "/silences", {**SILENCE, "rule_id": 2**40}, ["body", "rule_id"]),
        ("GET", f"/alerts/?page={10**20}", None, ["query", "page"]),
        ("GET", f"/channels/{BEYOND_INT32}", None, ["path", "channel_id"]),
        ("DELETE", f"/silences/{BEYOND_INT32}", None, ["path", "silence_id"]),
    ],
)
async def test_alerting_ids_beyond_32_bits_are_refused_naming_the_field(
    alert_client: httpx.AsyncClient,
    admin: TestUser,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    loc: list[Any],
) -> None:
    response = await alert_client.request(method, path, headers=admin.headers, json=body)
    found, message = _field_error(response)
    assert found == loc and "2147483647" in message


@pytest.mark.parametrize(
    "query",
    [
        "start=-999999d",
        "start=-999999999w",
        "start=9999-12-31T23:59:59-05:00",
        "start=0001-01-01T00:00:00%2B01:00",
        "start=-1h&stop=9999-12-31T23:59:59-05:00",
    ],
)
async def test_history_time_range_past_the_calendar_is_refused_naming_the_parameter(
    history_client: httpx.AsyncClient, auth_client: httpx.AsyncClient, admin: TestUser, query: str
) -> None:
    agent = await new_agent(auth_client, admin, "a")
    response = await history_client.get(f"/history/{agent.id}/cpu?{query}", headers=admin.headers)
    assert response.status_code == 422, response.text
    param = query.split("&")[-1].split("=")[0]
    assert response.json()["detail"].startswith(f"{param}: ")
    assert "years 1 to 9999" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"ends_at": "9999-12-31T23:59:59-05:00"},
        {"ends_at": "0001-01-01T00:00:00+05:00"},
        {"starts_at": "1969-12-31T23:00:00Z", "ends_at": "2030-01-01T00:00:00Z"},
    ],
)
async def test_silence_instants_past_the_calendar_are_refused_naming_the_field(
    alert_client: httpx.AsyncClient, admin: TestUser, body: dict[str, str]
) -> None:
    loc, message = _field_error(
        await alert_client.post("/silences", headers=admin.headers, json=body)
    )
    assert loc[0] == "body" and loc[1] in body and "between 1970-01-01 and 9999-12-31" in message


async def test_silence_mixing_local_and_utc_instants_is_compared_in_utc(
    alert_client: httpx.AsyncClient, admin: TestUser
) -> None:
    """A naive instant (UTC) against one with an offset raised TypeError before: now compared."""
    body = {"starts_at": "2030-01-01T00:00:00", "ends_at": "2030-01-01T02:00:00+01:00"}
    created = await alert_client.post("/silences", headers=admin.headers, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["ends_at"].startswith("2030-01-01T01:00:00")


async def test_severity_that_is_not_text_is_refused(
    alert_client: httpx.AsyncClient, admin: TestUser
) -> None:
    body = {**RULE, "severity": {"high": 1}}
    loc, message = _field_error(await alert_client.post("/rules", headers=admin.headers, json=body))
    assert loc[:2] == ["body", "severity"] and "string" in message


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"name": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001, "nested too deeply"),
        (b'{"name": "caf\xe9"}', "not UTF-8"),
    ],
)
async def test_json_that_cannot_be_decoded_is_refused_saying_why(
    auth_client: httpx.AsyncClient, admin: TestUser, content: bytes, problem: str
) -> None:
    headers = {**admin.headers, "content-type": "application/json"}
    response = await auth_client.post("/agents", headers=headers, content=content)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("the body is not valid JSON: " + problem)
