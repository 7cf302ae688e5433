"""The auth function: Google sign-in, the dev token, the current user, and the API's front door."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import RedirectResponse
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.auth import logic
from asset_engine.auth.schemas import DevTokenRequest, GoogleSignIn, SessionPublic, UserPublic
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.web.deps import Conn, CurrentUser, DevOnly
from asset_engine.web.factory import create_app

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/google", response_model=SessionPublic)
async def sign_in_with_google(body: GoogleSignIn, conn: Conn) -> SessionPublic:
    session = logic.sign_in_with_google(conn, id_token=body.id_token)
    metrics.add_metric(name="SignIns", unit="Count", value=1)
    return session


@router.post("/dev-token", response_model=SessionPublic, dependencies=[DevOnly])
async def dev_token(
    body: DevTokenRequest,
    conn: Conn,
    code: Annotated[str | None, Header(alias="X-Dev-Sign-In-Code")] = None,
) -> SessionPublic:
    return logic.sign_in_for_development(conn, email=str(body.email), name=body.name, code=code)


@router.get("/me", response_model=UserPublic)
async def me(user: CurrentUser) -> UserPublic:
    return UserPublic.of(user)


front_door = APIRouter(include_in_schema=False)


@front_door.get("/docs")
async def docs() -> RedirectResponse:
    """The API's front door: the auth function's interactive docs."""
    return RedirectResponse("/api/v1/docs/auth")


app = create_app(
    service="auth",
    routers=[router, front_door],
    extra_health_paths=("/health",),
)
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
