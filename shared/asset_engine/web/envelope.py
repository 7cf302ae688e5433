"""The one place errors become API.md's envelope:
``{"error": {"code", "message", "request_id", ...}}`` on every path and status."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from asset_engine.errors import (
    AppError,
    Conflict,
    Forbidden,
    InsufficientCredits,
    InvalidField,
    InvalidRequest,
    NotFound,
    ProviderError,
    RateLimited,
    ServiceUnavailable,
    TooLarge,
    Unauthorized,
)
from asset_engine.observability import logger

# The one table from what went wrong to how the API says it: (status, envelope code).
# A subclass answers as its nearest listed ancestor.
STATUS_AND_CODE: dict[type[AppError], tuple[int, str]] = {
    InvalidField: (422, "validation_error"),
    InvalidRequest: (400, "bad_request"),
    Unauthorized: (401, "unauthorized"),
    InsufficientCredits: (402, "insufficient_credits"),
    Forbidden: (403, "forbidden"),
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    TooLarge: (413, "payload_too_large"),
    RateLimited: (429, "rate_limited"),
    ProviderError: (502, "provider_error"),
    ServiceUnavailable: (503, "service_unavailable"),
    AppError: (500, "internal"),
}

# Statuses raised by the framework itself (an unknown path or method, a malformed body).
_CODES_BY_STATUS = {
    405: "method_not_allowed",
    422: "validation_error",
    **dict(STATUS_AND_CODE.values()),
}


def status_and_code(exc: AppError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in STATUS_AND_CODE:
            return STATUS_AND_CODE[cls]
    raise AssertionError("AppError is in the table")


def _headers(exc: AppError) -> dict[str, str]:
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after_s)}
    return {}


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str


class ErrorBody(BaseModel):
    # Some errors say more: a 402 its `balance` and `required`, a deep health check its `checks`.
    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    request_id: str
    details: list[ValidationIssue] | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


# What every route documents for its errors (FastAPI's own 422 schema is not what we send).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorEnvelope, "description": "The request was refused (API.md's codes)."},
    "5XX": {"model": ErrorEnvelope, "description": "A server or provider failure."},
}


def request_id_of(request: Request) -> str:
    """The API Gateway request id (set by the request-id middleware), or a fresh one."""
    rid = getattr(request.state, "request_id", None)
    if rid is None:
        rid = str(uuid.uuid4())
        request.state.request_id = rid
    return str(rid)


def error_response(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    rid = request_id_of(request)
    body = {"error": {"code": code, "message": message, "request_id": rid, **(extra or {})}}
    return JSONResponse(
        body, status_code=status_code, headers={**(headers or {}), "X-Request-Id": rid}
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    status, code = status_and_code(exc)
    if status >= 500:
        logger.warning("answered %s", code, extra={"error": exc.message}, exc_info=exc.__cause__)
    return error_response(
        request, status, code, exc.message, extra=exc.extra, headers=_headers(exc)
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"loc": list(err.get("loc", ())), "msg": str(err.get("msg", "invalid"))}
        for err in exc.errors()
    ]
    return error_response(
        request, 422, "validation_error", "The request is not valid.", extra={"details": details}
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODES_BY_STATUS.get(
        exc.status_code, "internal" if exc.status_code >= 500 else "bad_request"
    )
    message = exc.detail if isinstance(exc.detail, str) else "The request failed."
    return error_response(request, exc.status_code, code, message, headers=dict(exc.headers or {}))


async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    # The stack trace goes to the log, never to the client.
    logger.exception("unhandled error")
    return error_response(request, 500, "internal", "Something went wrong on our side.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, unhandled_error)
