"""`python -m alert_service` runs the service on port 8004."""

import uvicorn

if __name__ == "__main__":
    uvicorn.run("alert_service.app:create_app", factory=True, host="127.0.0.1", port=8004)
