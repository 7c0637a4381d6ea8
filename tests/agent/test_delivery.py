"""Delivery against a real HTTP server: gzip, token, outage buffering, in-order replay, refusals.

The agent runs in-process here (with a short interval) so each scenario takes a second or two;
test_agent_process.py covers the same paths through the real `python -m agent_service`.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent_service.agent import Agent, Timing
from agent_service.collector import Collector
from agent_service.disk_queue import DiskQueue
from agent_service.sender import Sender
from core.schemas.agent_payload import agent_batch_decoder, agent_payload_decoder
from harness.agent import queued_count
from harness.agent_recorder import RecordingServer
from harness.polling import eventually

TOKEN = "sm_delivery_test_token"
FAST = Timing(interval=0.2, first_delay_max=0, backoff_base=0.2, backoff_cap=1)


class RunningAgent:
    """One agent wired to the recorder, remembering every report it collected."""

    def __init__(self, recorder: RecordingServer, tmp_path: Path, timing: Timing = FAST) -> None:
        self.queue = DiskQueue(tmp_path / "queue.sqlite3", max_age_s=3600, max_bytes=2**27)
        self.collected: list[str] = []
        self._collector = Collector(timing.interval, recorder.url)
        self._sender = Sender(recorder.url, TOKEN)
        self._stop = asyncio.Event()
        self._agent = Agent(self._collect, self._sender, self.queue, timing, self._stop)

    def queue_report(self) -> str:
        """A report left in the queue by an earlier outage."""
        report = self._collect()
        self.queue.append(gzip.compress(json.dumps(report).encode()))
        return str(report["report_id"])

    def start(self) -> None:
        self._task = asyncio.create_task(self._agent.run())

    async def stop(self) -> int:
        """SIGTERM's effect: the exit code the agent's run ends with."""
        self._stop.set()
        code = await self._task
        await self._sender.aclose()
        return code

    async def run_until(self, condition: Callable[[], object]) -> int:
        self.start()
        try:
            await eventually(lambda: condition() or self._task.done(), interval=0.05)
        finally:
            code = await self.stop()
        return code

    def _collect(self) -> dict[str, Any]:
        report = self._collector.collect()
        self.collected.append(report["report_id"])
        return report


def ids(reports: list[dict[str, Any]]) -> list[str]:
    return [report["report_id"] for report in reports]


async def test_reports_are_gzipped_json_carrying_the_agent_token(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    agent = RunningAgent(recorder, tmp_path)
    assert await agent.run_until(lambda: len(recorder.requests) >= 2) == 0
    for request in recorder.requests:
        assert request.path == "/ingest"
        assert request.headers["x-agent-token"] == TOKEN
        assert request.headers["content-encoding"] == "gzip"
        assert gzip.decompress(request.raw) == request.body
        agent_payload_decoder.decode(request.body)
    assert ids(recorder.accepted_reports()) == agent.collected


async def test_an_outage_is_buffered_on_disk_and_replayed_in_order_exactly_once(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    recorder.reply(503)
    agent = RunningAgent(recorder, tmp_path)
    agent.start()
    await eventually(lambda: queued_count(agent.queue.path) >= 4, interval=0.05)
    refused = [r for r in recorder.requests if r.status == 503]
    assert refused and not recorder.accepted_reports()

    recorder.reply(200)

    def backlog_then_live() -> bool:
        paths = [r.path for r in recorder.requests if r.status == 200]
        return "/ingest/batch" in paths and paths[-2:] == ["/ingest", "/ingest"]

    await eventually(backlog_then_live, interval=0.05)
    assert await agent.stop() == 0
    accepted = ids(recorder.accepted_reports())
    # Every report collected arrives once, in collection order, the backlog as one batch.
    assert accepted == agent.collected
    assert len(set(accepted)) == len(accepted)
    assert {i for r in refused for i in ids(r.reports())} <= set(accepted)
    batch = next(r for r in recorder.requests if r.status == 200)
    assert batch.path == "/ingest/batch"
    assert len(agent_batch_decoder.decode(batch.body).reports) >= 4
    assert queued_count(agent.queue.path) == 0


async def test_retry_after_is_honoured(recorder: RecordingServer, tmp_path: Path) -> None:
    recorder.reply_once(429, {"Retry-After": "1"})
    agent = RunningAgent(recorder, tmp_path)
    await agent.run_until(lambda: len(recorder.accepted_reports()) >= 3)
    refused, retried = recorder.requests[0], recorder.requests[1]
    assert refused.status == 429
    # Without Retry-After the backoff would have retried after 0.2 s.
    assert retried.at - refused.at >= 1.0
    assert ids(recorder.accepted_reports()) == agent.collected


async def test_a_rejected_token_stops_the_agent_and_keeps_the_report(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    recorder.reply(401)
    agent = RunningAgent(recorder, tmp_path)
    assert await agent.run_until(lambda: False) == 3
    assert len(recorder.requests) == 1
    assert [json.loads(gzip.decompress(p))["report_id"] for _, p in agent.queue.oldest(5)] == (
        agent.collected
    )


async def test_a_server_without_the_batch_endpoint_gets_the_backlog_one_by_one(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    recorder.reply(404, path="/ingest/batch")
    agent = RunningAgent(recorder, tmp_path)
    backlog = [agent.queue_report() for _ in range(3)]
    await agent.run_until(lambda: len(recorder.accepted_reports()) >= 5)
    assert ids(recorder.accepted_reports()) == agent.collected
    assert ids(recorder.accepted_reports())[:3] == backlog
    assert [r.path for r in recorder.requests[1:]] == ["/ingest"] * (len(recorder.requests) - 1)


async def test_a_batch_too_large_for_the_server_is_split(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    recorder.reply_once(413, path="/ingest/batch")
    agent = RunningAgent(recorder, tmp_path)
    backlog = [agent.queue_report() for _ in range(6)]
    await agent.run_until(lambda: len(agent.queue) == 0 and recorder.accepted_reports())
    batches = [(r.status, len(r.reports())) for r in recorder.requests if r.path == "/ingest/batch"]
    assert batches[:3] == [(413, 7), (200, 3), (200, 3)]
    assert ids(recorder.accepted_reports())[:6] == backlog


async def test_a_batch_the_server_rejects_is_dropped_and_counted(
    recorder: RecordingServer, tmp_path: Path
) -> None:
    recorder.reply_once(422, path="/ingest/batch")
    agent = RunningAgent(recorder, tmp_path)
    backlog = [agent.queue_report() for _ in range(2)]
    await agent.run_until(lambda: len(recorder.accepted_reports()) >= 2)
    # The refused batch (the backlog and the report queued behind it) is gone, counted;
    # reports collected afterwards flow again.
    assert agent.queue.counters() == {"dropped_rejected": 3}
    assert not set(backlog) & set(ids(recorder.accepted_reports()))
    assert ids(recorder.accepted_reports()) == agent.collected[3:]


async def test_an_https_server_is_verified_against_the_hosts_trust_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with RecordingServer(tls).running() as recorder:
        untrusted = RunningAgent(recorder, tmp_path / "untrusted")
        await untrusted.run_until(lambda: len(untrusted.queue) >= 1)
        assert not recorder.requests  # the handshake failed: nothing was sent

        # The admin installs the server's certificate: SSL_CERT_FILE, as OpenSSL reads it.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        trusted = RunningAgent(recorder, tmp_path / "trusted")
        await trusted.run_until(lambda: recorder.accepted_reports())
        assert ids(recorder.accepted_reports()) == trusted.collected


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "server.pem", directory / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key
