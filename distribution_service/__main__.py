"""`python -m distribution_service [--host H] [--port P]` serves it (default 127.0.0.1:8002)."""

import argparse

import uvicorn

from distribution_service.serving import WEBSOCKET_OPTIONS

if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m distribution_service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    uvicorn.run(
        "distribution_service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=False,  # core.deps.client_ip judges forwarded addresses (TRUSTED_PROXIES)
        **WEBSOCKET_OPTIONS,
    )
