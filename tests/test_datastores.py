"""Real PostgreSQL, Redis and VictoriaMetrics processes started by core.dev.datastores."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import httpx
import psycopg
import pytest
import redis

from core.dev.datastores import (
    DatastoreError,
    PostgresServer,
    RedisServer,
    VictoriaMetricsServer,
    free_port,
)
from harness.make_run import port_free
from harness.polling import eventually_sync


def vm_poll(url: str, path: str, query: dict[str, str], timeout: float = 10) -> httpx.Response:
    """GET until the answer holds data: fresh rows take about a second to become searchable,
    and /api/v1/export only sees them once flushed to disk parts."""

    def holding_data() -> httpx.Response | None:
        httpx.get(f"{url}/internal/force_flush", trust_env=False).raise_for_status()
        response = httpx.get(f"{url}{path}", params=query, trust_env=False)
        response.raise_for_status()
        return response if '"__name__"' in response.text else None

    return eventually_sync(holding_data, within=timeout, what=f"{path} holding data")


def test_free_port_is_bindable() -> None:
    assert port_free(free_port())


def test_postgres_data_survives_restart(tmp_path: Path) -> None:
    port = free_port()
    server = PostgresServer(tmp_path / "pg", port, durable=False)
    assert server.url == f"postgresql+asyncpg://statusmonitor@127.0.0.1:{port}/statusmonitor"
    assert server.dsn("other", driver="postgresql") == (
        f"postgresql://statusmonitor@127.0.0.1:{port}/other"
    )
    assert not server.is_running()
    server.stop()  # no-op when not running

    server.start()
    try:
        server.start()  # idempotent
        with psycopg.connect(server.dsn(driver="postgresql"), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (value text)")
            conn.execute("INSERT INTO kept VALUES ('before restart')")
        server.stop()
        assert not server.is_running()
        assert port_free(port)

        server.start()  # existing cluster: no second initdb, role and database still there
        with psycopg.connect(server.dsn(driver="postgresql")) as conn:
            query = "SELECT value, current_user, current_database() FROM kept"
            row = conn.execute(query).fetchone()
        assert row == ("before restart", "statusmonitor", "statusmonitor")
    finally:
        server.stop()
    assert port_free(port)


def test_postgres_custom_role_and_database(tmp_path: Path) -> None:
    with PostgresServer(
        tmp_path / "pg", free_port(), user="alice", database="inventory", durable=False
    ) as server:
        with psycopg.connect(server.dsn(driver="postgresql")) as conn:
            row = conn.execute("SELECT current_user, current_database()").fetchone()
        assert row == ("alice", "inventory")
    assert not server.is_running()


def test_redis_restart_without_persistence(tmp_path: Path) -> None:
    port = free_port()
    server = RedisServer(tmp_path / "redis", port, persist=False)
    assert server.url == f"redis://127.0.0.1:{port}/0"
    with server:
        client = redis.Redis.from_url(server.url)
        client.xadd("reports", {"cpu": "5"})
        assert client.xlen("reports") == 1
        client.close()
        server.stop()  # mid-test stop and start on the same data dir, as later tests do
        assert port_free(port)
        server.start()
        client = redis.Redis.from_url(server.url)
        assert client.ping()
        assert client.xlen("reports") == 0  # persist=False keeps nothing
        client.close()
    assert not server.is_running()
    assert port_free(port)
    assert not list((tmp_path / "redis").glob("appendonly*"))


def test_redis_persistent_stream_survives_restart(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis", free_port())
    with server:
        client = redis.Redis.from_url(server.url)
        client.xadd("reports", {"cpu": "5"})
        client.close()
    with server:
        client = redis.Redis.from_url(server.url, decode_responses=True)
        entries = client.xrange("reports")
        assert entries is not None
        assert [fields for _, fields in entries] == [{"cpu": "5"}]
        client.close()


def test_orphaned_server_is_adopted(tmp_path: Path) -> None:
    """A second object on the same data dir (e.g. after the first caller died) takes over."""
    port = free_port()
    first = RedisServer(tmp_path / "redis", port, persist=False)
    first.start()
    try:
        second = RedisServer(tmp_path / "redis", port, persist=False)
        assert second.is_running()
        second.start()  # already running: nothing to do, no port clash
        second.stop()
        assert port_free(port)
        assert not first.is_running()
    finally:
        first.stop()


def test_victoria_metrics_data_survives_restart(tmp_path: Path) -> None:
    port = free_port()
    server = VictoriaMetricsServer(tmp_path / "vm", port)
    assert server.url == f"http://127.0.0.1:{port}"
    with server:
        response = httpx.post(
            f"{server.url}/api/v2/write", content="cpu,host=web1 usage=42.5", trust_env=False
        )
        assert response.status_code == 204
        export = {"match[]": "cpu_usage"}
        assert '"host":"web1"' in vm_poll(server.url, "/api/v1/export", export).text
        server.stop()  # SIGTERM: VictoriaMetrics flushes to disk before exiting
        assert not server.is_running()
        assert port_free(port)
        server.start()
        assert '"values":[42.5]' in vm_poll(server.url, "/api/v1/export", export).text
        # A sample seconds old is visible to instant queries: the latency offset is 0s.
        query = vm_poll(server.url, "/api/v1/query", {"query": "cpu_usage"})
        assert query.json()["data"]["result"][0]["value"][1] == "42.5"
    assert port_free(port)


def test_victoria_metrics_drops_series_past_its_hourly_backstop(tmp_path: Path) -> None:
    with VictoriaMetricsServer(tmp_path / "vm", free_port(), max_hourly_series=100) as server:
        lines = "\n".join(f"flood,n={n} v=1" for n in range(150))
        response = httpx.post(f"{server.url}/api/v2/write", content=lines, trust_env=False)
        assert response.status_code == 204
        found = vm_poll(server.url, "/api/v1/series", {"match[]": "flood_v"}).json()["data"]
        assert 0 < len(found) < 150  # approximately 100: the limiter counts approximately
        metrics = httpx.get(f"{server.url}/metrics", trust_env=False).text
        assert "vm_hourly_series_limit_rows_dropped_total" in metrics


def test_make_run_and_test_datastores_bound_memory_and_series(tmp_path: Path) -> None:
    vm = VictoriaMetricsServer(tmp_path / "vm", free_port())
    assert "-storage.maxHourlySeries=2000000" in vm._command()
    assert "-storage.maxDailySeries=5000000" in vm._command()
    command = RedisServer(tmp_path / "redis", free_port(), maxmemory="256mb")._command()
    assert command[command.index("--maxmemory") :][:4] == [
        "--maxmemory", "256mb", "--maxmemory-policy", "noeviction"
    ]  # fmt: skip


def test_busy_port_is_reported(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(DatastoreError, match="already listens"):
            RedisServer(tmp_path / "redis", port).start()


def test_missing_binary_names_the_apt_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DatastoreError, match="apt-get install redis-server"):
        RedisServer(tmp_path / "redis", free_port()).start()
    with pytest.raises(DatastoreError, match="apt-get install victoria-metrics"):
        VictoriaMetricsServer(tmp_path / "vm", free_port()).start()


def test_startup_failure_shows_the_log(tmp_path: Path) -> None:
    server = VictoriaMetricsServer(tmp_path / "vm", free_port(), retention="not-a-duration")
    with pytest.raises(DatastoreError, match="exited during startup"):
        server.start(timeout=10)
    assert not server.is_running()


def test_postgres_socket_moves_to_tmp_when_the_path_is_too_long(tmp_path: Path) -> None:
    # No start: only where the unix socket would go (sun_path holds 107 usable bytes).
    assert PostgresServer(tmp_path, 55432).socket_dir == tmp_path.resolve()
    socket_dir = PostgresServer(tmp_path / ("x" * 120), 55432).socket_dir
    assert socket_dir.parent == Path(tempfile.gettempdir())
    assert len(str(socket_dir / ".s.PGSQL.55432.lock")) <= 107


def test_postgres_with_a_password_refuses_tcp_logins_without_it(tmp_path: Path) -> None:
    """make run's cluster: an older one (trust over TCP) gets password authentication on its
    next start, and a local process that knows only the port gets nowhere."""
    port = free_port()
    with PostgresServer(tmp_path / "pg", port, durable=False):
        pass  # a cluster as older versions made it: trust over TCP
    server = PostgresServer(tmp_path / "pg", port, durable=False, password="s3cret 'q\\")
    assert server.url == (
        f"postgresql+asyncpg://statusmonitor:s3cret%20%27q%5C@127.0.0.1:{port}/statusmonitor"
    )
    with server:
        bare = f"postgresql://statusmonitor@127.0.0.1:{port}/statusmonitor"
        superuser = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        for dsn in (bare, superuser, bare.replace("@", ":wrong@")):
            with pytest.raises(psycopg.OperationalError, match="password"):
                psycopg.connect(dsn).close()
        with psycopg.connect(server.dsn(driver="postgresql")) as conn:
            method = conn.execute(
                "SELECT rolpassword FROM pg_authid WHERE rolname = current_user"
            ).fetchone()
        assert method is not None and str(method[0]).startswith("SCRAM-SHA-256$")


def test_redis_with_a_password_refuses_commands_without_it(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis", free_port(), password="s3cret")
    assert server.url == f"redis://:s3cret@127.0.0.1:{server.port}/0"
    with server:
        anonymous = redis.Redis(port=server.port)
        with pytest.raises(redis.AuthenticationError):
            anonymous.set("agent-token:forged", "{}")
        anonymous.close()
        client = redis.Redis.from_url(server.url)
        assert client.ping()
        client.close()
        assert "s3cret" not in " ".join(server.command())  # `ps` shows the command line
    assert (tmp_path / "redis" / "redis.conf").stat().st_mode & 0o077 == 0
