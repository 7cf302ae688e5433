"""The FastAPI app every function builds: envelope, request ids, CORS, health, OpenAPI."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

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

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # API Gateway's request id (Mangum hands us the event) ties our logs to its access log.
        rid = _request_id_of_scope(request.scope)
        request.state.request_id = rid
        request.state.extra_headers = {}
        try:
            response = await call_next(request)
        except Exception as exc:
            # Answered here, inside CORS, so the browser can read a 500 too (Starlette's own
            # catch-all runs outside every middleware).
            response = await unhandled_error(request, exc)
        # Headers a dependency promised for every answer, errors included (e.g. X-RateLimit-*).
        response.headers.update(request.state.extra_headers)
        response.headers["X-Request-Id"] = rid
        return response

    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=get_settings().cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )

    checks = health_checks if health_checks is not None else {"database": check_database}
    for router in (health_router(service, checks=checks, extra_paths=extra_health_paths), *routers):
        app.include_router(router, responses=ERROR_RESPONSES)
    return app
