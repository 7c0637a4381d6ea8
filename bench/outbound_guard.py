"""What the outbound guard's audit hook costs (core/outbound.py).

The hook sees every audit event of the process once installed, so its cost outside a guarded
send matters most: measured on sys._getframe (an audited call logging makes per record) and
on a TCP connect to a local listener, before the hook exists, with it installed, and inside
guarded() (where the address is checked).

    .venv/bin/python -m bench.outbound_guard [--rounds 200000]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from collections.abc import Callable

from core import outbound


def _per_call_ns(call: Callable[[], object], rounds: int) -> float:
    started = time.perf_counter_ns()
    for _ in range(rounds):
        call()
    return (time.perf_counter_ns() - started) / rounds


def _connect(server: socket.socket) -> Callable[[], object]:
    address = server.getsockname()

    def connect() -> None:
        socket.create_connection(address, timeout=5).close()
        server.accept()[0].close()

    return connect


def measure(rounds: int) -> dict[str, float]:
    frame = sys._getframe  # an audited call: logging makes one per record
    connects = max(rounds // 100, 100)
    with socket.create_server(("127.0.0.1", 0)) as server:
        connect = _connect(server)
        before = _per_call_ns(frame, rounds), _per_call_ns(connect, connects)
        with outbound.guarded(allow_private=True):  # installs the hook for good
            guarded_connect = _per_call_ns(connect, connects)
        after = _per_call_ns(frame, rounds), _per_call_ns(connect, connects)
    return {
        "getframe_ns_without_hook": round(before[0], 1),
        "getframe_ns_with_hook": round(after[0], 1),
        "connect_us_without_hook": round(before[1] / 1000, 1),
        "connect_us_with_hook_unguarded": round(after[1] / 1000, 1),
        "connect_us_guarded": round(guarded_connect / 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200_000)
    print(json.dumps(measure(parser.parse_args().rounds)))


if __name__ == "__main__":
    main()
