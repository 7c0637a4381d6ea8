"""Redis, optionally persisting its data (AOF) like production, with a memory ceiling.

`maxmemory-policy noeviction`: at the ceiling Redis refuses writes instead of evicting keys.
Streams must never be evicted, and the other keys that carry a TTL are not all caches: the
login-failure counters, the agent-token revocation markers, the series counted per agent and
the Metrics Collection API's seen message ids would each weaken a guard if evicted under
memory pressure (an attacker could fill memory to reset them), which volatile-lru or
volatile-ttl would allow. Refusing is loud instead: ingestion answers 503 with Retry-After,
agents keep their reports on disk and retry, consumers keep reading and trimming (XREADGROUP,
XACK and XTRIM are allowed at the ceiling), and the alert worker warns at 80 % of it
(alert_service/domain/redis_memory.py).
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path

from core.bounds import DEFAULT_REDIS_MAXMEMORY
from core.dev.datastores._process import (
    _find_binary,
    _ServerProcess,
)

logger = logging.getLogger(__name__)


def _redis_ping(port: int) -> bool:
    # A raw PING keeps this module free of client libraries; "-LOADING" while an AOF is
    # replayed counts as not ready yet.
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer(_ServerProcess):
    """A Redis server bound to 127.0.0.1:`port`, its files in `data_dir`."""

    name = "redis"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        persist: bool = True,
        maxmemory: str = DEFAULT_REDIS_MAXMEMORY,
    ) -> None:
        super().__init__(data_dir, port)
        self.persist = persist
        self.maxmemory = maxmemory  # as Redis reads it: 1gb, 512mb, 1073741824

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _binary(self) -> str:
        return _find_binary("redis-server", "redis-server")

    def _command(self) -> list[str]:
        command = [self._binary(), "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--dir", str(self.data_dir), "--daemonize", "no"]
        command += ["--maxmemory", self.maxmemory, "--maxmemory-policy", "noeviction"]
        if self.persist:
            # `make run`: the append-only file keeps streams (unacked reports) across restarts.
            command += ["--appendonly", "yes"]
        else:
            command += ["--save", "", "--appendonly", "no"]  # tests: never touch the disk
        return command

    def _is_ready(self) -> bool:
        return _redis_ping(self.port)
