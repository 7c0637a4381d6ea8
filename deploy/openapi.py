"""Writes each HTTP service's OpenAPI schema for the dashboard's generated API types.

`python -m deploy.openapi <dir>` writes `<dir>/<service>.json` (paths as the service sees them)
and `<dir>/services.json` (each service's gateway root path, the dashboard's base URL for it).
The frontend turns the schemas into TypeScript (frontend/scripts/gen-api.mjs); the test suite
regenerates both and fails when the committed copies drifted (tests/test_frontend_api_types.py).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from deploy.services import SERVICES, Service

# The services whose HTTP API the dashboard calls (distribution is a WebSocket only).
DASHBOARD_SERVICES = ("auth", "history", "alert", "probe")


def schema(service: Service) -> dict[str, Any]:
    module_name, factory = service.app.split(":")
    app = getattr(importlib.import_module(module_name), factory)()
    document: dict[str, Any] = app.openapi()
    return document


def write_all(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    roots: dict[str, str] = {}
    for service in SERVICES:
        if service.name not in DASHBOARD_SERVICES:
            continue
        path = target / f"{service.name}.json"
        path.write_text(json.dumps(schema(service), indent=1, sort_keys=True) + "\n")
        roots[service.name] = service.root_path
        written.append(path)
    index = target / "services.json"
    index.write_text(json.dumps(roots, indent=1, sort_keys=True) + "\n")
    written.append(index)
    return written


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "frontend/openapi")):
        sys.stdout.write(f"{written}\n")
