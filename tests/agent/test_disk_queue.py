"""The on-disk backlog: ordered, bounded by age and size (oldest dropped, counted), durable."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from agent_service.disk_queue import DiskQueue

MB = 1024 * 1024


def open_queue(path: Path, max_age_s: float = 3600, max_bytes: int = 100 * MB) -> DiskQueue:
    return DiskQueue(path, max_age_s=max_age_s, max_bytes=max_bytes)


def payloads(queue: DiskQueue) -> list[bytes]:
    return [payload for _, payload in queue.oldest(1000)]


def test_queue_keeps_order_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "queue.sqlite3"
    queue = open_queue(path)
    for n in range(5):
        queue.append(b"report-%d" % n)
    queue.delete([row_id for row_id, _ in queue.oldest(2)])
    queue.close()

    with closing(sqlite3.connect(path)) as db:  # what any SQLite client sees in the file
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 3
    reopened = open_queue(path)
    assert payloads(reopened) == [b"report-2", b"report-3", b"report-4"]
    reopened.close()


def test_over_the_size_limit_the_oldest_reports_are_dropped_and_counted(tmp_path: Path) -> None:
    queue = open_queue(tmp_path / "q.sqlite3", max_bytes=1 * MB)
    chunk = 300 * 1024
    for n in range(5):
        queue.append(bytes([n]) * chunk)
    # 5 x 300 KiB does not fit in 1 MiB: the two oldest go, the three newest stay.
    assert [p[0] for p in payloads(queue)] == [2, 3, 4]
    assert queue.counters() == {"dropped_overflow": 2}
    queue.close()
    assert open_queue(tmp_path / "q.sqlite3").counters() == {"dropped_overflow": 2}


def test_reports_older_than_the_age_limit_are_dropped_and_counted(tmp_path: Path) -> None:
    queue = open_queue(tmp_path / "q.sqlite3", max_age_s=3600)
    now = time.time()
    queue.append(b"two hours old", created_at=now - 7200)
    queue.append(b"ninety minutes old", created_at=now - 5400)
    queue.append(b"fresh", created_at=now)
    assert payloads(queue) == [b"fresh"]
    assert queue.counters() == {"dropped_expired": 2}


def test_reports_dropped_for_a_reason_are_counted_under_it(tmp_path: Path) -> None:
    queue = open_queue(tmp_path / "q.sqlite3")
    queue.append(b"a")
    queue.append(b"b")
    queue.drop([row_id for row_id, _ in queue.oldest(1)], "rejected")
    queue.count_drop("rejected")
    assert payloads(queue) == [b"b"]
    assert queue.counters() == {"dropped_rejected": 2}
