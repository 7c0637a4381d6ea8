"""What the three servers share: a child process in its own session, a pid file, waiting."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

logger = logging.getLogger(__name__)

_POLL_INTERVAL = 0.05
_KILL_WAIT = 10.0


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
    def leader_pidfile(self) -> Path | None:
        """Where the server itself records its pid, if it forks children that a SIGKILL of it
        would leave behind (a supervisor kills those before starting it again)."""
        return None

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

    def kill(self) -> None:
        """SIGKILL the server and its children, as a crash would; start() brings it back."""
        self._kill()

    # -- for an outside supervisor (make run's supervisord runs command() itself) -----------

    def prepare(self, timeout: float = 30) -> None:
        """Make data_dir ready for command() (initdb, config files); start() does this too."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare(timeout)

    def command(self) -> list[str]:
        """The command line that runs the server in the foreground, in data_dir."""
        return self._command()

    def wait_ready(self, timeout: float, keep_waiting: Callable[[], bool]) -> None:
        """Wait until a server someone else runs serves, then finish its set-up."""
        deadline = time.monotonic() + timeout
        while not self._is_ready():
            if not keep_waiting():
                raise DatastoreError(f"{self.name} was stopped before it got ready")
            if time.monotonic() > deadline:
                raise DatastoreError(
                    f"{self.name} did not get ready on 127.0.0.1:{self.port} within {timeout:g}s"
                )
            time.sleep(_POLL_INTERVAL)
        self._after_ready(timeout)

    def is_ready(self) -> bool:
        return self._is_ready()

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
