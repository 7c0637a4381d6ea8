"""Prometheus figures of the live view, one set per process (each replica reports its own)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

CLIENTS = Gauge("statusmonitor_ws_clients", "WebSocket clients connected to this process")
SUBSCRIPTIONS = Gauge(
    "statusmonitor_ws_subscriptions", "Client subscriptions to an agent, over all clients"
)
CHANNELS = Gauge(
    "statusmonitor_ws_redis_channels", "Agent channels this process is subscribed to in Redis"
)
FRAMES_SENT = Counter("statusmonitor_ws_frames_sent_total", "Frames sent to WebSocket clients")
FRAMES_DROPPED = Counter(
    "statusmonitor_ws_frames_dropped_total",
    "Frames dropped because a client's queue was full (a slow client)",
)
SERVER_CLOSES = Counter(
    "statusmonitor_ws_server_closes_total",
    "Connections the server closed because access ended (4401, 4403), the role changed (4000) "
    "or the client fell more than WS_CLIENT_BUFFER_BYTES behind (4408)",
    ["code"],
)
ORG_TOPICS = Gauge(
    "statusmonitor_ws_org_topics",
    "Organization topics this process runs (one Redis channel each), over all organizations",
)
ORG_FRAMES = Counter(
    "statusmonitor_ws_org_frames_total",
    "Organization topic frames encoded (each once, for every watcher of the organization)",
    ["kind"],
)
ORG_FRAME_BYTES = Counter(
    "statusmonitor_ws_org_frame_bytes_total",
    "Bytes of the organization topic frames encoded",
    ["kind"],
)
MONITOR_TOPICS = Gauge(
    "statusmonitor_ws_monitor_topics",
    "Monitors topics this process runs (one Redis channel each), over all organizations",
)
MONITOR_FRAMES = Counter(
    "statusmonitor_ws_monitor_frames_total",
    "Monitor check frames heard on the organizations' channels: forwarded to the watchers, or "
    "dropped (not a monitor frame of that organization)",
    ["outcome"],
)
