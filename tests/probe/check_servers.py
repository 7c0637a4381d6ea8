"""Real servers the monitor types are tested against: a small web app served over HTTP and
HTTPS (uvicorn in a thread), certificates made with `cryptography`, and dnsmasq."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Any, NamedTuple

import dns.message
import dns.query
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from core.dev.datastores import free_port

KEYWORD_PAGE = "Welcome! Everything is fine: all-systems-go."
JSON_DOCUMENT = {
    "status": "up",
    "count": 7,
    "ratio": 0.25,
    "items": ["a", "b"],
    "nested": {"ready": True, "version": "1.2"},
}
BIG_BODY = b"a" * (2 * 1024 * 1024) + b"TAIL"  # past the check's 1 MB bound
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


# --- the web app ------------------------------------------------------------------------------


class Recorder:
    """What /echo received, by the `id` query parameter the test chose."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, request: dict[str, Any]) -> None:
        with self._lock:
            self._seen[key] = request

    def __getitem__(self, key: str) -> dict[str, Any]:
        with self._lock:
            return self._seen[key]


def build_app(recorder: Recorder) -> Starlette:
    async def ok(request: Request) -> Response:
        return PlainTextResponse(KEYWORD_PAGE)

    async def status(request: Request) -> Response:
        return PlainTextResponse(
            f"status {request.path_params['code']}", request.path_params["code"]
        )

    async def slow(request: Request) -> Response:
        await asyncio.sleep(float(request.query_params["seconds"]))
        return PlainTextResponse("slow but here")

    async def document(request: Request) -> Response:
        return JSONResponse(JSON_DOCUMENT)

    async def echo(request: Request) -> Response:
        seen = {
            "method": request.method,
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "body": (await request.body()).decode(),
        }
        recorder.add(request.query_params.get("id", ""), seen)
        return JSONResponse(seen)

    async def redirect(request: Request) -> Response:
        left = request.path_params["n"]
        if left == 0:
            return PlainTextResponse("arrived")
        return RedirectResponse(f"/redirect/{left - 1}", status_code=302)

    async def loop(request: Request) -> Response:
        other = "b" if request.path_params["side"] == "a" else "a"
        return RedirectResponse(f"/loop/{other}", status_code=301)

    async def to(request: Request) -> Response:
        code = int(request.query_params.get("code", "302"))
        return RedirectResponse(request.query_params["url"], status_code=code)

    async def set_cookie(request: Request) -> Response:
        response = PlainTextResponse("cookie set")
        response.set_cookie("session", "secret-session")
        return response

    async def big(request: Request) -> Response:
        return Response(BIG_BODY, media_type="text/plain")

    async def gzipped(request: Request) -> Response:
        body = gzip.compress(KEYWORD_PAGE.encode())
        return Response(body, media_type="text/plain", headers={"Content-Encoding": "gzip"})

    return Starlette(
        routes=[
            Route("/ok", ok, methods=METHODS),
            Route("/status/{code:int}", status),
            Route("/slow", slow),
            Route("/json", document),
            Route("/echo", echo, methods=METHODS),
            Route("/redirect/{n:int}", redirect),
            Route("/loop/{side}", loop),
            Route("/to", to, methods=METHODS),
            Route("/set-cookie", set_cookie),
            Route("/big", big),
            Route("/gzip", gzipped),
        ]
    )


@contextmanager
def serve(app: Starlette, cert: Path | None = None, key: Path | None = None) -> Iterator[int]:
    """The app on 127.0.0.1 (HTTPS with `cert`) in a thread of its own; yields the port."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        loop="asyncio",
        lifespan="off",
        log_level="warning",
        ssl_certfile=str(cert) if cert else None,
        ssl_keyfile=str(key) if key else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- certificates -----------------------------------------------------------------------------


class Leaf(NamedTuple):
    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class CertificateAuthority:
    """A test CA (EC keys: quick to make) and leaf certificates it signs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name("StatusMonitor Test CA"))
            .issuer_name(_name("StatusMonitor Test CA"))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        self.pem = folder / "ca.pem"
        self.pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def leaf(self, name: str, hosts: list[str], not_after: timedelta) -> Leaf:
        """A server certificate for `hosts` expiring `not_after` from now (negative: expired)."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(hosts[0]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(min(now - timedelta(days=1), now + not_after - timedelta(days=30)))
            .not_valid_after(now + not_after)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        leaf = Leaf(self.folder / f"{name}.pem", self.folder / f"{name}.key")
        leaf.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        leaf.key.write_bytes(_pem_key(key))
        return leaf


# --- DNS --------------------------------------------------------------------------------------

# The zone dnsmasq answers for (names under .test, RFC 2606).
DNS_ZONE = [
    "--host-record=www.test,192.0.2.10,2001:db8::10",
    "--cname=alias.test,www.test",
    "--txt-record=txt.test,v=spf1 -all",
    "--mx-host=mail.test,mx1.test,10",
    "--srv-host=_http._tcp.test,www.test,80,0,5",
    # CAA 0 issue "letsencrypt.org", as raw RDATA (type 257)
    "--dns-rr=caa.test,257," + bytes([0, 5]).hex() + b"issue".hex() + b"letsencrypt.org".hex(),
    "--local=/test/",  # everything else under .test does not exist (NXDOMAIN)
]


@contextmanager
def dnsmasq(binary: str = "/usr/sbin/dnsmasq") -> Iterator[int]:
    """Debian's dnsmasq answering DNS_ZONE on 127.0.0.1 and a free port; yields the port."""
    port = free_port()
    command = [
        binary,
        "--keep-in-foreground",
        "--no-resolv",
        "--no-hosts",
        "--conf-file=/dev/null",
        "--pid-file",
        f"--port={port}",
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        *DNS_ZONE,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_udp(process, port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_udp(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"dnsmasq exited: {error}")
        try:
            dns.query.udp(dns.message.make_query("www.test", "A"), "127.0.0.1", 0.2, port=port)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
