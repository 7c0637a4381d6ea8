"""The http check's requests: redirects followed hop by hop, the body read within bounds."""

from __future__ import annotations

import json
import zlib
from typing import Any
from urllib.parse import urlencode

import httpx

MAX_BODY_BYTES = 1024 * 1024
_CREDENTIAL_HEADERS = {"authorization", "cookie", "proxy-authorization"}


def encode_body(body: str, body_type: str) -> bytes:
    """The body as sent; ValueError when it is not what its type says (used by validation)."""
    if body_type == "json":
        try:
            json.loads(body)
        except ValueError as exc:
            raise ValueError(f"the body is not valid JSON: {exc}") from exc
    if body_type == "form":
        try:
            fields = json.loads(body)
        except ValueError:
            fields = None
        if not isinstance(fields, dict) or not all(
            isinstance(value, str | int | float) for value in fields.values()
        ):
            raise ValueError('a form body is a JSON object of fields: {"name": "value"}')
        return urlencode(fields).encode()
    return body.encode()


class Failed(Exception):
    """The answer settles the check (redirects gone wrong): its message is the error."""


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _without(headers: dict[str, str], names: set[str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in names}


def _becomes_get(status: int, method: str) -> bool:
    """httpx's and browsers' rule: 303 always, 302 always and 301 for POST (except HEAD)."""
    if method == "HEAD":
        return False
    return status in (302, 303) or (status == 301 and method == "POST")


async def follow(
    client: httpx.AsyncClient,
    url: httpx.URL,
    *,
    method: str,
    headers: dict[str, str],
    content: bytes | None,
    max_redirects: int,
    request_timeout: float,
) -> tuple[httpx.Response, httpx.URL]:
    """The last response (open, body unread) and its URL. Redirects are followed here, not
    by httpx, so every hop passes the outbound guard (which pins plain-HTTP requests to the
    checked address by rewriting the request's URL: the logical URL is kept here, for joining
    with a Location and for the Host header). Credentials go to the first origin only, as
    browsers do."""
    origin, seen, hops = url, {str(url)}, 0
    while True:
        sent = (
            headers if _origin(url) == _origin(origin) else _without(headers, _CREDENTIAL_HEADERS)
        )
        hop = client.build_request(
            method, url, headers=sent, content=content, timeout=request_timeout
        )
        response = await client.send(hop, stream=True)
        if not response.has_redirect_location or max_redirects == 0:
            return response, url
        await response.aclose()
        if hops == max_redirects:
            raise Failed(f"more than {max_redirects} redirects")
        try:
            url = url.join(response.headers["location"])
        except httpx.InvalidURL as exc:
            raise Failed(f"redirect to an invalid URL: {exc}") from exc
        hops += 1
        if str(url) in seen:
            raise Failed(f"redirect loop: back to {url} after {hops} redirects")
        seen.add(str(url))
        if _becomes_get(response.status_code, method):
            method, content = "GET", None
            headers = _without(headers, {"content-type", "content-length"})


async def read_body(response: httpx.Response) -> bytes:
    """At most MAX_BODY_BYTES of the body, decompressed within that bound: the check asks for
    no compression, but a hostile server may send a small gzip bomb anyway, and httpx would
    inflate each chunk whole."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    # wbits 47: a gzip or zlib header, detected.
    inflater = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
    body = bytearray()
    async for chunk in response.aiter_raw():
        room = MAX_BODY_BYTES - len(body)
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, room)
            except zlib.error:
                inflater = None  # not what it claims: keep the bytes as they came
        body += chunk[:room]
        if len(body) >= MAX_BODY_BYTES:
            break
    return bytes(body)


def body_text(response: httpx.Response, body: bytes) -> str:
    return body.decode(response.charset_encoding or "utf-8", errors="replace")


def ssl_object(response: httpx.Response) -> Any:
    """The TLS connection the response came on (httpcore's network stream), if any."""
    stream = response.extensions.get("network_stream")
    return stream.get_extra_info("ssl_object") if stream is not None else None
