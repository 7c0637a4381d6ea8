"""The WebSocket endpoints: one agent's stream (StatusMonitor v1) and the multiplexed stream."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from core.deps import CoreDep
from distribution_service.connection import LiveConnection
from distribution_service.deps import LiveDep

router = APIRouter(tags=["live"])


@router.websocket("/ws/{agent_id}")
async def agent_stream(websocket: WebSocket, agent_id: int, core: CoreDep, live: LiveDep) -> None:
    """The agent's latest report, then each new one. Token as ?token= or a first auth message."""
    connection = LiveConnection(websocket, core, live)
    if await connection.open():
        await connection.run(agent_id)


# Also at /ws/: the gateway routes the /ws/ prefix, and nginx would answer /ws with a redirect
# that WebSocket clients do not follow.
@router.websocket("/ws")
@router.websocket("/ws/")
async def multiplexed_stream(websocket: WebSocket, core: CoreDep, live: LiveDep) -> None:
    """Many agents on one socket: {"type": "subscribe" | "unsubscribe", "agent_id": N}."""
    connection = LiveConnection(websocket, core, live)
    if await connection.open():
        await connection.run()
