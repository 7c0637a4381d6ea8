"""Domain errors raised by service logic, mapped to HTTP answers in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from core.inputs import undecodable_json

# What the stores raise while PostgreSQL or Redis is down or restarting: not a refusal of the
# request, which may be made again shortly (services answer 503 or close with "try again").
STORES_UNAVAILABLE = (RedisError, SQLAlchemyError, OSError)


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(DomainError):
    status_code = 400


class Unauthorized(DomainError):
    status_code = 401

    def __init__(self, detail: str = "not authenticated") -> None:
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Gone(DomainError):
    status_code = 410


class Unprocessable(DomainError):
    status_code = 422


class ServiceUnavailable(DomainError):
    status_code = 503


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, {"Retry-After": str(max(retry_after, 1))})


async def domain_error_response(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _http_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's own answers, except that a JSON body it could not decode says why (its 400
    otherwise reads only "There was an error parsing the body")."""
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    problem = undecodable_json(exc.__cause__) if exc.status_code == 400 else None
    if problem is not None:
        return JSONResponse({"detail": f"the body is not valid JSON: {problem}"}, status_code=400)
    return await http_exception_handler(request, exc)


def _document_string_details(app: FastAPI) -> None:
    """A 422 is FastAPI's list of field errors or a DomainError's sentence naming the problem:
    the OpenAPI document (and the client generated from it) says both."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            components = generate().get("components", {}).get("schemas", {})
            if "HTTPValidationError" in components:
                properties = components["HTTPValidationError"]["properties"]
                listed = properties["detail"]
                properties["detail"] = {"anyOf": [listed, {"type": "string"}], "title": "Detail"}
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_response)
    app.add_exception_handler(HTTPException, _http_error_handler)
    _document_string_details(app)
