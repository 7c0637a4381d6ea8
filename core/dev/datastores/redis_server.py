"""Redis, optionally persisting its data (AOF) like production and with a password, with a
memory ceiling.

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
import os
import socket
from pathlib import Path
from urllib.parse import quote

from core.bounds import DEFAULT_REDIS_MAXMEMORY
from core.dev.datastores._process import (
    _find_binary,
    _ServerProcess,
)

logger = logging.getLogger(__name__)


def _resp(*parts: str) -> bytes:
    """One command in RESP, so a password never needs inline-protocol quoting."""
    encoded = [part.encode() for part in parts]
    return b"".join([b"*%d\r\n" % len(encoded), *(b"$%d\r\n%s\r\n" % (len(p), p) for p in encoded)])


def _redis_ping(port: int, password: str | None = None) -> bool:
    # A raw PING keeps this module free of client libraries; "-LOADING" while an AOF is
    # replayed counts as not ready yet.
    request = (_resp("AUTH", password) if password is not None else b"") + _resp("PING")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(request)
            reply = b""
            while reply.count(b"\r\n") < (2 if password is not None else 1):
                chunk = conn.recv(256)
                if not chunk:
                    return False
                reply += chunk
            return reply.endswith(b"+PONG\r\n")
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
        password: str | None = None,
    ) -> None:
        super().__init__(data_dir, port)
        if password is not None and (not password.isprintable() or '"' in password):
            raise ValueError("the Redis password must be printable and without double quotes")
        self.persist = persist
        self.maxmemory = maxmemory  # as Redis reads it: 1gb, 512mb, 1073741824
        self.password = password

    @property
    def url(self) -> str:
        auth = f":{quote(self.password, safe='')}@" if self.password is not None else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def _config_path(self) -> Path:
        return self.data_dir / "redis.conf"

    def _binary(self) -> str:
        return _find_binary("redis-server", "redis-server")

    def _prepare(self, timeout: float) -> None:
        # The password goes into a 0600 file: on the command line `ps` would show it.
        if self.password is not None:
            fd = os.open(self._config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(f'requirepass "{self.password}"\n')
        else:
            self._config_path.unlink(missing_ok=True)

    def _command(self) -> list[str]:
        command = [self._binary(), "--bind", "127.0.0.1", "--port", str(self.port)]
        if self.password is not None:
            command.insert(1, str(self._config_path))  # a config file must come first
        command += ["--dir", str(self.data_dir), "--daemonize", "no"]
        command += ["--maxmemory", self.maxmemory, "--maxmemory-policy", "noeviction"]
        if self.persist:
            # `make run`: the append-only file keeps streams (unacked reports) across restarts.
            # everysec: each write reaches the OS before Redis answers, so a crash of Redis
            # alone loses nothing; a crash of the machine loses up to about a second.
            command += ["--appendonly", "yes", "--appendfsync", "everysec"]
        else:
            command += ["--save", "", "--appendonly", "no"]  # tests: never touch the disk
        return command

    def _is_ready(self) -> bool:
        return _redis_ping(self.port, self.password)
