"""The FastAPI app every function builds: envelope, request ids, CORS, health, OpenAPI."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

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
        event = request.scope.get("aws.event") or {}
        rid = (event.get("requestContext") or {}).get("requestId") or str(uuid.uuid4())
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
        CORSMiddleware,
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
