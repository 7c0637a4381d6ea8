"""What `make run` supervises besides the datastores: the gateway's nginx.conf, and one
supervisord program per service, worker and the gateway."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from deploy.services import WORKERS, Service, Worker
from deploy.supervisor import PLATFORM_GROUP, Program

DEPLOY_DIR = Path(__file__).resolve().parent
TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
PLACEHOLDER_SITE = DEPLOY_DIR / "placeholder"
GATEWAY_PROCESS = "gateway"
METRICS_PATH = "/metrics"  # Prometheus: scraped on the service ports, never through the gateway

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
# Paths under these prefixes that no service claims get a JSON 404, not the SPA's index.html.
_API_PREFIXES = ("/api/", "/ws/")
_PROXY_HEADERS = (
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
)
_HTTP_HEADERS = ('proxy_set_header Connection "";',)  # keep-alive to the upstream
_WEBSOCKET_HEADERS = (
    "proxy_set_header Upgrade $http_upgrade;",
    "proxy_set_header Connection $connection_upgrade;",
    "proxy_read_timeout 1h;",
    "proxy_send_timeout 1h;",
)

# On every answer, API errors included (`always`): no MIME sniffing of a JSON body into HTML,
# no framing (clickjacking), no full URLs to other sites. strict-origin-when-cross-origin, not
# no-referrer: under no-referrer a browser sends "Origin: null" with the page's own POSTs, and
# the refresh by cookie wants our origin (auth_service/routes/session_cookie.py).
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
# The SPA's pages and assets only: the services' /docs load Swagger UI with an inline script.
# Scripts only from our own files (an injected <script> or on*= attribute never runs); styles
# may be inline because Radix (react-remove-scroll, ScrollArea) adds <style> elements at run
# time and React sets style attributes; CSS cannot run script and React escapes all text, and
# a nonce would need index.html templated per answer. $sm_socket_sources: ws(s) to the page's
# own host, which 'self' covers in current browsers but not in older Safari.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self' $sm_socket_sources",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Vite's hashed bundles never change under the same name; index.html (and every other file at
# the root) is checked on every load, so a new build is picked up at once.
ASSET_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "no-cache"


class GatewayError(RuntimeError):
    """nginx is missing or refuses the rendered configuration."""


@dataclass(frozen=True)
class Gateway:
    host: str
    port: int
    nginx_dir: Path  # holds nginx.conf, the pid file, logs and temp dirs
    static_root: Path  # the built SPA, or the placeholder page

    @property
    def conf_path(self) -> Path:
        return self.nginx_dir / "nginx.conf"


def static_root(repo_root: Path) -> Path:
    dist = repo_root / "frontend" / "dist"
    return dist if (dist / "index.html").is_file() else PLACEHOLDER_SITE


def render_template(text: str, values: Mapping[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise GatewayError(f"{TEMPLATE.name}: no value for placeholder {key!r}")
        return values[key]

    return _PLACEHOLDER.sub(substitute, text)


def _upstream_name(service: Service) -> str:
    return f"sm_{service.env_key.lower()}"


def _indent(lines: Sequence[str], depth: int) -> str:
    return "".join(" " * depth + line + "\n" for line in lines)


def upstream_block(service: Service) -> str:
    body = [f"server 127.0.0.1:{service.port};", "keepalive 16;"]
    return f"    upstream {_upstream_name(service)} {{\n{_indent(body, 8)}    }}\n"


def _proxy_block(service: Service, location: str, upstream: str) -> str:
    headers = _WEBSOCKET_HEADERS if service.websocket else _HTTP_HEADERS
    body = [f"proxy_pass http://{_upstream_name(service)}{upstream};", *_PROXY_HEADERS, *headers]
    return f"        location {location} {{\n{_indent(body, 12)}        }}\n"


def location_block(service: Service) -> str:
    blocks = [_proxy_block(service, service.prefix, service.upstream)]
    # No URI in proxy_pass: nginx forwards the request URI (and query) as it came.
    blocks += [_proxy_block(service, f"= {path}", "") for path in service.exact_paths]
    blocks += [_proxy_block(service, prefix, "") for prefix in service.forwarded_prefixes]
    return "".join(blocks)


def _not_found_block(prefix: str) -> str:
    body = ["default_type application/json;", """return 404 '{"detail":"Not Found"}';"""]
    return f"        location {prefix} {{\n{_indent(body, 12)}        }}\n"


def _internal_blocks(service: Service) -> list[str]:
    """404 for every gateway path that would reach the service's Prometheus /metrics.

    nginx matches locations against the normalised path (%XX decoded, `.`/`..` resolved,
    slashes merged) and forwards that same path, so no spelling gets past a prefix block;
    `^~` wins over any regex location too.
    """
    return [_not_found_block(f"^~ {path}") for path in service.gateway_paths(METRICS_PATH)]


def _user_directive() -> str:
    # As root the master would hand the workers to `nobody`, who may not read a checkout
    # under /root or write our temp dirs; this is a local runner, so they stay as we are.
    return "user root root;" if os.geteuid() == 0 else "# (not root: workers run as we do)"


def add_headers(headers: Sequence[tuple[str, str]]) -> list[str]:
    return [f'add_header {name} "{value}" always;' for name, value in headers]


def spa_headers(cache_control: str) -> list[str]:
    """A location's own add_header lines replace the server's: repeat those, then add the
    page's policy and caching (not `always`: a 404 for an asset must not be kept a year)."""
    policy = add_headers([*SECURITY_HEADERS, ("Content-Security-Policy", CONTENT_SECURITY_POLICY)])
    return [*policy, f'add_header Cache-Control "{cache_control}";']


def render_nginx_conf(gateway: Gateway, services: Sequence[Service]) -> str:
    claimed = {service.prefix for service in services}
    locations = [block for service in services for block in _internal_blocks(service)]
    locations += [location_block(service) for service in services]
    locations += [_not_found_block(p) for p in _API_PREFIXES if p not in claimed]
    values = {
        "user_directive": _user_directive(),
        "nginx_dir": str(gateway.nginx_dir),
        "listen": f"{gateway.host}:{gateway.port}",
        "static_root": str(gateway.static_root),
        "upstreams": "\n".join(upstream_block(service) for service in services),
        "locations": "\n".join(locations),
        "security_headers": _indent(add_headers(SECURITY_HEADERS), 8).rstrip(),
        "asset_headers": _indent(spa_headers(ASSET_CACHE), 12).rstrip(),
        "page_headers": _indent(spa_headers(PAGE_CACHE), 12).rstrip(),
    }
    return render_template(TEMPLATE.read_text(), values)


def nginx_binary() -> str:
    # /usr/sbin is often missing from a normal user's PATH on Debian.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise GatewayError("nginx not found; install it with: apt-get install nginx")
    return found


def nginx_command(gateway: Gateway, *extra: str) -> list[str]:
    # -e: log start-up errors to stderr instead of /var/log/nginx, which a user cannot write.
    prefix = f"{gateway.nginx_dir}/"
    return [nginx_binary(), "-e", "stderr", "-p", prefix, "-c", str(gateway.conf_path), *extra]


def write_nginx_conf(gateway: Gateway, services: Sequence[Service]) -> Path:
    """Render nginx.conf into gateway.nginx_dir and have nginx check it."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (gateway.nginx_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    gateway.conf_path.write_text(render_nginx_conf(gateway, services))
    check = subprocess.run(  # noqa: S603 - fixed argv, no shell
        nginx_command(gateway, "-t", "-q"), capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        raise GatewayError(f"nginx rejects {gateway.conf_path}:\n{check.stderr.strip()}")
    return gateway.conf_path


def uvicorn_command(service: Service, python: str) -> list[str]:
    command = [python, "-m", "uvicorn", "--factory", service.app]
    command += ["--host", "127.0.0.1", "--port", str(service.port)]
    # The client address is ours to judge (core.deps.client_ip, TRUSTED_PROXIES): uvicorn's own
    # rewriting from X-Forwarded-For would hand it whatever a local caller claims.
    command += ["--no-proxy-headers"]
    if service.root_path:
        # Behind the gateway the service lives under root_path; its /docs must know that.
        command += ["--root-path", service.root_path]
    return [*command, *service.uvicorn_args, "--timeout-graceful-shutdown", "3"]


def platform_programs(
    services: Sequence[Service],
    gateway: Gateway,
    python: str,
    root: Path,
    workers: Sequence[Worker] = WORKERS,
) -> list[Program]:
    """One supervisord program per service, wanted worker and the gateway."""
    programs = [Program(s.name, uvicorn_command(s, python), PLATFORM_GROUP, root) for s in services]
    programs += [
        Program(w.name, [python, "-m", w.module], PLATFORM_GROUP, root)
        for w in workers
        if w.wanted()
    ]
    # The pid file names the master whose workers a SIGKILL would leave holding the port.
    gateway_program = Program(
        GATEWAY_PROCESS,
        nginx_command(gateway),
        PLATFORM_GROUP,
        root,
        reap_pidfile=gateway.nginx_dir / "nginx.pid",
    )
    return [*programs, gateway_program]
