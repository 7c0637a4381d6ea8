"""What checks share in one probe process: the guarded HTTP clients and the TLS contexts."""

from __future__ import annotations

import functools
import http.cookiejar
import ssl
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx

from core.outbound import GuardedTransport, OwnStores
from probe_service.checks.base import CheckContext

USER_AGENT = "StatusMonitor-Probe/1.0"


@dataclass(frozen=True)
class TLSContexts:
    verify: ssl.SSLContext  # chain and host name
    verify_chain: ssl.SSLContext  # chain only (a certificate monitor with check_hostname off)
    insecure: ssl.SSLContext  # nothing (ignore_tls_errors)


@functools.lru_cache(maxsize=4)
def tls_contexts(extra_ca_file: str | None = None) -> TLSContexts:
    """Built once per CA file: loading the system's CA store costs milliseconds, too much per
    check at thousands of monitors, and one SSLContext serves any number of connections.

    Trust is the system's store plus `extra_ca_file` (PROBE_EXTRA_CA_FILE), so a LAN's internal
    CA (and the tests' CA) is trusted without SSL_CERT_FILE, which would replace the store
    for the whole process instead of adding to it."""

    def verifying(check_hostname: bool) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if extra_ca_file:
            context.load_verify_locations(cafile=extra_ca_file)
        context.check_hostname = check_hostname
        return context

    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    return TLSContexts(verifying(True), verifying(False), insecure)


def _client(allow_private: bool, verify: ssl.SSLContext, max_connections: int) -> httpx.AsyncClient:
    # No keep-alive: each check opens its own connection, so response times include what a
    # new visitor waits for and nothing carries over from one monitor to another. No cookie
    # jar for the same reason (a shared client would send one monitor's cookies to another's
    # site). trust_env=False: an HTTP_PROXY from the environment would bypass the guard.
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=0)
    inner = httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
    no_cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_private, inner),
        trust_env=False,
        follow_redirects=False,  # the http check follows them itself, checking each hop
        cookies=no_cookies,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
    )


@asynccontextmanager
async def check_context(
    allow_private: bool,
    max_connections: int = 1000,
    extra_ca_file: str | None = None,
    own_stores: OwnStores | None = None,
) -> AsyncIterator[CheckContext]:
    """The context every check of one probe process runs with; clients closed on exit.
    A missing or unreadable `extra_ca_file` raises here, at start-up. `own_stores` are the
    platform's (core.outbound.platform_stores), refused to every monitor."""
    tls = tls_contexts(extra_ca_file)
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(_client(allow_private, tls.verify, max_connections))
        insecure = await stack.enter_async_context(
            _client(allow_private, tls.insecure, max_connections)
        )
        yield CheckContext(
            http=http,
            http_insecure=insecure,
            allow_private=allow_private,
            own_stores=own_stores or OwnStores(),
            extra_ca_file=extra_ca_file,
        )
