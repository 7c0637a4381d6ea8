"""The real agent process (`python -m agent_service`) as the tests start and stop it."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

AGENT_VARIABLES = (
    "INGESTION_URL",
    "AGENT_TOKEN",
    "COLLECTION_INTERVAL",
    "INTERVAL",
    "AGENT_QUEUE_PATH",
    "AGENT_QUEUE_MAX_AGE_HOURS",
    "AGENT_QUEUE_MAX_MB",
    "HOST_PROC",
    "HOST_ROOT",
)
REPO = Path(__file__).resolve().parents[1]


def agent_env(home: Path, **variables: str) -> dict[str, str]:
    """This environment without any agent settings, with its own HOME, plus `variables`."""
    inherited = {k: v for k, v in os.environ.items() if k not in AGENT_VARIABLES}
    return {**inherited, "HOME": str(home), **variables}


class AgentProcess:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "agent_service"],
                env=env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait(self, timeout: float = 10) -> int:
        return self.process.wait(timeout)

    def terminate(self, timeout: float = 10) -> int:
        """SIGTERM, then the exit code; a process that does not stop in time fails the test."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"agent ignored SIGTERM for {timeout}s:\n{self.logs()}") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def queued_count(queue_path: Path) -> int:
    """Reports waiting in an agent's queue file, read as any SQLite client would."""
    if not queue_path.exists():
        return 0
    with closing(sqlite3.connect(queue_path)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        except sqlite3.OperationalError:  # the agent is still creating the file's schema
            return 0


def queued_report_ids(queue_path: Path) -> list[str]:
    """The report_ids waiting in an agent's queue file, oldest first."""
    with closing(sqlite3.connect(queue_path)) as db:
        rows = db.execute("SELECT payload FROM reports ORDER BY id").fetchall()
    return [json.loads(gzip.decompress(payload))["report_id"] for (payload,) in rows]
