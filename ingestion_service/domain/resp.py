"""Redis pipelines without redis-py's per-argument packing.

Profiling the ingest path showed redis-py's pure-Python command packing (an encode call and
type checks per argument) costing more than decoding and normalising the report itself.
Our pipelines carry a few fixed command shapes whose arguments are already bytes, so they
are serialised here in one pass and sent over a connection from redis-py's own pool, whose
parser reads the replies.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import ResponseError

Arg = bytes | str | int | float


def _bulk(arg: Arg) -> bytes:
    if isinstance(arg, str):
        arg = arg.encode()
    elif not isinstance(arg, bytes):
        arg = repr(arg).encode()
    return b"$%d\r\n%b\r\n" % (len(arg), arg)


def pack(*args: Arg) -> bytes:
    """One command in RESP, the wire format Redis reads."""
    return b"*%d\r\n" % len(args) + b"".join(map(_bulk, args))


class Command:
    """A command whose leading arguments are fixed: those are serialised once."""

    def __init__(self, *fixed: Arg, variable: int) -> None:
        self._variable = variable
        self._head = b"*%d\r\n" % (len(fixed) + variable) + b"".join(map(_bulk, fixed))

    def __call__(self, *args: Arg) -> bytes:
        """The whole command, as pack() would serialise it."""
        if len(args) != self._variable:
            raise TypeError(f"expected {self._variable} arguments, got {len(args)}")
        return self._head + b"".join(map(_bulk, args))


async def execute(redis: Redis, commands: Sequence[bytes]) -> list[object]:
    """Sends packed commands in one write; one reply each, an error reply as its exception.

    A connection or timeout error raises: the replies of that pipeline are unknown.
    """
    pool = redis.connection_pool
    connection = await pool.get_connection()  # type: ignore[no-untyped-call]
    try:
        await connection.send_packed_command(commands, check_health=False)
        replies: list[object] = []
        for _ in commands:
            try:
                replies.append(await connection.read_response())
            except ResponseError as error:
                replies.append(error)
        return replies
    except BaseException:
        await connection.disconnect()  # replies may still be in flight: never reuse it
        raise
    finally:
        await pool.release(connection)
