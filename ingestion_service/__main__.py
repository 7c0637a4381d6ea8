"""`python -m ingestion_service` runs the service on port 8001 (uvloop + httptools)."""

import uvicorn

if __name__ == "__main__":
    uvicorn.run(
        "ingestion_service.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=8001,
        loop="uvloop",
        http="httptools",
    )
