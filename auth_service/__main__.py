"""`python -m auth_service` runs the service on port 8000."""

import uvicorn

if __name__ == "__main__":
    uvicorn.run("auth_service.app:create_app", factory=True, host="127.0.0.1", port=8000)
