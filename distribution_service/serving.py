"""How this service must be served: uvicorn's WebSocket options, in one place.

`python -m distribution_service`, the Dockerfile, `make run` and the benchmark all use them.
"""

from __future__ import annotations

from typing import Any

WEBSOCKET_OPTIONS: dict[str, Any] = {
    # Ping every client every 20 s and close one that has not answered 20 s later.
    "ws_ping_interval": 20.0,
    "ws_ping_timeout": 20.0,
    # Clients only send small control messages.
    "ws_max_size": 65536,
    # Per-message deflate compresses every frame once per client (its context is per
    # connection): with 50 clients on one agent it cost more CPU than everything else and
    # tripled the p99 latency (bench/live_latency.py). Report frames are ~2 KB of JSON.
    "ws_per_message_deflate": False,
}


def uvicorn_flags() -> list[str]:
    """WEBSOCKET_OPTIONS as `uvicorn` command-line flags."""
    flags = []
    for key, value in WEBSOCKET_OPTIONS.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        flags += [f"--{key.replace('_', '-')}", text]
    return flags
