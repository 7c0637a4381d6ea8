"""`python -m deploy.logs WIDTH`: supervisord's event listener that prints every program's
output to the terminal, one line at a time, prefixed with the time and the program's name.

supervisord hands output over in chunks as it read them from the program's pipe, so partial
lines are kept per program until their newline arrives. The listener protocol is spoken on
binary stdin/stdout (a chunk's `len` counts bytes); the lines go to stderr, which supervisord
copies to its own stdout.
"""

from __future__ import annotations

import sys
import time
from typing import BinaryIO

_MAX_PARTIAL = 64 * 1024  # a "line" longer than this is printed in pieces


def _headers(line: bytes) -> dict[str, str]:
    return dict(token.split(":", 1) for token in line.decode().split())


class Printer:
    def __init__(self, out: BinaryIO, width: int) -> None:
        self.out = out
        self.width = width
        self.partial: dict[str, bytes] = {}

    def feed(self, name: str, data: bytes) -> None:
        text = self.partial.pop(name, b"") + data
        *lines, rest = text.split(b"\n")
        if len(rest) > _MAX_PARTIAL:
            lines.append(rest)
            rest = b""
        if rest:
            self.partial[name] = rest
        prefix = f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | ".encode()
        self.out.write(b"".join(prefix + line.rstrip(b"\r") + b"\n" for line in lines))
        self.out.flush()


def serve(stdin: BinaryIO, stdout: BinaryIO, printer: Printer) -> None:
    while True:
        stdout.write(b"READY\n")
        stdout.flush()
        header_line = stdin.readline()
        if not header_line:
            return  # supervisord went away
        headers = _headers(header_line)
        payload = stdin.read(int(headers["len"]))
        if headers["eventname"].startswith("PROCESS_LOG"):
            meta, _, data = payload.partition(b"\n")
            printer.feed(_headers(meta)["processname"], data)
        stdout.write(b"RESULT 2\nOK")
        stdout.flush()


def main() -> None:
    width = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    serve(sys.stdin.buffer, sys.stdout.buffer, Printer(sys.stderr.buffer, width))


if __name__ == "__main__":
    main()
