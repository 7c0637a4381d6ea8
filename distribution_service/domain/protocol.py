"""The messages of the WebSocket protocol besides the report frames themselves.

Client → server: {"type": "auth", "token": "<jwt>"} (when the URL has no ?token=),
{"type": "subscribe" | "unsubscribe", "agent_id": N} on /ws, {"type": "subscribe" |
"unsubscribe", "topic": "org" | "monitors"} for a topic of the access token's organization:
"org" its hosts (domain/org_topic.py), "monitors" each check of its uptime monitors
(domain/monitors_topic.py); each file describes its frames. {"type": "ping"} anywhere.
Server → client: report frames (the Report JSON, unchanged; they carry `target_id`), topic
frames ({"type": "org", ...}, {"type": "monitor", ...}) and {"type": "subscribed" |
"unsubscribed" | "error" | "pong" | "reconnect", ...}. Reports have no "type" key, so a
client tells them apart by its absence.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import orjson

from core.inputs import undecodable_json
from core.live import HostSummary
from core.schemas.common import MAX_ID

# Close codes: 4401/4403/4404 mirror the HTTP statuses; the reason says what was wrong.
# An open socket gets 4401 too once its login ends (logout, password change, deactivation),
# 4403 once its user leaves the organization, and 4000 when their role there changes.
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_SLOW = 4408  # more than WS_CLIENT_BUFFER_BYTES waiting: the client does not read
CLOSE_RECONNECT = 4000  # lifetime reached or role changed: connect again (with a fresh token)
CLOSE_UNAVAILABLE = 1011  # Redis or PostgreSQL unreachable: try again shortly

AGENT_NOT_FOUND = "agent not found"
NO_LONGER_A_MEMBER = "you are no longer a member of this organization"
ROLE_CHANGED = "your role in this organization changed; reconnect"
NOT_AUTHENTICATED = (
    'not authenticated: add ?token=<access token> to the URL or send {"type": "auth", '
    '"token": "<access token>"} first'
)
_USAGE = (
    'expected JSON like {"type": "subscribe", "agent_id": 1} or '
    '{"type": "subscribe", "topic": "org"}'
)
# The topics: each is of the organization of the connection's access token.
ORG_TOPIC = "org"
MONITORS_TOPIC = "monitors"
TOPICS = (ORG_TOPIC, MONITORS_TOPIC)
KNOWN_TOPICS = " and ".join(f'"{topic}"' for topic in TOPICS)  # for error messages
NO_ORGANIZATION = "you are not a member of an organization: there are no organization topics"


class ClientMessage(msgspec.Struct):
    type: str
    # A PostgreSQL integer, so a reply can always echo it: 2**70 is refused naming the limit,
    # while an id that merely does not exist (0, -1) is "not found" like a foreign one.
    agent_id: Annotated[int, msgspec.Meta(ge=-MAX_ID - 1, le=MAX_ID)] | None = None
    token: str | None = None
    topic: str | None = None


class ProtocolError(ValueError):
    """A client message that cannot be understood; the text is sent back to the client."""


# strict=False accepts "4" for 4: StatusMonitor v1's clients send agent ids as strings.
_decoder = msgspec.json.Decoder(ClientMessage, strict=False)


def decode_client_message(text: str | None) -> ClientMessage:
    if text is None:
        raise ProtocolError(f"binary messages are not understood; {_USAGE}")
    try:
        return _decoder.decode(text)
    except msgspec.DecodeError as exc:
        raise ProtocolError(f"invalid message ({exc}); {_USAGE}") from None
    except RecursionError as exc:
        raise ProtocolError(f"invalid message ({undecodable_json(exc)}); {_USAGE}") from None


def _encode(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()


def subscribed(agent_id: int) -> str:
    return _encode({"type": "subscribed", "agent_id": agent_id})


def unsubscribed(agent_id: int) -> str:
    return _encode({"type": "unsubscribed", "agent_id": agent_id})


def subscribed_topic(topic: str, org_id: int) -> str:
    return _encode({"type": "subscribed", "topic": topic, "org_id": org_id})


def unsubscribed_topic(topic: str) -> str:
    return _encode({"type": "unsubscribed", "topic": topic})


def error(detail: str, agent_id: int | None = None, topic: str | None = None) -> str:
    message: dict[str, Any] = {"type": "error", "detail": detail}
    if agent_id is not None:
        message["agent_id"] = agent_id
    if topic is not None:
        message["topic"] = topic
    return _encode(message)


class HostStatus(msgspec.Struct):
    agent_id: int
    online: bool


class OrgFrame(msgspec.Struct, tag_field="type", tag="org"):
    """The organization topic's frame; see domain/org_topic.py for what each field means."""

    org_id: int
    seq: int
    ts: float
    snapshot: bool
    hosts: list[HostSummary]
    status: list[HostStatus]


_frame_encoder = msgspec.json.Encoder()


def org_frame(frame: OrgFrame) -> str:
    return _frame_encoder.encode(frame).decode()


PONG = _encode({"type": "pong"})
RECONNECT = _encode({"type": "reconnect"})
