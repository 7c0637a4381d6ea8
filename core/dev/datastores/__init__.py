"""Start and stop real local PostgreSQL, Redis and VictoriaMetrics servers.

Two callers: the pytest harness (throwaway instances in a temp dir on free ports) and
`make run` (persistent instances under ./.data on fixed ports). Each server is a child
process in its own session, so a Ctrl-C in the terminal reaches only the caller, which then
stops the servers itself. Each server also leaves a pid file in its data dir: a server that a
crashed caller left running is adopted (is_running() is True, stop() stops it) rather than
making the next start() fail on a busy port.
"""

from core.dev.datastores._process import DatastoreError, free_port
from core.dev.datastores.postgres import PostgresServer
from core.dev.datastores.redis_server import RedisServer
from core.dev.datastores.victoria_metrics import VictoriaMetricsServer

__all__ = [
    "DatastoreError",
    "PostgresServer",
    "RedisServer",
    "VictoriaMetricsServer",
    "free_port",
]
