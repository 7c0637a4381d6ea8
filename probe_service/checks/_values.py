"""Validation shared by the monitor types: hosts, line breaks, HTTP header names."""

from __future__ import annotations

import ipaddress
import re

from core import outbound

_LINE_BREAKS = ("\r", "\n", "\0")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$", re.IGNORECASE)
_MAX_HOST_LENGTH = 253
# RFC 9110 token characters: anything else in a header name is refused.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$")


def refuse_line_breaks(value: str, what: str) -> str:
    """`value` unchanged; ValueError when it holds CR, LF or NUL (each can end a protocol line
    and start one the user wrote)."""
    if any(char in value for char in _LINE_BREAKS):
        raise ValueError(f"{what} must not contain CR, LF or NUL characters")
    return value


def validate_host(target: str) -> str:
    """A host name or IP address as typed (stripped); ValueError with the reason otherwise.
    Addresses refused whatever the settings (link-local, metadata) are refused here already;
    private ones depend on the instance and are checked when connecting."""
    host = refuse_line_breaks(target.strip(), "the host")
    if not host:
        raise ValueError("the host is empty")
    address = outbound.literal_address(host)
    if address is not None:
        reason = outbound.check_address(address, allow_private=True)
        if reason:
            raise ValueError(f"the host is a forbidden address: {reason}")
        return host.strip("[]")
    if ":" in host or "/" in host:
        raise ValueError(f"{host!r} is not a host name: give the name alone, without port or path")
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"{host!r} is not a valid host name") from exc
    labels = ascii_host.split(".")
    if len(ascii_host) > _MAX_HOST_LENGTH or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{host!r} is not a valid host name or IP address")
    return host


def validate_headers(headers: dict[str, str], limit: int) -> dict[str, str]:
    if len(headers) > limit:
        raise ValueError(f"at most {limit} headers")
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise ValueError(f"header name {name!r} is not a valid HTTP header name")
        refuse_line_breaks(value, f"header {name}")
    return headers


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
