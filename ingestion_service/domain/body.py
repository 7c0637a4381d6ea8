"""Request bodies: size limits (also after decompression), JSON decoding and its 4xx answers."""

from __future__ import annotations

import json
import zlib
from typing import Any, TypeVar

import msgspec

from core.errors import BadRequest, Unprocessable
from core.inputs import undecodable_json
from ingestion_service.domain.errors import PayloadTooLarge, UnsupportedMediaType

T = TypeVar("T")

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_DEFLATE_WBITS = zlib.MAX_WBITS  # "deflate" as HTTP means it: zlib-wrapped
_NOT_FINITE = "NaN and Infinity are not allowed: send finite numbers"


def too_large(limit: int, what: str = "request body") -> PayloadTooLarge:
    return PayloadTooLarge(f"{what} too large: the limit is {limit} bytes")


def decode_content(body: bytes, encoding: str, limit: int) -> bytes:
    """The body as sent before Content-Encoding; a small bomb cannot inflate past `limit`."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        wbits = _GZIP_WBITS
    elif encoding == "deflate":
        wbits = _DEFLATE_WBITS
    else:
        raise UnsupportedMediaType(f"unsupported Content-Encoding {encoding!r}: use gzip")
    inflater = zlib.decompressobj(wbits)
    try:
        # max_length stops inflating one byte past the limit, so memory stays bounded.
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise BadRequest(f"body is not valid {encoding}: {exc}") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise too_large(limit, "decompressed request body")
    if not inflater.eof:
        raise BadRequest(f"body is not valid {encoding}: the stream is truncated")
    return data


def decode_json(decoder: msgspec.json.Decoder[T], body: bytes) -> T:
    """Decodes and validates in one pass; 400 for malformed JSON, 422 naming the bad field."""
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        message = str(exc)
        if message.startswith("Number out of range"):
            # msgspec refuses numbers that overflow a double (1e999), which would be Infinity.
            message = f"{_NOT_FINITE}{message.removeprefix('Number out of range')}"
        raise Unprocessable(message) from None
    except msgspec.DecodeError as exc:
        if _has_non_finite_literal(body):
            raise Unprocessable(_NOT_FINITE) from None
        raise BadRequest(f"invalid JSON: {exc}") from None
    except (RecursionError, UnicodeDecodeError) as exc:
        raise BadRequest(f"invalid JSON: {undecodable_json(exc)}") from None


def _has_non_finite_literal(body: bytes) -> bool:
    """Whether the body is JSON apart from NaN/Infinity literals, which some clients emit.

    Only on the error path: the standard library accepts those literals and tells us so.
    """
    found = False

    def constant(_: str) -> Any:
        nonlocal found
        found = True
        return 0.0

    try:
        json.loads(body, parse_constant=constant)
    except (ValueError, RecursionError):
        return False
    return found
