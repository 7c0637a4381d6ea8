"""`python -m history_service` runs the API on port 8003 (the worker: history_service.worker)."""

import uvicorn

if __name__ == "__main__":
    uvicorn.run("history_service.app:create_app", factory=True, host="127.0.0.1", port=8003)
