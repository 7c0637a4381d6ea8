"""`make run`: the whole platform in the foreground; Ctrl-C or SIGTERM stops all of it.

Start-up order: supervisord (deploy/supervisor.py) with the own PostgreSQL, Redis and
VictoriaMetrics under the data dir (each unless DATABASE_URL / REDIS_URL / TSDB_URL is set),
migrations, the first admin, then every service and worker of deploy/services.py and the
nginx gateway. supervisord restarts whatever dies; shutdown stops the platform first and the
datastores last.

Optional environment: RUN_DATA_DIR (./.data), RUN_PG_PORT (55432), RUN_REDIS_PORT (56379),
RUN_TSDB_PORT (58428), GATEWAY_HOST (0.0.0.0), GATEWAY_PORT (8080), RUN_START_TIMEOUT
(60 s), RUN_<SERVICE>_PORT and RUN_<SERVICE>_APP, ADMIN_EMAIL, ADMIN_PASSWORD, SECRET_KEY.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shlex
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import ClassVar, Protocol
from urllib.parse import urlsplit

from core import bounds
from core.dev.datastores import (
    DatastoreError,
    PostgresServer,
    RedisServer,
    VictoriaMetricsServer,
)
from deploy.gateway import (
    GATEWAY_PROCESS,
    Gateway,
    GatewayError,
    platform_programs,
    static_root,
    write_nginx_conf,
)
from deploy.services import Service, configured
from deploy.status import Banner, wait_until_healthy
from deploy.supervisor import DATASTORES_GROUP, PLATFORM_GROUP, Program, Supervisor, render_config

log = logging.getLogger("deploy.run")

ROOT = Path(__file__).resolve().parents[1]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# supervisord gives each program its stopwaitsecs (datastores 30 s) before SIGKILL.
SUPERVISOR_STOP_WAIT = 90.0
DATASTORE_STOP_WAIT = 30.0
DEFAULT_ADMIN_EMAIL = "admin@localhost"  # what core.admin uses without ADMIN_EMAIL
# Files older versions left in the data dir that nothing reads any more.
OBSOLETE_RUN_FILES = ("Procfile", "run.env")

SignalHandler = Callable[[int, FrameType | None], object]


class RunError(RuntimeError):
    """Start-up cannot go on; the message says why and what to do."""


class Server(Protocol):
    """A datastore make run owns: prepared here, run by supervisord, set up once ready."""

    name: ClassVar[str]
    stop_signal: ClassVar[signal.Signals]
    port: int
    data_dir: Path

    @property
    def url(self) -> str: ...

    @property
    def leader_pidfile(self) -> Path | None: ...

    def prepare(self, timeout: float = ...) -> None: ...

    def command(self) -> list[str]: ...

    def wait_ready(self, timeout: float, keep_waiting: Callable[[], bool]) -> None: ...

    def is_running(self) -> bool: ...

    def stop(self, timeout: float = ...) -> None: ...


@dataclass(frozen=True)
class Options:
    data_dir: Path
    pg_port: int
    redis_port: int
    tsdb_port: int
    tsdb_retention: str
    redis_maxmemory: str
    tsdb_max_hourly_series: int
    tsdb_max_daily_series: int
    gateway_host: str
    gateway_port: int
    start_timeout: float

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Options:
        def get(key: str, default: str) -> str:
            return env.get(key) or default

        return cls(
            data_dir=Path(get("RUN_DATA_DIR", str(ROOT / ".data"))).resolve(),
            pg_port=int(get("RUN_PG_PORT", "55432")),
            redis_port=int(get("RUN_REDIS_PORT", "56379")),
            tsdb_port=int(get("RUN_TSDB_PORT", "58428")),
            tsdb_retention=get("TSDB_RETENTION", "90d"),
            redis_maxmemory=get("REDIS_MAXMEMORY", bounds.DEFAULT_REDIS_MAXMEMORY),
            tsdb_max_hourly_series=int(
                get("TSDB_MAX_HOURLY_SERIES", str(bounds.DEFAULT_TSDB_MAX_HOURLY_SERIES))
            ),
            tsdb_max_daily_series=int(
                get("TSDB_MAX_DAILY_SERIES", str(bounds.DEFAULT_TSDB_MAX_DAILY_SERIES))
            ),
            gateway_host=get("GATEWAY_HOST", "0.0.0.0"),  # noqa: S104 - agents push from afar
            gateway_port=int(get("GATEWAY_PORT", "8080")),
            start_timeout=float(get("RUN_START_TIMEOUT", "60")),
        )

    @property
    def public_url(self) -> str:
        host = self.gateway_host
        shown = "localhost" if host in ("0.0.0.0", "127.0.0.1", "localhost") else host  # noqa: S104
        return f"http://{shown}:{self.gateway_port}"

    @property
    def local_url(self) -> str:
        host = "127.0.0.1" if self.gateway_host == "0.0.0.0" else self.gateway_host  # noqa: S104
        return f"http://{host}:{self.gateway_port}"


@dataclass(frozen=True)
class Datastore:
    env_var: str
    label: str
    make: Callable[[Options], Server]


def _password(opts: Options, name: str) -> str:
    return stored_secret(opts.data_dir / name, secrets.token_urlsafe(24), "a password")


DATASTORES = (
    Datastore(
        "DATABASE_URL",
        "PostgreSQL",
        lambda o: PostgresServer(
            o.data_dir / "postgres", o.pg_port, password=_password(o, "postgres_password")
        ),
    ),
    Datastore(
        "REDIS_URL",
        "Redis",
        lambda o: RedisServer(
            o.data_dir / "redis",
            o.redis_port,
            maxmemory=o.redis_maxmemory,
            password=_password(o, "redis_password"),
        ),
    ),
    Datastore(
        "TSDB_URL",
        "VictoriaMetrics",
        lambda o: VictoriaMetricsServer(
            o.data_dir / "victoria-metrics",
            o.tsdb_port,
            retention=o.tsdb_retention,
            max_hourly_series=o.tsdb_max_hourly_series,
            max_daily_series=o.tsdb_max_daily_series,
        ),
    ),
)


# -- start-up -------------------------------------------------------------------------------


@contextlib.contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """One `make run` per data dir (`make reset-data` checks the same lock)."""
    with (data_dir / "run.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunError(f"another `make run` is already using {data_dir}") from None
        yield


def _port_busy(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def check_ports_free(
    opts: Options, services: Sequence[Service], stores: Sequence[tuple[Datastore, Server]]
) -> None:
    wanted = [(opts.gateway_host, opts.gateway_port, "GATEWAY_PORT")]
    wanted += [("127.0.0.1", s.port, f"RUN_{s.env_key}_PORT") for s in services]
    wanted += [("127.0.0.1", server.port, store.env_var) for store, server in stores]
    for host, port, variable in wanted:
        if _port_busy(host, port):
            raise RunError(f"port {port} is already in use; free it or set {variable}")


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    path.chmod(0o600)


def stored_secret(path: Path, new: str, what: str) -> str:
    """The secret kept in `path` (0600); `new` is stored there on first use."""
    if path.exists():
        path.chmod(0o600)
        value = path.read_text().strip()
        if not value:
            raise RunError(f"{path} is empty; delete it to generate a new one")
        return value
    _write_private(path, new + "\n")
    log.info("generated %s in %s", what, path)
    return new


def secret_key(path: Path) -> str:
    """The SECRET_KEY kept in `path` (0600), generated on first use, so tokens survive restarts."""
    return stored_secret(path, secrets.token_hex(32), "a SECRET_KEY")


def own_datastores(opts: Options, env: dict[str, str]) -> list[tuple[Datastore, Server]]:
    """The datastores the environment does not point to; their URLs go into `env`."""
    owned = []
    for store in DATASTORES:
        if env.get(store.env_var):
            log.info("%s: using %s from the environment", store.label, store.env_var)
            continue
        server = store.make(opts)
        if server.is_running():  # left behind by a crashed older version: take its place
            log.info("stopping a %s that an earlier run left behind", store.label)
            server.stop()
        env[store.env_var] = server.url
        owned.append((store, server))
    return owned


def stores_shown(env: Mapping[str, str], owned: Sequence[tuple[Datastore, Server]]) -> list[str]:
    """What the banner says about each datastore (never a URL: it may hold a password)."""
    ours = {store.env_var: server for store, server in owned}
    shown = []
    for store in DATASTORES:
        if store.env_var in ours:
            address = urlsplit(ours[store.env_var].url)
            shown.append(f"{store.label} {address.hostname}:{address.port}")
        else:
            shown.append(f"{store.label} ({store.env_var})")
    return shown


def datastore_program(server: Server) -> Program:
    return Program(
        server.name,
        server.command(),
        DATASTORES_GROUP,
        server.data_dir,
        stop_signal=server.stop_signal,
        stop_wait=DATASTORE_STOP_WAIT,
        reap_pidfile=server.leader_pidfile,
    )


def _run_step(what: str, command: list[str], env: Mapping[str, str]) -> str:
    """Run a Python step in the repo root and return its stdout (stderr goes to the terminal)."""
    log.info("%s", what)
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.stdout:
        print(result.stdout, end="", flush=True)  # noqa: T201 - the step's own report
    if result.returncode != 0:
        raise RunError(f"`python {shlex.join(command)}` failed (exit {result.returncode})")
    return result.stdout


def prepare_database(env: Mapping[str, str]) -> str:
    """Migrate, then create the first admin; returns ensure-admin's output (the password)."""
    _run_step("applying database migrations", ["-m", "alembic", "upgrade", "head"], env)
    return _run_step("checking for the first admin", ["-m", "core.admin", "ensure-admin"], env)


def write_run_files(
    opts: Options, services: Sequence[Service], servers: Sequence[Server]
) -> Supervisor:
    """nginx.conf and supervisord.conf under the data dir (no datastore secret in either)."""
    gateway = Gateway(
        opts.gateway_host, opts.gateway_port, opts.data_dir / "nginx", static_root(ROOT)
    )
    write_nginx_conf(gateway, services)
    programs = [datastore_program(server) for server in servers]
    programs += platform_programs(services, gateway, sys.executable, ROOT)
    run_dir = opts.data_dir / "supervisor"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    config = run_dir / "supervisord.conf"
    rpc_password = secrets.token_urlsafe(24)  # new on every start, never shown
    _write_private(config, render_config(programs, run_dir, sys.executable, rpc_password))
    for name in OBSOLETE_RUN_FILES:
        (opts.data_dir / name).unlink(missing_ok=True)
    return Supervisor(config, run_dir, rpc_password)


# -- running --------------------------------------------------------------------------------


def wait_until_up(opts: Options, services: Sequence[Service], supervisor: Supervisor) -> list[str]:
    """Wait for every service's /health and the gateway; returns the names still down."""
    urls = {s.name: f"http://127.0.0.1:{s.port}/health" for s in services}
    urls[GATEWAY_PROCESS] = opts.local_url + "/"
    return wait_until_healthy(urls, opts.start_timeout, supervisor.running)


def start_platform(
    opts: Options,
    services: Sequence[Service],
    owned: Sequence[tuple[Datastore, Server]],
    env: dict[str, str],
    stack: ExitStack,
) -> tuple[Supervisor, str]:
    """supervisord with the datastores, the database prepared, then the platform group."""
    servers = [server for _, server in owned]
    for server in servers:
        server.prepare(opts.start_timeout)
    supervisor = write_run_files(opts, services, servers)
    log.info("starting supervisord (%s)", supervisor.config_path)
    supervisor.start(env, ROOT)
    stack.callback(stop_supervisor, supervisor)
    for server in servers:
        server.wait_ready(opts.start_timeout, supervisor.running)
    admin_output = prepare_database(env)
    log.info("starting the services, workers and the gateway")
    supervisor.start_group(PLATFORM_GROUP)
    return supervisor, admin_output


def stop_supervisor(supervisor: Supervisor) -> None:
    log.info("stopping the services, then the datastores")
    returncode = supervisor.stop(SUPERVISOR_STOP_WAIT)
    if returncode not in (0, None):
        log.error("supervisord exited with %d", returncode)


def supervise(
    supervisor: Supervisor,
    opts: Options,
    services: Sequence[Service],
    stores: Sequence[str],
    admin_output: str,
) -> int:
    """Wait for the services, print what is up, then run until a stop signal."""
    down = wait_until_up(opts, services, supervisor)
    banner = Banner(
        public_url=opts.public_url,
        admin_email=os.environ.get("ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL,
        admin_output=admin_output,
        services=services,
        stores=stores,
        data_dir=opts.data_dir,
        down=down,
    )
    print(banner.render(), flush=True)  # noqa: T201 - the user-facing summary
    assert supervisor.process is not None  # noqa: S101 - started above
    returncode = supervisor.process.wait()
    log.error("supervisord exited on its own (exit %d)", returncode)
    return 1


# -- entry point ----------------------------------------------------------------------------


def _on_stop_signals(handler: SignalHandler) -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, handler)


def _already_stopping(signum: int, frame: FrameType | None) -> None:
    log.info("%s received: already stopping, please wait", signal.Signals(signum).name)


def run(opts: Options, stack: ExitStack) -> int:
    services = configured(os.environ)
    opts.data_dir.mkdir(parents=True, exist_ok=True)
    stack.enter_context(data_dir_lock(opts.data_dir))
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    owned = own_datastores(opts, env)
    check_ports_free(opts, services, owned)
    env["SECRET_KEY"] = env.get("SECRET_KEY") or secret_key(opts.data_dir / "secret_key")
    supervisor, admin_output = start_platform(opts, services, owned, env, stack)
    return supervise(supervisor, opts, services, stores_shown(env, owned), admin_output)


def _append_only(fd: int) -> None:
    """supervisord re-opens /dev/stdout for the programs' lines: when the terminal output is
    redirected to a file (`make run > run.log`), every writer must append, or they overwrite
    each other's lines."""
    if stat.S_ISREG(os.fstat(fd).st_mode):
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)


def main() -> int:
    for fd in (sys.stdout.fileno(), sys.stderr.fileno()):
        _append_only(fd)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s run      | %(message)s", datefmt="%H:%M:%S"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per health poll otherwise
    # Ctrl-C, SIGTERM and SIGHUP all raise KeyboardInterrupt: whatever run() is doing, the
    # stack then stops supervisord, which stops the platform and then the datastores.
    _on_stop_signals(signal.default_int_handler)
    stack = ExitStack()
    try:
        return run(Options.from_env(os.environ), stack)
    except KeyboardInterrupt:
        log.info("stop requested")
        return 0
    except (RunError, GatewayError, DatastoreError, ValueError) as exc:
        log.error("%s", exc)
        return 1
    finally:
        _on_stop_signals(_already_stopping)
        stack.close()
        log.info("stopped")


if __name__ == "__main__":
    raise SystemExit(main())
