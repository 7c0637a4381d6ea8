"""`make run`'s supervisor: supervisord, configured from deploy/services.py and the datastores.

Every process is a supervisord program that is restarted whenever it dies: at once after a
crash, then with a growing pause (1 s, 2 s, 3 s ...) while it keeps dying within
`START_SECONDS` of its start. Programs come in three priority groups, started in this order
and stopped in the reverse one: the log printer, the datastores, then the platform (services,
workers, gateway). The platform group is started only once run.py has migrated the database.
Each program's output goes through supervisord to deploy/logs.py, which prints it to the
terminal prefixed with the program's name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import xmlrpc.client
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supervisor.xmlrpc import SupervisorTransport

from deploy.reap import kill_all, members

LOGS_GROUP = "logs"
RPC_USER = "run"
DATASTORES_GROUP = "datastores"
PLATFORM_GROUP = "platform"
_PRIORITY = {LOGS_GROUP: 1, DATASTORES_GROUP: 100, PLATFORM_GROUP: 200}
# A program that dies sooner than this after its start is restarted with backoff.
START_SECONDS = 2
# So many quick deaths in a row before supervisord gives up (the pauses grow by 1 s each).
START_RETRIES = 1000
# sun_path holds 108 bytes including the terminating NUL.
_MAX_SOCKET_PATH = 107
_PR_SET_PDEATHSIG = 1
# reap.py and logs.py run as scripts (stdlib only), whatever the program's directory.
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Program:
    name: str
    command: Sequence[str]
    group: str
    directory: Path
    stop_signal: signal.Signals = signal.SIGTERM
    stop_wait: float = 10
    # A file where the program writes its pid: leftovers of a killed predecessor (nginx
    # workers, PostgreSQL backends) are killed before the next start (deploy/reap.py).
    reap_pidfile: Path | None = None
    environment: Mapping[str, str] = field(default_factory=dict)


def _ini_value(text: str) -> str:
    return text.replace("%", "%%")  # supervisord expands %(name)s in values


def _command_line(program: Program, python: str) -> str:
    command = list(program.command)
    if program.reap_pidfile is not None:
        exe = os.path.realpath(_binary_of(command))
        reap = [python, str(_HERE / "reap.py"), str(program.reap_pidfile), exe, "--"]
        command = reap + command
    return _ini_value(shlex.join(command))


def _binary_of(command: Sequence[str]) -> str:
    """The program that finally runs: what follows `--` in a `setpriv ... -- cmd` prefix."""
    if "--" in command:
        return command[list(command).index("--") + 1]
    return command[0]


def _program_section(program: Program, python: str) -> str:
    lines = [
        f"[program:{program.name}]",
        f"command={_command_line(program, python)}",
        f"directory={_ini_value(str(program.directory))}",
        f"priority={_PRIORITY[program.group]}",
        f"autostart={'false' if program.group == PLATFORM_GROUP else 'true'}",
        "autorestart=true",
        f"startsecs={START_SECONDS}",
        f"startretries={START_RETRIES}",
        f"stopsignal={program.stop_signal.name.removeprefix('SIG')}",
        f"stopwaitsecs={program.stop_wait:g}",
        # The whole process group: nginx workers, PostgreSQL backends.
        "stopasgroup=true",
        "killasgroup=true",
        "redirect_stderr=true",
        "stdout_logfile=NONE",
        "stdout_events_enabled=true",
    ]
    if program.environment:
        pairs = ",".join(f'{k}="{_ini_value(v)}"' for k, v in program.environment.items())
        lines.append(f"environment={pairs}")
    return "\n".join(lines) + "\n"


def socket_path(run_dir: Path) -> Path:
    path = run_dir / "supervisor.sock"
    if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(os.fsencode(run_dir)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"statusmonitor-supervisor-{digest}.sock"


def render_config(
    programs: Sequence[Program], run_dir: Path, python: str, rpc_password: str
) -> str:
    """supervisord.conf; it holds the XML-RPC password, so write it 0600."""
    names = [p.name for p in programs]
    if len(set(names)) != len(names) or LOGS_GROUP in names:
        raise ValueError(f"program names must be unique and not {LOGS_GROUP!r}: {names}")
    printer = [python, str(_HERE / "logs.py"), str(max(map(len, names)))]
    sections = [
        "; Written by deploy/run.py on every start of `make run`: edit deploy/, not this copy.",
        "[supervisord]\nnodaemon=true\n"
        f"logfile={_ini_value(str(run_dir / 'supervisord.log'))}\n"
        "logfile_maxbytes=10MB\nlogfile_backups=2\nloglevel=info\n"
        # As root it would warn that it keeps root's rights: the programs need them (setpriv).
        f"{'user=root' if os.geteuid() == 0 else ''}\n"
        f"pidfile={_ini_value(str(run_dir / 'supervisord.pid'))}\n"
        f"childlogdir={_ini_value(str(run_dir))}\n",
        f"[unix_http_server]\nfile={_ini_value(str(socket_path(run_dir)))}\nchmod=0700\n"
        f"username={RPC_USER}\npassword={_ini_value(rpc_password)}\n",
        "[rpcinterface:supervisor]\n"
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
        # The log printer: every program's output arrives as PROCESS_LOG events; it writes
        # them to its stderr, which supervisord passes to its own stdout (the terminal).
        f"[eventlistener:{LOGS_GROUP}]\n"
        f"command={_ini_value(shlex.join(printer))}\n"
        f"directory={_ini_value(str(Path(__file__).resolve().parents[1]))}\n"
        f"priority={_PRIORITY[LOGS_GROUP]}\n"
        "events=PROCESS_LOG\nbuffer_size=10000\nautorestart=true\n"
        "stderr_logfile=/dev/stdout\nstderr_logfile_maxbytes=0\n",
        *(_program_section(program, python) for program in programs),
    ]
    groups: dict[str, list[str]] = {}
    for program in programs:
        groups.setdefault(program.group, []).append(program.name)
    for group, names_in_group in groups.items():
        sections.append(
            f"[group:{group}]\nprograms={','.join(names_in_group)}\npriority={_PRIORITY[group]}\n"
        )
    return "\n".join(sections)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when run.py dies, so no orphaned platform lingers."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    """supervisord in the foreground, in its own session, and its XML-RPC interface."""

    def __init__(self, config_path: Path, run_dir: Path, rpc_password: str) -> None:
        self.config_path = config_path
        self.run_dir = run_dir
        self.rpc_password = rpc_password
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, env: Mapping[str, str], cwd: Path) -> None:
        command = [sys.executable, "-m", "supervisor.supervisord", "-c", str(self.config_path)]
        # Own session: a terminal Ctrl-C reaches only run.py, which tells supervisord once.
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            command,
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # no threads in run.py yet
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rpc(self) -> Any:
        """The `supervisor` namespace of supervisord's XML-RPC API (over its unix socket)."""
        url = f"unix://{socket_path(self.run_dir)}"
        transport = SupervisorTransport(RPC_USER, self.rpc_password, url)
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def start_group(self, group: str) -> None:
        self.rpc().startProcessGroup(group, False)

    def processes(self) -> list[dict[str, Any]]:
        info: list[dict[str, Any]] = self.rpc().getAllProcessInfo()
        return info

    def stop(self, timeout: float) -> int | None:
        """SIGTERM: supervisord stops the groups in reverse order; SIGKILL after `timeout`."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            # Each program has its own process group, but all share supervisord's session.
            kill_all(members(session=self.process.pid))
            return self.process.wait()
