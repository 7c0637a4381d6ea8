"""Only the caller's organization's agents, and no crafted name can widen a query."""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
import pytest
from redis.asyncio import Redis

from core import reports as m
from core.reports import Sample
from core.settings import Settings
from tests.history.conftest import Tenant
from tests.history.helpers import append, drained, report, running_worker, settled

ENDPOINTS = [
    "cpu",
    "memory",
    "disk",
    "network",
    "summary",
    "cores",
    "partitions",
    "interfaces",
    "temperatures",
    "metrics",
    "metrics/cpu_percent",
]


@pytest.fixture
async def bob_has_data(bob: Tenant, settings: Settings, redis: Redis) -> None:
    """Bob (another organization) has CPU and a custom metric; Alice has nothing stored."""
    samples = [Sample("requests", 7, {"path": "/"})]
    reports = [
        report(bob.org_id, bob.agent_id, time.time() - 10 * i, {m.CPU_PERCENT: 99}, samples)
        for i in range(3)
    ]
    await append(redis, reports)
    async with running_worker(settings):
        await drained(redis)
    await settled(settings.tsdb_url, f'{{agent_id="{bob.agent_id}"}}')


async def _vm_queries(tsdb_url: str) -> float:
    """How many queries VictoriaMetrics has answered so far (its own /metrics)."""
    async with httpx.AsyncClient(trust_env=False) as client:
        text = (await client.get(f"{tsdb_url}/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("vm_http_requests_total") and "/api/v1/query" in line
    )


async def test_another_organizations_agent_or_a_missing_one_is_not_found(
    alice: Tenant, bob: Tenant, history_client: httpx.AsyncClient
) -> None:
    for agent_id in (bob.agent_id, 999):
        for endpoint in ENDPOINTS:
            response = await history_client.get(
                f"/history/{agent_id}/{endpoint}", headers=alice.user.headers
            )
            assert response.status_code == 404, (agent_id, endpoint)
            assert response.json()["detail"] == "agent not found"
    anonymous = await history_client.get(f"/history/{alice.agent_id}/cpu")
    assert anonymous.status_code == 401


CRAFTED_NAMES = [
    'cpu_percent{org_id="ORG"}',
    'x"} or vector(1) #',
    "cpu_percent or sm_cpu_percent",
    "sm_cpu_percent[1h]",
    "1cpu",
    "cpu-percent",
]

CRAFTED_PARAMS = [
    {"org_id": "ORG"},
    {"agent_id": "AGENT"},
    {"source": "agent"},
    {"__name__": "sm_cpu_percent"},
    {'path"} or vector(1) #': "x"},
    {"start": "-1h) or vector(1"},
    {"stop": "sm_cpu_percent"},
    {"agg": "sum"},
]


async def test_crafted_names_filters_and_times_are_refused_before_reaching_victoriametrics(
    alice: Tenant, bob: Tenant, settings: Settings, history_client: httpx.AsyncClient
) -> None:
    def other(text: str) -> str:
        return text.replace("ORG", str(bob.org_id)).replace("AGENT", str(bob.agent_id))

    before = await _vm_queries(settings.tsdb_url)
    for name in CRAFTED_NAMES:
        response = await history_client.get(
            f"/history/{alice.agent_id}/metrics/{quote(other(name), safe='')}",
            headers=alice.user.headers,
        )
        assert response.status_code == 422, (name, response.text)
        assert response.json()["detail"].startswith("metric:")
    for params in CRAFTED_PARAMS:
        response = await history_client.get(
            f"/history/{alice.agent_id}/metrics/requests",
            params={other(k): other(v) for k, v in params.items()},
            headers=alice.user.headers,
        )
        assert response.status_code == 422, (params, response.text)
    assert await _vm_queries(settings.tsdb_url) == before


async def test_label_values_are_escaped_so_other_organizations_data_never_appears(
    bob_has_data: None, alice: Tenant, bob: Tenant, history_client: httpx.AsyncClient
) -> None:
    escapes = [
        f'/"}} or sm_requests{{org_id="{bob.org_id}',
        '/"} or sm_requests{org_id=~".+"} or sm_x{a="',
        "/\\",
        "/\n",
    ]
    for value in escapes:
        response = await history_client.get(
            f"/history/{alice.agent_id}/metrics/requests",
            params={"start": "-5m", "path": value},
            headers=alice.user.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["series"] == []
    # The same request as Bob sees his own data: the query itself works.
    own = await history_client.get(
        f"/history/{bob.agent_id}/metrics/requests",
        params={"start": "-5m", "path": "/"},
        headers=bob.user.headers,
    )
    assert next(v for v in own.json()["series"][0]["values"] if v is not None) == 7


async def test_nothing_of_another_organization_appears_on_any_chart(
    bob_has_data: None, alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    for endpoint in ENDPOINTS:
        response = await history_client.get(
            f"/history/{alice.agent_id}/{endpoint}",
            params={"start": "-5m"},
            headers=alice.user.headers,
        )
        assert response.status_code == 200, (endpoint, response.text)
        body = response.json()
        assert body.get("series", []) == [] and body.get("metrics", []) == [], endpoint
        if endpoint == "summary":
            assert all(v is None for stats in body["stats"].values() for v in stats.values())


BAD_RANGES = [
    ({"start": "-1h", "stop": "-2h"}, "start"),
    ({"start": "now", "stop": "now"}, "start"),
    ({"start": "-1000d"}, "start"),
    ({"start": "yesterday"}, "start"),
    ({"stop": "2024-13-45"}, "stop"),
]


async def test_bad_time_ranges_are_refused_naming_the_parameter(
    alice: Tenant, history_client: httpx.AsyncClient
) -> None:
    for params, named in BAD_RANGES:
        response = await history_client.get(
            f"/history/{alice.agent_id}/cpu", params=params, headers=alice.user.headers
        )
        assert response.status_code == 422, params
        assert response.json()["detail"].startswith(f"{named}:"), response.text
