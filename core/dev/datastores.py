"""Start and stop real local PostgreSQL, Redis and VictoriaMetrics servers.

Two callers: the pytest harness (throwaway instances in a temp dir on free ports) and
`make run` (persistent instances under ./.data on fixed ports). Each server is a child
process in its own session, so a Ctrl-C in the terminal reaches only the caller, which then
stops the servers itself. Each server also leaves a pid file in its data dir: a server that a
crashed caller left running is adopted (is_running() is True, stop() stops it) rather than
making the next start() fail on a busy port.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self
from urllib.parse import quote

import httpx

logger = logging.getLogger(__name__)

_POLL_INTERVAL = 0.05
_KILL_WAIT = 10.0
_PG_LIB_ROOT = Path("/usr/lib/postgresql")
_PG_TOOLS = ("initdb", "postgres", "pg_isready", "psql")
# sun_path holds 108 bytes including the terminating NUL.
_MAX_SOCKET_PATH = 107

# Trust, but only over the loopback interface (the server listens nowhere else) and the
# private unix socket; replication is never needed here.
_PG_HBA = """\
# Written by core.dev.datastores: local development/test cluster.
local all all trust
host  all all 127.0.0.1/32 trust
"""

# psql script: create the application role and database unless they exist. The role is a
# superuser because this is a local cluster with trust auth anyway, and migrations and tests
# may create extensions and databases.
_PG_BOOTSTRAP_SQL = """\
SELECT format('CREATE ROLE %I LOGIN SUPERUSER', :'app_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \\gexec
"""


class DatastoreError(RuntimeError):
    """A datastore could not be started or stopped; the message says what to do about it."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _exe_of(pid: int) -> str | None:
    """The executable a live process runs; None once it has exited (zombies included)."""
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def _find_binary(name: str, apt_package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatastoreError(
            f"{name} not found on PATH; install it with: apt-get install {apt_package}"
        )
    return path


def _version_key(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in bindir.parent.name.split(".") if part.isdigit())


@functools.cache
def _postgres_bindir() -> Path:
    """The one directory holding initdb, postgres, pg_isready and psql of the same version.

    Debian keeps server binaries in /usr/lib/postgresql/<major>/bin and puts only version-
    switching client wrappers on PATH, so a `postgres` on PATH is followed to its real home.
    """
    on_path = shutil.which("postgres")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += sorted(_PG_LIB_ROOT.glob("*/bin"), key=_version_key, reverse=True)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in _PG_TOOLS):
            return bindir
    raise DatastoreError(
        f"PostgreSQL server binaries ({', '.join(_PG_TOOLS)}) not found on PATH or in "
        f"{_PG_LIB_ROOT}/*/bin; install them with: apt-get install postgresql"
    )


def _postgres_account() -> pwd.struct_passwd | None:
    """The unprivileged user PostgreSQL runs as, or None to run it as ourselves.

    PostgreSQL refuses to run as root; the `postgres` user exists once the package is installed.
    """
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise DatastoreError(
        "running as root, but neither a 'postgres' nor a 'nobody' user exists to run "
        "PostgreSQL as; install it with: apt-get install postgresql"
    )


def _grant_search(path: Path, account: pwd.struct_passwd) -> None:
    """Add the search (x) bit `account` lacks on the ancestors of `path`.

    pytest's tmp_path and tempfile.mkdtemp() sit below 0700 root-owned directories that the
    unprivileged PostgreSQL user could not cross. Only search is granted, never listing, and
    pytest resets its base temp dir to 0700 at the start of every session anyway.
    """
    for parent in reversed(path.parents):
        info = parent.stat()
        if info.st_uid == account.pw_uid:
            bit = stat.S_IXUSR
        elif info.st_gid == account.pw_gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            logger.warning("granting search permission on %s to user %s", parent, account.pw_name)
            parent.chmod(stat.S_IMODE(info.st_mode) | bit)


def _chown_tree(root: Path, account: pwd.struct_passwd) -> None:
    os.chown(root, account.pw_uid, account.pw_gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), account.pw_uid, account.pw_gid)


def _make_private_dir(path: Path, account: pwd.struct_passwd | None) -> None:
    """Create (or reuse) a 0700 directory in a shared place such as /tmp, refusing impostors."""
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    owners = {os.geteuid()} | ({account.pw_uid} if account else set())
    if stat.S_ISLNK(info.st_mode) or info.st_uid not in owners:
        raise DatastoreError(f"{path} exists but is not a directory of ours; remove it")
    if account is not None:
        os.chown(path, account.pw_uid, account.pw_gid)


def _redis_ping(port: int) -> bool:
    # A raw PING keeps this module free of client libraries; "-LOADING" while an AOF is
    # replayed counts as not ready yet.
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class _ServerProcess(ABC):
    """Process plumbing shared by the servers: spawn, wait until ready, stop, adopt orphans."""

    name: ClassVar[str]  # names the log and pid files in data_dir and appears in messages
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM

    def __init__(self, data_dir: Path, port: int) -> None:
        # Absolute, because servers get it on their command line and some chdir before use.
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self._proc: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data_dir={str(self.data_dir)!r}, port={self.port})"

    @property
    @abstractmethod
    def url(self) -> str:
        """How clients reach the server."""

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    def _pid_path(self) -> Path:
        return self.data_dir / f"{self.name}.pid"

    # -- hooks for the concrete servers ---------------------------------------------------

    @abstractmethod
    def _binary(self) -> str:
        """Path of the server executable (raises DatastoreError when it is not installed)."""

    @abstractmethod
    def _command(self) -> list[str]:
        """The full command line that runs the server in the foreground."""

    @abstractmethod
    def _is_ready(self) -> bool:
        """Whether the server answers clients yet."""

    def _prepare(self, timeout: float) -> None:  # noqa: B027 - optional hook
        """Make data_dir usable before the first spawn (e.g. initdb)."""

    def _after_ready(self, timeout: float) -> None:  # noqa: B027 - optional hook
        """Work that needs the running server (e.g. creating a role)."""

    # -- public API -----------------------------------------------------------------------

    def start(self, timeout: float = 30) -> None:
        """Start the server and wait until it serves; a no-op when it already runs."""
        if self.is_running():
            return
        if _port_in_use(self.port):
            raise DatastoreError(
                f"cannot start {self.name}: something already listens on 127.0.0.1:{self.port}"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare(timeout)
        pid = self._spawn()
        try:
            self._wait_ready(timeout)
            self._after_ready(timeout)
        except BaseException:
            self._kill()  # never leave a half-started server holding the port
            raise
        logger.info(
            "started %s on 127.0.0.1:%d (pid %d, data in %s)",
            self.name,
            self.port,
            pid,
            self.data_dir,
        )

    def stop(self, timeout: float = 30) -> None:
        """Stop the server gracefully (SIGKILL after `timeout`); a no-op when it is not running."""
        pid = self._running_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, self.stop_signal)
        if not self._wait_exit(pid, timeout):
            logger.warning(
                "%s (pid %d) still running after %gs; killing it", self.name, pid, timeout
            )
            self._kill()
        self._forget()
        logger.info("stopped %s on 127.0.0.1:%d", self.name, self.port)

    def is_running(self) -> bool:
        return self._running_pid() is not None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- plumbing -------------------------------------------------------------------------

    def _spawn(self) -> int:
        command = self._command()
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                # Own session: a Ctrl-C in the terminal goes to the caller only, which decides
                # when to stop us; it also makes the pid a process group we can kill whole.
                start_new_session=True,
            )
        self._pid_path.write_text(f"{self._proc.pid}\n")
        return self._proc.pid

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._is_ready():
            if self._proc is None or self._proc.poll() is not None:
                raise DatastoreError(
                    f"{self.name} exited during startup; end of {self.log_path}:\n"
                    f"{self._log_tail()}"
                )
            if time.monotonic() > deadline:
                raise DatastoreError(
                    f"{self.name} did not get ready on 127.0.0.1:{self.port} within "
                    f"{timeout:g}s; end of {self.log_path}:\n{self._log_tail()}"
                )
            time.sleep(_POLL_INTERVAL)

    def _running_pid(self) -> int | None:
        if self._proc is not None:
            if self._proc.poll() is None:
                return self._proc.pid
            self._forget()  # it died on its own (crash, OOM killer)
            return None
        return self._orphan_pid()

    def _orphan_pid(self) -> int | None:
        """Pid of a server that an earlier caller started on this data dir and left running."""
        try:
            pid = int(self._pid_path.read_text())
        except (OSError, ValueError):
            return None
        exe = _exe_of(pid)
        if exe is None:
            return None
        try:
            binary = os.path.realpath(self._binary())
        except DatastoreError:  # uninstalled since: whatever runs there is not our server
            return None
        # The executable check guards against the pid having been reused by another program.
        return pid if exe == binary else None

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        if self._proc is not None:  # our child: wait() also reaps it
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while _exe_of(pid) is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(_POLL_INTERVAL)
        return True

    def _kill(self) -> None:
        """SIGKILL the whole process group, so no worker (postgres backend) outlives its parent."""
        pid = self._proc.pid if self._proc is not None else self._orphan_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            self._wait_exit(pid, _KILL_WAIT)
        self._forget()

    def _forget(self) -> None:
        self._proc = None
        self._pid_path.unlink(missing_ok=True)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def _run(self, command: list[str], timeout: float, stdin: bytes | None = None) -> None:
        """Run a helper command to completion, its output appended to the server log."""
        with self.log_path.open("ab") as log:
            result = subprocess.run(  # noqa: S603 - fixed argv, no shell
                command,
                input=stdin,
                stdin=None if stdin is not None else subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                timeout=timeout,
                check=False,
            )
        if result.returncode != 0:
            raise DatastoreError(
                f"{Path(command[0]).name} failed for {self.name} (exit {result.returncode}); "
                f"end of {self.log_path}:\n{self._log_tail()}"
            )


class PostgresServer(_ServerProcess):
    """A PostgreSQL cluster in `data_dir/pgdata`, listening on 127.0.0.1:`port` only."""

    name = "postgres"
    # The postmaster treats SIGINT as a "fast" shutdown: what `pg_ctl stop -m fast` sends.
    stop_signal = signal.SIGINT
    # initdb's bootstrap superuser; only used to create the application role and database.
    superuser = "postgres"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        user: str = "statusmonitor",
        database: str = "statusmonitor",
        durable: bool = True,
    ) -> None:
        super().__init__(data_dir, port)
        self.user = user
        self.database = database
        self.durable = durable

    @property
    def pgdata(self) -> Path:
        # A subdirectory, because initdb insists on an empty directory and our log and pid
        # files live in data_dir.
        return self.data_dir / "pgdata"

    @property
    def socket_dir(self) -> Path:
        """Where the unix socket lives: data_dir, or a dir under /tmp when that path is too long."""
        lock = self.data_dir / f".s.PGSQL.{self.port}.lock"
        if len(os.fsencode(lock)) <= _MAX_SOCKET_PATH:
            return self.data_dir
        digest = hashlib.sha256(os.fsencode(self.data_dir)).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"statusmonitor-pg-{digest}"

    @property
    def url(self) -> str:
        return self.dsn()

    def dsn(self, database: str | None = None, driver: str = "postgresql+asyncpg") -> str:
        """Connection URL; driver="postgresql" gives a plain libpq/psycopg URL."""
        user = quote(self.user, safe="")
        return f"{driver}://{user}@127.0.0.1:{self.port}/{quote(database or self.database)}"

    def _binary(self) -> str:
        return str(_postgres_bindir() / "postgres")

    def _tool(self, name: str) -> str:
        return str(_postgres_bindir() / name)

    def _as_owner(self, command: list[str]) -> list[str]:
        """Prefix `command` so that it runs as the unprivileged account when we are root."""
        account = _postgres_account()
        if account is None:
            return command
        # setpriv execs in place (runuser would fork and stay in between), so the pid we
        # hold and signal is the postmaster's own.
        setpriv = _find_binary("setpriv", "util-linux")
        ids = [f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups"]
        return [setpriv, *ids, "--", *command]

    def _prepare(self, timeout: float) -> None:
        account = _postgres_account()
        if account is not None:
            _grant_search(self.data_dir, account)
            os.chown(self.data_dir, account.pw_uid, account.pw_gid)
            # PostgreSQL refuses a data dir owned by anyone else (e.g. made under `nobody`).
            if self.pgdata.exists() and self.pgdata.stat().st_uid != account.pw_uid:
                _chown_tree(self.pgdata, account)
        if self.socket_dir != self.data_dir:
            _make_private_dir(self.socket_dir, account)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(timeout, account)

    def _initdb(self, timeout: float, account: pwd.struct_passwd | None) -> None:
        logger.info("initialising a new PostgreSQL cluster in %s", self.pgdata)
        command = [
            self._tool("initdb"),
            f"--pgdata={self.pgdata}",
            f"--username={self.superuser}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-instructions",
        ]
        if not self.durable:
            command.append("--no-sync")  # saves seconds of fsync per throwaway cluster
        self._run(self._as_owner(command), timeout)
        hba = self.pgdata / "pg_hba.conf"
        hba.write_text(_PG_HBA)
        if account is not None:
            os.chown(hba, account.pw_uid, account.pw_gid)

    def _command(self) -> list[str]:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            # Never the system default /var/run/postgresql, which the system server owns.
            "unix_socket_directories": str(self.socket_dir),
        }
        if not self.durable:
            # Throwaway clusters: losing data on a host crash is fine, waiting for disks is not.
            settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        command = [self._binary(), "-D", str(self.pgdata)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        return self._as_owner(command)

    def _is_ready(self) -> bool:
        probe = [self._tool("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "1"]
        return subprocess.run(probe, check=False, timeout=5).returncode == 0  # noqa: S603

    def _after_ready(self, timeout: float) -> None:
        psql = [
            self._tool("psql"),
            "-X",
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            self.superuser,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"app_role={self.user}",
            "-v",
            f"app_db={self.database}",
        ]
        self._run(psql, timeout, stdin=_PG_BOOTSTRAP_SQL.encode())


class RedisServer(_ServerProcess):
    """A Redis server bound to 127.0.0.1:`port`, its files in `data_dir`."""

    name = "redis"

    def __init__(self, data_dir: Path, port: int, *, persist: bool = True) -> None:
        super().__init__(data_dir, port)
        self.persist = persist

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _binary(self) -> str:
        return _find_binary("redis-server", "redis-server")

    def _command(self) -> list[str]:
        command = [self._binary(), "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--dir", str(self.data_dir), "--daemonize", "no"]
        if self.persist:
            # `make run`: the append-only file keeps streams (unacked reports) across restarts.
            command += ["--appendonly", "yes"]
        else:
            command += ["--save", "", "--appendonly", "no"]  # tests: never touch the disk
        return command

    def _is_ready(self) -> bool:
        return _redis_ping(self.port)


class VictoriaMetricsServer(_ServerProcess):
    """A single-node VictoriaMetrics on 127.0.0.1:`port`, storing into `data_dir`."""

    name = "victoria-metrics"

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        retention: str = "90d",
        latency_offset: str = "0s",
        dedup_interval: str | None = "1ms",
    ) -> None:
        super().__init__(data_dir, port)
        self.retention = retention
        # Samples of one series within this interval are stored once. At 1ms it only merges
        # identical writes: a stream entry written again after a worker crash (written, not yet
        # acknowledged) is not counted twice.
        self.dedup_interval = dedup_interval
        # VictoriaMetrics hides samples younger than -search.latencyOffset (default 30s) from
        # queries, which suits scraping but not our pushed reports: live views and tests must
        # read what was just written.
        self.latency_offset = latency_offset

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _binary(self) -> str:
        return _find_binary("victoria-metrics", "victoria-metrics")

    def _command(self) -> list[str]:
        command = [
            self._binary(),
            f"-httpListenAddr=127.0.0.1:{self.port}",
            f"-storageDataPath={self.data_dir}",
            f"-retentionPeriod={self.retention}",
            f"-search.latencyOffset={self.latency_offset}",
        ]
        if self.dedup_interval:
            command.append(f"-dedup.minScrapeInterval={self.dedup_interval}")
        return command

    def _is_ready(self) -> bool:
        try:
            # trust_env=False: an HTTP(S)_PROXY in the environment must not capture localhost.
            response = httpx.get(f"{self.url}/health", timeout=1, trust_env=False)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
