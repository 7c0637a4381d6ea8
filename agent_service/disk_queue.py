"""The on-disk backlog: reports the server has not accepted yet, oldest first.

SQLite in WAL mode survives crashes and restarts. It is bounded by age and size; when a bound
is hit the oldest reports are dropped and counted (persistently), never the newest.
Payloads are stored exactly as they are sent: gzip-compressed JSON.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    size INTEGER NOT NULL,
    payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
# The oldest rows whose sizes add up to at least the excess (a running sum over id order).
DROP_OLDEST_BYTES = """
DELETE FROM reports WHERE id <= (
    SELECT MIN(id) FROM (SELECT id, SUM(size) OVER (ORDER BY id) AS running FROM reports)
    WHERE running >= ?
)
"""


class DiskQueue:
    def __init__(self, path: Path, max_age_s: float, max_bytes: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._max_age_s = max_age_s
        self._max_bytes = max_bytes
        # Writes run in `with self._db:` blocks: one transaction, committed or rolled back whole.
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # an appended report survives a power cut
        self._db.executescript(SCHEMA)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])

    def is_empty(self) -> bool:
        return self._db.execute("SELECT 1 FROM reports LIMIT 1").fetchone() is None

    def append(self, payload: bytes, created_at: float | None = None) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO reports (created_at, size, payload) VALUES (?, ?, ?)",
                (created_at or time.time(), len(payload), payload),
            )
            self._enforce_limits()

    def oldest(self, limit: int) -> list[tuple[int, bytes]]:
        rows = self._db.execute("SELECT id, payload FROM reports ORDER BY id LIMIT ?", (limit,))
        return [(int(row_id), bytes(payload)) for row_id, payload in rows]

    def delete(self, ids: list[int]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM reports WHERE id = ?", [(i,) for i in ids])

    def drop(self, ids: list[int], reason: str) -> None:
        """Delete reports that will never be delivered, counting them under `reason`."""
        with self._db:
            self._db.executemany("DELETE FROM reports WHERE id = ?", [(i,) for i in ids])
            self._count(f"dropped_{reason}", len(ids))

    def count_drop(self, reason: str, count: int = 1) -> None:
        """Count a report dropped before it reached the queue (e.g. rejected by the server)."""
        with self._db:
            self._count(f"dropped_{reason}", count)

    def counters(self) -> dict[str, int]:
        return {name: int(value) for name, value in self._db.execute("SELECT * FROM counters")}

    def close(self) -> None:
        # Fold the WAL back into the main file so the queue is one self-contained file at rest.
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    def _enforce_limits(self) -> None:
        expired = self._db.execute(
            "DELETE FROM reports WHERE created_at < ?", (time.time() - self._max_age_s,)
        ).rowcount
        self._count("dropped_expired", expired)
        total = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM reports").fetchone()[0]
        overflow = 0
        if total > self._max_bytes:
            overflow = self._db.execute(DROP_OLDEST_BYTES, (total - self._max_bytes,)).rowcount
            self._count("dropped_overflow", overflow)
        if expired or overflow:
            log.warning(
                "queue full: dropped the %d oldest reports (%d older than %.0f h, %d over %.0f MB)",
                expired + overflow,
                expired,
                self._max_age_s / 3600,
                overflow,
                self._max_bytes / 2**20,
            )

    def _count(self, name: str, count: int) -> None:
        if count:
            self._db.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
                (name, count),
            )
