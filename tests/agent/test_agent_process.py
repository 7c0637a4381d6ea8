"""The real agent process, `python -m agent_service`, configured from the environment."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from core.dev.datastores import free_port
from core.schemas.agent_payload import agent_payload_decoder
from harness.agent import (
    AgentProcess,
    agent_env,
    queued_count,
    queued_report_ids,
)
from harness.agent_recorder import RecordingServer
from harness.polling import eventually_sync

TOKEN = "sm_process_test_token"


def start_agent(home: Path, url: str, tmp_path: Path, **variables: str) -> AgentProcess:
    env = agent_env(
        home, INGESTION_URL=url, AGENT_TOKEN=TOKEN, COLLECTION_INTERVAL="1", **variables
    )
    return AgentProcess(env, tmp_path / "agent.log")


def test_agent_reports_every_interval_and_exits_cleanly_on_sigterm(
    recorder: RecordingServer, agent_home: Path, tmp_path: Path
) -> None:
    agent = start_agent(agent_home, recorder.url, tmp_path)
    try:
        eventually_sync(
            lambda: len(recorder.accepted_reports()) >= 2, interval=0.05, what="two reports"
        )
    finally:
        assert agent.terminate(timeout=5) == 0
    reports = recorder.accepted_reports()
    for request in recorder.requests:
        agent_payload_decoder.decode(request.body)
        assert request.headers["x-agent-token"] == TOKEN
    assert "host_info" in reports[0] and "host_info" not in reports[1]
    assert TOKEN not in agent.logs()


def test_reports_queued_while_the_server_is_down_are_replayed_by_the_next_run(
    recorder: RecordingServer, agent_home: Path, tmp_path: Path
) -> None:
    queue = agent_home / ".statusmonitor" / "queue.sqlite3"
    nothing_listens = f"http://127.0.0.1:{free_port()}"
    agent = start_agent(agent_home, nothing_listens, tmp_path)
    try:
        eventually_sync(
            lambda: queued_count(queue) >= 2, interval=0.05, what="reports queued on disk"
        )
    finally:
        assert agent.terminate(timeout=5) == 0
    queued = queued_report_ids(queue)
    assert "server unavailable" in agent.logs()

    agent = start_agent(agent_home, recorder.url, tmp_path)
    try:
        eventually_sync(
            lambda: len(recorder.accepted_reports()) > len(queued), interval=0.05, what="the replay"
        )
    finally:
        assert agent.terminate(timeout=5) == 0
    assert recorder.requests[0].path == "/ingest/batch"
    accepted = [report["report_id"] for report in recorder.accepted_reports()]
    assert accepted[: len(queued)] == queued
    assert len(set(accepted)) == len(accepted)
    assert queued_count(queue) == 0


def test_sigterm_during_a_hanging_request_exits_promptly_and_keeps_the_report(
    agent_home: Path, tmp_path: Path
) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        silent.settimeout(15)
        queue = tmp_path / "queue.sqlite3"
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        agent = start_agent(agent_home, url, tmp_path, AGENT_QUEUE_PATH=str(queue))
        connection, _ = silent.accept()  # the first report is now in flight
        assert agent.terminate(timeout=5) == 0
        connection.close()
    assert queued_count(queue) == 1


def test_a_rejected_token_exits_with_code_3_and_says_what_to_do(
    recorder: RecordingServer, agent_home: Path, tmp_path: Path
) -> None:
    recorder.reply(401)
    agent = start_agent(agent_home, recorder.url, tmp_path)
    try:
        code = agent.wait(timeout=15)
    finally:
        agent.kill()
    assert code == 3
    assert "agent token rejected" in agent.logs()
    assert "create a new one in the dashboard" in agent.logs()
    assert TOKEN not in agent.logs()
    assert len(recorder.requests) == 1


def test_a_missing_token_exits_with_code_2_and_names_the_setting(
    agent_home: Path, tmp_path: Path
) -> None:
    agent = AgentProcess(agent_env(agent_home, INGESTION_URL="http://x"), tmp_path / "agent.log")
    assert agent.wait(timeout=15) == 2
    assert "AGENT_TOKEN" in agent.logs()


def test_the_agent_needs_only_psutil_and_httpx() -> None:
    """It is installed on monitored hosts, without the platform's server-side dependencies."""
    probe = "import sys, agent_service.main; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    top_level = {name.split(".")[0] for name in loaded}
    forbidden = {"core", "fastapi", "pydantic", "pydantic_settings", "sqlalchemy", "redis"}
    assert not top_level & forbidden
    assert {"psutil", "httpx"} <= top_level
