"""One agent token cannot make the platform store without bound: every list, map and label of
every format has a limit, a request over it is refused with a 4xx naming it, and nothing of
it reaches the stream (the attack: a 0.96 MB /ingest with 480,000 per-core values used to
become a 20.5 MB stream entry and live frame, and 467,804 series)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest
from redis.asyncio import Redis

from core import bounds
from core.settings import Settings
from core.streams import REPORTS_STREAM
from harness.clients import asgi_client
from harness.factories import Agent
from ingestion_service.app import create_app
from ingestion_service.config import IngestSettings
from tests.ingestion.helpers import minimal_payload, stream_reports


async def _refused(response: httpx.Response, redis: Redis, status: int, *named: str) -> str:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    detail: str = body.get("detail") or body["message"]  # InfluxDB clients get "message"
    for text in named:
        assert text in detail, detail
    assert await redis.xlen(REPORTS_STREAM) == 0
    return detail


async def test_half_a_million_per_core_values_are_refused_naming_the_limit(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    payload = minimal_payload()
    payload["cpu"]["per_core_usage"] = [0] * 480_000
    body = orjson.dumps(payload)
    assert 0.9e6 < len(body) < 1_000_000  # under the body limit: only the list is too long
    response = await ingest.post("/ingest", headers=agent.headers, content=body)
    await _refused(response, redis, 422, "$.cpu.per_core_usage", f"<= {bounds.MAX_CORES}")


def _with(path: str, value: Any) -> dict[str, Any]:
    payload = minimal_payload()
    *parents, last = path.split(".")
    node = payload
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return payload


_PARTITION = {"mountpoint": "/", "percent": 1.0}
_OVER_THE_LIMIT = [
    ("cpu.per_core_freq", [1.0] * (bounds.MAX_CORES + 1), bounds.MAX_CORES),
    ("cpu.load_avg", [1.0] * 4, bounds.MAX_LOAD_AVERAGES),
    ("partitions", [_PARTITION] * (bounds.MAX_PARTITIONS + 1), bounds.MAX_PARTITIONS),
    (
        "network.interfaces",
        {f"veth{i}": {} for i in range(bounds.MAX_INTERFACES + 1)},
        bounds.MAX_INTERFACES,
    ),
    ("temperatures", {f"s{i}": 40.0 for i in range(bounds.MAX_SENSORS + 1)}, bounds.MAX_SENSORS),
    ("host_info.hostname", "h" * 300, bounds.MAX_HOST_TEXT_LENGTH),
]


@pytest.mark.parametrize(("path", "value", "limit"), _OVER_THE_LIMIT)
async def test_every_list_map_and_text_of_the_agent_payload_is_bounded(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, path: str, value: Any, limit: int
) -> None:
    response = await ingest.post("/ingest", headers=agent.headers, json=_with(path, value))
    await _refused(response, redis, 422, f"$.{path}", f"<= {limit}")


async def test_a_batch_over_the_report_limit_is_refused(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    batch = {"reports": [minimal_payload()] * (bounds.MAX_BATCH_REPORTS + 1)}
    response = await ingest.post("/ingest/batch", headers=agent.headers, json=batch)
    await _refused(response, redis, 422, "$.reports", f"<= {bounds.MAX_BATCH_REPORTS}")


async def test_a_batch_that_would_store_too_many_bytes_is_refused_with_413(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    # Each report is valid (1,024 cores twice, 7 KB of JSON) but becomes ~90 KB on the
    # stream; 110 of them would store ~10 MB from a 0.8 MB body.
    report = _with("cpu.per_core_freq", [3000] * bounds.MAX_CORES)
    report["cpu"]["per_core_usage"] = [1] * bounds.MAX_CORES
    response = await ingest.post(
        "/ingest/batch", headers=agent.headers, json={"reports": [report] * 110}
    )
    await _refused(response, redis, 413, "INGEST_MAX_REQUEST_REPORT_BYTES")
    accepted = await ingest.post("/ingest/batch", headers=agent.headers, json={"reports": [report]})
    assert accepted.status_code == 200, accepted.text


@pytest.mark.parametrize("character", ["\n", "\r", "\x00", "\x1b", "\x85"])
async def test_label_values_the_history_store_cannot_keep_are_refused_in_every_format(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, character: str
) -> None:
    bad = f"eth{character}0"
    code = f"U+{ord(character):04X}"
    for path, value, named in (
        ("partitions", [{"mountpoint": f"/mnt{character}x", "percent": 1}], "mountpoint"),
        ("network.interfaces", {bad: {}}, "$.network.interfaces"),
        ("temperatures", {bad: 40.0}, "$.temperatures"),
        ("host_info.hostname", bad, "$.host_info.hostname"),
    ):
        response = await ingest.post("/ingest", headers=agent.headers, json=_with(path, value))
        await _refused(response, redis, 422, named, code)
    message = {
        "message_id": "m-1",
        "timestamp": time.time(),
        "device_id": bad,
        "metrics": [{"metric_name": "x", "metric_value": 1}],
    }
    response = await ingest.post("/api/metrics", headers={"X-API-Key": agent.token}, json=message)
    await _refused(response, redis, 422, "$.device_id", code)
    flat = {"cpu_pct": 1.0, "kernel_name": bad}
    response = await ingest.post(
        "/report", headers={"Authorization": f"Bearer {agent.token}"}, json=flat
    )
    await _refused(response, redis, 422, "$.kernel_name", code)
    if character != "\n":  # a newline ends a line protocol line; the rest sit inside a tag
        influx = {"Authorization": f"Token {agent.token}"}
        response = await ingest.post("/api/v2/write", headers=influx, content=f"m,t={bad} v=1")
        await _refused(response, redis, 422, "line 1", "tag t", code)


async def test_tabs_unicode_and_line_protocol_escapes_are_accepted(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    fine = 'C:\\Program Files\ttab, = "q" é 中'
    response = await ingest.post(
        "/ingest", headers=agent.headers, json=_with("temperatures", {fine[:60]: 40.0})
    )
    assert response.status_code == 200, response.text
    [(_, report)] = await stream_reports(redis)
    assert report.series[0].labels == {"sensor": fine[:60]}


async def test_metrics_collection_api_messages_are_bounded(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    metrics = [
        {"metric_name": f"m{i}", "metric_value": 1} for i in range(bounds.MAX_CUSTOM_METRICS + 1)
    ]
    message = {"message_id": "big", "timestamp": time.time(), "metrics": metrics}
    response = await ingest.post("/api/metrics", headers={"X-API-Key": agent.token}, json=message)
    await _refused(response, redis, 422, "$.metrics", f"<= {bounds.MAX_CUSTOM_METRICS}")


def _line(tags: int = 1, fields: int = 1, key: str = "t") -> str:
    tag_text = "".join(f",{key}{i}=v" for i in range(tags))
    field_text = ",".join(f"f{i}=1" for i in range(fields))
    return f"m{tag_text} {field_text}"


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ("\n".join(["m v=1"] * (bounds.MAX_LINES + 1)), 413, f"limit is {bounds.MAX_LINES}"),
        (
            _line(fields=bounds.MAX_FIELDS_PER_LINE + 1),
            422,
            f"limit is {bounds.MAX_FIELDS_PER_LINE}",
        ),
        (_line(tags=bounds.MAX_LABELS + 1), 422, f"limit is {bounds.MAX_LABELS}"),
        (_line(key="k" * 70), 422, f"longer than {bounds.MAX_LABEL_KEY_LENGTH}"),
        (f"m,t={'x' * 1025} v=1", 422, f"longer than {bounds.MAX_LABEL_VALUE_LENGTH}"),
        (f"{'m' * 201} v=1", 422, "longer than 200"),
    ],
)
async def test_line_protocol_writes_are_bounded(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis, body: str, status: int, named: str
) -> None:
    influx = {"Authorization": f"Token {agent.token}"}
    response = await ingest.post("/api/v2/write", headers=influx, content=body)
    await _refused(response, redis, status, named)


async def test_a_big_line_protocol_write_is_split_into_bounded_stream_entries(
    ingest: httpx.AsyncClient, agent: Agent, redis: Redis
) -> None:
    now = int(time.time())
    lines = "\n".join(f"m,host=h{i} a=1,b=2,c=3 {now}" for i in range(2000))
    influx = {"Authorization": f"Token {agent.token}"}
    response = await ingest.post(
        "/api/v2/write", params={"precision": "s"}, headers=influx, content=lines
    )
    assert response.status_code == 204, response.text
    reports = [report for _, report in await stream_reports(redis)]
    assert [len(r.series) for r in reports] == [bounds.MAX_SAMPLES_PER_REPORT] * 3
    assert {r.ts for r in reports} == {now}


async def test_the_seen_message_ids_of_an_agent_are_bounded_in_count_and_age(
    settings: Settings, agent: Agent, redis: Redis
) -> None:
    options = IngestSettings(dedup_max_ids=5)
    headers = {"X-API-Key": agent.token}

    async def send(client: httpx.AsyncClient, message_id: str) -> None:
        metrics = [{"metric_name": "x", "metric_value": 1}]
        message = {"message_id": message_id, "timestamp": time.time(), "metrics": metrics}
        response = await client.post("/api/metrics", headers=headers, json=message)
        assert response.status_code == 200, response.text

    async with asgi_client(create_app(settings, options)) as client:
        for index in range(50):
            await send(client, f"m-{index}")
        keys = [key async for key in redis.scan_iter("ingest:api-metrics:seen:*")]
        assert keys == [f"ingest:api-metrics:seen:{agent.id}"]
        assert await redis.zcard(keys[0]) == 5
        assert 0 < await redis.ttl(keys[0]) <= options.dedup_seconds
        await send(client, "m-49")  # still remembered: stored once
        assert await redis.xlen(REPORTS_STREAM) == 50
        await send(client, "m-0")  # forgotten, the oldest first: stored again
        assert await redis.xlen(REPORTS_STREAM) == 51
