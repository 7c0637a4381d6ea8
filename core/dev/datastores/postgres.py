"""PostgreSQL: initdb on first start, run as an unprivileged user; over TCP trust (tests) or
scram-sha-256 for every role (make run, with a password for the application role)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from core.dev.datastores._process import (
    DatastoreError,
    _find_binary,
    _ServerProcess,
)

logger = logging.getLogger(__name__)

_PG_LIB_ROOT = Path("/usr/lib/postgresql")
_PG_TOOLS = ("initdb", "postgres", "pg_isready", "psql")
# sun_path holds 108 bytes including the terminating NUL.
_MAX_SOCKET_PATH = 107

# Trust, but only over the loopback interface (the server listens nowhere else) and the
# private unix socket; replication is never needed here. With a password (make run), TCP asks
# every role for one, as production would; the unix socket is then 0700, so only the account
# PostgreSQL runs as (and root) can use it, for the role bootstrap.
_PG_HBA = """\
# Written by core.dev.datastores on every start: edits here are overwritten.
local all all trust
host  all all 127.0.0.1/32 {tcp_method}
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
# Appended when the role has a password: set on every start, so the stored one always wins.
# The value arrives on stdin (a \\set line), never on a command line that `ps` shows.
_PG_ROLE_PASSWORD_SQL = (
    "SET password_encryption = 'scram-sha-256';\n"  # noqa: S105 - SQL, not a password
    "SELECT format('ALTER ROLE %I PASSWORD %L', :'app_role', :'app_password') \\gexec\n"
)


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
        password: str | None = None,
    ) -> None:
        super().__init__(data_dir, port)
        self.user = user
        self.database = database
        self.durable = durable
        self.password = password

    @property
    def pgdata(self) -> Path:
        # A subdirectory, because initdb insists on an empty directory and our log and pid
        # files live in data_dir.
        return self.data_dir / "pgdata"

    @property
    def leader_pidfile(self) -> Path:
        # Backends outlive a killed postmaster for a moment, holding its shared memory.
        return self.pgdata / "postmaster.pid"

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
        if self.password is not None:
            user += ":" + quote(self.password, safe="")
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
        # Every start, so a cluster made by an older version (trust over TCP) gets passwords.
        self._write_hba(account)

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

    def _write_hba(self, account: pwd.struct_passwd | None) -> None:
        hba = self.pgdata / "pg_hba.conf"
        method = "trust" if self.password is None else "scram-sha-256"
        hba.write_text(_PG_HBA.format(tcp_method=method))
        if account is not None:
            os.chown(hba, account.pw_uid, account.pw_gid)

    def _command(self) -> list[str]:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            # Never the system default /var/run/postgresql, which the system server owns.
            "unix_socket_directories": str(self.socket_dir),
        }
        if self.password is not None:
            settings["unix_socket_permissions"] = "0700"
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
            # The socket: with passwords on, TCP would ask the superuser for one it has not.
            str(self.socket_dir),
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
        script = _PG_BOOTSTRAP_SQL
        if self.password is not None:
            variable = f"\\set app_password {_psql_literal(self.password)}\n"
            script = variable + script + _PG_ROLE_PASSWORD_SQL
        self._run(psql, timeout, stdin=script.encode())


def _psql_literal(value: str) -> str:
    """`value` as a psql \\set argument: single-quoted, quotes and backslashes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
