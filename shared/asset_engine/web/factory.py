"""The FastAPI app every function builds: envelope, request ids, CORS, health, OpenAPI."""

from __future__ import annotations

import codecs
import uuid
from collections.abc import Sequence

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asset_engine.config import get_settings
from asset_engine.web.envelope import ERROR_RESPONSES, install_error_handlers, unhandled_error
from asset_engine.web.health import HealthCheck, check_database, health_router

# Headers the browser may read cross-origin (the frontend shows limits and request ids).
EXPOSED_HEADERS = [
    "X-Request-Id",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
    "Content-Disposition",  # an export's file name
]
# Request headers the browser may send cross-origin (a preview's dev sign-in sends its code).
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "X-Dev-Sign-In-Code",
]


def _request_id_of_scope(scope: Scope) -> str:
    event = scope.get("aws.event") or {}
    return str((event.get("requestContext") or {}).get("requestId") or uuid.uuid4())


class EnvelopeCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, whose refused preflight answers in the envelope (not plain text)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        if (
            scope["type"] == "http"
            and scope["method"] == "OPTIONS"
            and "origin" in headers
            and "access-control-request-method" in headers
        ):
            request_id = _request_id_of_scope(scope)
            response = self.preflight_response(request_headers=headers)
            if response.status_code >= 400:
                response = _refused_preflight(response, request_id)
            response.headers["X-Request-Id"] = request_id
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _refused_preflight(refusal: Response, request_id: str) -> Response:
    refused = bytes(refusal.body).decode().removeprefix("Disallowed CORS ")
    headers = {
        name: value
        for name, value in refusal.headers.items()
        if name.lower() not in ("content-type", "content-length")
    }
    body = {
        "error": {
            "code": "forbidden",
            "message": f"This cross-origin request is not allowed ({refused}).",
            "request_id": request_id,
        }
    }
    return JSONResponse(body, status_code=403, headers={**headers, "X-Request-Id": request_id})


def _utf8_only(receive: Receive) -> Receive:
    """The request's body as it comes, refused (400) at the first byte that is not UTF-8.

    JSON between systems is UTF-8 (RFC 8259); Python's json.loads would otherwise guess
    UTF-16 or UTF-32 from the bytes and accept them. Raised inside FastAPI's body reading,
    the HTTPException answers in the envelope."""
    decoder = codecs.getincrementaldecoder("utf-8")()

    async def checked() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            try:
                decoder.decode(message.get("body", b""), final=not message.get("more_body"))
            except UnicodeDecodeError:
                raise HTTPException(400, "The body is not UTF-8 JSON.") from None
        return message

    return checked


class RequestIdMiddleware:
    """Plain ASGI (no BaseHTTPMiddleware task or stream wrapper per request): the request id on
    every answer and in `request.state`, the headers a dependency promised for every answer
    (`request.state.extra_headers`, e.g. X-RateLimit-*), a body only in UTF-8, and a 500 in
    the envelope for an
    unhandled error, answered here, inside CORS, so the browser can read it too (Starlette's
    own catch-all runs outside every middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # API Gateway's request id (Mangum hands us the event) ties our logs to its access log.
        rid = _request_id_of_scope(scope)
        extra_headers: dict[str, str] = {}
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        state["extra_headers"] = extra_headers
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in extra_headers.items():
                    headers[name] = value
                headers["X-Request-Id"] = rid
            await send(message)

        try:
            await self.app(scope, _utf8_only(receive), send_with_headers)
        except Exception as exc:
            if started:
                raise
            response = await unhandled_error(Request(scope), exc)
            await response(scope, receive, send_with_headers)


def create_app(
    *,
    service: str,
    routers: Sequence[APIRouter] = (),
    health_checks: dict[str, HealthCheck] | None = None,
    extra_health_paths: tuple[str, ...] = (),
    docs_paths: tuple[str, str] | None = None,
) -> FastAPI:
    """One function's app. `docs_paths` = (docs, openapi) overrides the per-service defaults."""
    docs_url, openapi_url = docs_paths or (
        f"/api/v1/docs/{service}",
        f"/api/v1/openapi/{service}.json",
    )
    app = FastAPI(
        title=f"asset-engine {service}",
        version="1.0.0",
        docs_url=docs_url,
        openapi_url=openapi_url,
        redoc_url=None,
    )
    install_error_handlers(app)

    # API Gateway HTTP APIs do not compress: answers over 1 KB are gzipped here (Mangum sends
    # them base64-encoded, as API Gateway expects binary bodies) for the browser on a phone.
    # Level 6, not Starlette's 9: the same size for a page of JSON at half the CPU (36 KB of
    # campaigns: 3.07 KB either way, 0.9 ms against 1.7 ms).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=get_settings().cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )

    checks = health_checks if health_checks is not None else {"database": check_database}
    for router in (health_router(service, checks=checks, extra_paths=extra_health_paths), *routers):
        app.include_router(router, responses=ERROR_RESPONSES)
    return app
