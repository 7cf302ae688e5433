"""`GET /api/v1/health/<service>`: cheap by default, `?deep=1` also checks the backing stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from asset_engine import db
from asset_engine.observability import logger
from asset_engine.web.envelope import error_response

HealthCheck = Callable[[], None]  # raises when its store is down


def check_database() -> None:
    with db.checkout() as conn:
        conn.execute("SELECT 1")


def health_router(
    service: str, *, checks: dict[str, HealthCheck], extra_paths: tuple[str, ...] = ()
) -> APIRouter:
    router = APIRouter(tags=["health"])

    def health(
        request: Request, deep: Annotated[bool, Query(description="also check the stores")] = False
    ) -> JSONResponse:
        if not deep:
            return JSONResponse({"status": "ok", "service": service})
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception:
                logger.exception("health check failed", extra={"check": name})
                results[name] = "down"
        down = [name for name, state in results.items() if state != "ok"]
        if down:
            return error_response(
                request,
                503,
                "service_unavailable",
                f"{', '.join(down)} unavailable",
                extra={"service": service, "checks": results},
            )
        return JSONResponse({"status": "ok", "service": service, "checks": results})

    for path in (f"/api/v1/health/{service}", *extra_paths):
        router.add_api_route(path, health, methods=["GET"], summary=f"Health of {service}")
    return router
