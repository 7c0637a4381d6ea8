"""`make run`: the whole platform in the foreground; Ctrl-C or SIGTERM stops all of it.

Start-up order: own PostgreSQL, Redis and VictoriaMetrics under the data dir (each unless
DATABASE_URL / REDIS_URL / TSDB_URL is set), migrations, the first admin, then every
service of deploy/services.py and the nginx gateway under honcho. Shutdown is the reverse.

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
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Protocol
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
    procfile,
    static_root,
    write_nginx_conf,
)
from deploy.services import Service, configured
from deploy.status import Banner, wait_until_healthy

log = logging.getLogger("deploy.run")

ROOT = Path(__file__).resolve().parents[1]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
HONCHO_STOP_WAIT = 20.0  # honcho itself SIGKILLs its children after 5 s
DEFAULT_ADMIN_EMAIL = "admin@localhost"  # what core.admin uses without ADMIN_EMAIL
RUN_ENV_KEYS = ("DATABASE_URL", "REDIS_URL", "TSDB_URL", "PYTHONUNBUFFERED")

SignalHandler = Callable[[int, FrameType | None], object]


class RunError(RuntimeError):
    """Start-up cannot go on; the message says why and what to do."""


class Server(Protocol):
    @property
    def url(self) -> str: ...

    def start(self, timeout: float = ...) -> None: ...

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


DATASTORES = (
    Datastore(
        "DATABASE_URL", "PostgreSQL", lambda o: PostgresServer(o.data_dir / "postgres", o.pg_port)
    ),
    Datastore(
        "REDIS_URL",
        "Redis",
        lambda o: RedisServer(o.data_dir / "redis", o.redis_port, maxmemory=o.redis_maxmemory),
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


def check_ports_free(opts: Options, services: Sequence[Service]) -> None:
    wanted = [(opts.gateway_host, opts.gateway_port, "GATEWAY_PORT")]
    wanted += [("127.0.0.1", s.port, f"RUN_{s.env_key}_PORT") for s in services]
    for host, port, variable in wanted:
        if _port_busy(host, port):
            raise RunError(f"port {port} is already in use; free it or set {variable}")


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    path.chmod(0o600)


def secret_key(path: Path) -> str:
    """The SECRET_KEY kept in `path` (0600), generated on first use, so tokens survive restarts."""
    if path.exists():
        path.chmod(0o600)
        key = path.read_text().strip()
        if not key:
            raise RunError(f"{path} is empty; delete it to generate a new key")
        return key
    key = secrets.token_hex(32)
    _write_private(path, key + "\n")
    log.info("generated a SECRET_KEY in %s", path)
    return key


def _stop_quietly(server: Server) -> None:
    try:
        server.stop()
    except (DatastoreError, OSError) as exc:
        log.error("could not stop %r: %s", server, exc)


def start_datastores(opts: Options, env: dict[str, str], stack: ExitStack) -> list[str]:
    """Start the datastores the environment does not point to; returns what the banner shows."""
    shown = []
    for store in DATASTORES:
        if env.get(store.env_var):
            log.info("%s: using %s from the environment", store.label, store.env_var)
            shown.append(f"{store.label} ({store.env_var})")
            continue
        server = store.make(opts)
        stack.callback(_stop_quietly, server)  # registered first: a failed start is cleaned too
        log.info("starting %s", store.label)
        server.start(timeout=opts.start_timeout)
        env[store.env_var] = server.url
        address = urlsplit(server.url)
        shown.append(f"{store.label} {address.hostname}:{address.port}")
    return shown


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


def write_run_files(opts: Options, services: Sequence[Service], env: Mapping[str, str]) -> Path:
    """nginx.conf, Procfile and run.env under the data dir; returns the Procfile's path."""
    gateway = Gateway(
        opts.gateway_host, opts.gateway_port, opts.data_dir / "nginx", static_root(ROOT)
    )
    write_nginx_conf(gateway, services)
    path = opts.data_dir / "Procfile"
    path.write_text(procfile(services, gateway, sys.executable))
    # For honcho's -e: it would otherwise read the checkout's .env over our values.
    # SECRET_KEY stays out of it; it comes from the environment or secret_key.
    lines = [f"{key}={shlex.quote(env[key])}" for key in RUN_ENV_KEYS if key in env]
    _write_private(opts.data_dir / "run.env", "\n".join(lines) + "\n")
    return path


def start_honcho(procfile_path: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    env_file = procfile_path.with_name("run.env")
    command = [sys.executable, "-m", "honcho", "-f", str(procfile_path), "-e", str(env_file)]
    log.info("starting the services and the gateway (%s)", procfile_path)
    # Own session: a terminal Ctrl-C reaches only us, and we tell honcho exactly once.
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [*command, "-d", str(ROOT), "start"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_honcho(honcho: subprocess.Popen[bytes]) -> None:
    if honcho.poll() is None:
        honcho.send_signal(signal.SIGTERM)
    try:
        honcho.wait(HONCHO_STOP_WAIT)
    except subprocess.TimeoutExpired:
        log.error("honcho did not stop within %gs; killing it", HONCHO_STOP_WAIT)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(honcho.pid, signal.SIGKILL)
        honcho.wait()


# -- running --------------------------------------------------------------------------------


class StopRequest:
    """Signal handler while honcho runs: ask honcho (once) to stop everything."""

    def __init__(self, honcho: subprocess.Popen[bytes]) -> None:
        self.honcho = honcho
        self.requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.requested:
            log.info("%s received: stopping", signal.Signals(signum).name)
            self.requested = True
            if self.honcho.poll() is None:
                self.honcho.send_signal(signal.SIGTERM)


def wait_until_up(opts: Options, services: Sequence[Service], stop: StopRequest) -> list[str]:
    """Wait for every service's /health and the gateway; returns the names still down."""
    urls = {s.name: f"http://127.0.0.1:{s.port}/health" for s in services}
    urls[GATEWAY_PROCESS] = opts.local_url + "/"

    def keep_waiting() -> bool:
        return not stop.requested and stop.honcho.poll() is None

    return wait_until_healthy(urls, opts.start_timeout, keep_waiting)


def supervise(
    honcho: subprocess.Popen[bytes],
    opts: Options,
    services: Sequence[Service],
    stores: Sequence[str],
    admin_output: str,
) -> int:
    """Wait for the services, print what is up, then wait for a stop signal or a crash."""
    stop = StopRequest(honcho)
    _on_stop_signals(stop)
    down = wait_until_up(opts, services, stop)
    banner = Banner(
        public_url=opts.public_url,
        admin_email=os.environ.get("ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL,
        admin_output=admin_output,
        services=services,
        stores=stores,
        data_dir=opts.data_dir,
        down=down,
    )
    if not stop.requested and honcho.poll() is None:
        print(banner.render(), flush=True)  # noqa: T201 - the user-facing summary
    returncode = honcho.wait()
    if stop.requested:
        log.info("services and gateway stopped")
        return 0
    log.error("a process exited on its own (honcho exit %d); stopping the rest", returncode)
    return 1


# -- entry point ----------------------------------------------------------------------------


def _on_stop_signals(handler: SignalHandler) -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, handler)


def _already_stopping(signum: int, frame: FrameType | None) -> None:
    log.info("%s received: already stopping, please wait", signal.Signals(signum).name)


def _child_env(opts: Options, stack: ExitStack) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    stores = start_datastores(opts, env, stack)
    env["SECRET_KEY"] = env.get("SECRET_KEY") or secret_key(opts.data_dir / "secret_key")
    return env, stores


def run(opts: Options, stack: ExitStack) -> int:
    services = configured(os.environ)
    opts.data_dir.mkdir(parents=True, exist_ok=True)
    stack.enter_context(data_dir_lock(opts.data_dir))
    check_ports_free(opts, services)
    env, stores = _child_env(opts, stack)
    admin_output = prepare_database(env)
    procfile_path = write_run_files(opts, services, env)
    honcho = start_honcho(procfile_path, env)
    stack.callback(stop_honcho, honcho)  # runs before the datastores stop
    return supervise(honcho, opts, services, stores, admin_output)


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s run      | %(message)s", datefmt="%H:%M:%S"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per health poll otherwise
    # Until honcho runs, SIGTERM and SIGHUP interrupt start-up like Ctrl-C does.
    _on_stop_signals(signal.default_int_handler)
    stack = ExitStack()
    try:
        return run(Options.from_env(os.environ), stack)
    except KeyboardInterrupt:
        log.info("interrupted during start-up: stopping")
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
