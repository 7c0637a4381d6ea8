"""`python -m probe_service` runs the service on port 8005."""

import uvicorn

if __name__ == "__main__":
    # asyncio's own loop: the outbound guard cannot see uvloop's sockets (core/outbound.py).
    uvicorn.run(
        "probe_service.app:create_app", factory=True, host="127.0.0.1", port=8005, loop="asyncio"
    )
