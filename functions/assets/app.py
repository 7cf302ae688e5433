"""The assets function: assets with their whole version history (edit, undo, redo)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.assets import logic
from asset_engine.assets.schemas import (
    AssetCreate,
    AssetKind,
    AssetPublic,
    AssetUpdate,
    VersionHistory,
)
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.schemas import Page
from asset_engine.web.deps import Conn, CurrentUser, ListParams
from asset_engine.web.factory import create_app
from asset_engine.web.headers import if_match_version

router = APIRouter(prefix="/api/v1/assets", tags=["assets"])


@router.post("", status_code=201, response_model=AssetPublic)
async def create(body: AssetCreate, conn: Conn, user: CurrentUser) -> AssetPublic:
    return logic.create_asset(conn, user_id=user.id, **body.model_dump())


@router.get("", response_model=Page[AssetPublic])
async def list_assets(
    conn: Conn,
    user: CurrentUser,
    page: ListParams,
    campaign_id: Annotated[uuid.UUID | None, Query()] = None,
    kind: Annotated[AssetKind | None, Query()] = None,
) -> Page[AssetPublic]:
    items, next_cursor = logic.list_assets(
        conn,
        user_id=user.id,
        campaign_id=campaign_id,
        kind=kind,
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/{asset_id}", response_model=AssetPublic)
async def get(asset_id: uuid.UUID, conn: Conn, user: CurrentUser) -> AssetPublic:
    return logic.get_asset(conn, user_id=user.id, asset_id=asset_id)


@router.patch("/{asset_id}", response_model=AssetPublic)
async def edit(
    asset_id: uuid.UUID,
    body: AssetUpdate,
    conn: Conn,
    user: CurrentUser,
    if_match: Annotated[
        str | None,
        Header(alias="If-Match", description="The version you edited from; 409 when stale."),
    ] = None,
) -> AssetPublic:
    return logic.append_version(
        conn,
        user_id=user.id,
        asset_id=asset_id,
        source="manual",
        **body.model_dump(),
        expected_version=if_match_version(if_match),
    )


@router.get("/{asset_id}/versions", response_model=VersionHistory)
async def versions(asset_id: uuid.UUID, conn: Conn, user: CurrentUser) -> VersionHistory:
    return logic.version_history(conn, user_id=user.id, asset_id=asset_id)


@router.post("/{asset_id}/undo", response_model=AssetPublic)
async def undo(asset_id: uuid.UUID, conn: Conn, user: CurrentUser) -> AssetPublic:
    return logic.undo(conn, user_id=user.id, asset_id=asset_id)


@router.post("/{asset_id}/redo", response_model=AssetPublic)
async def redo(asset_id: uuid.UUID, conn: Conn, user: CurrentUser) -> AssetPublic:
    return logic.redo(conn, user_id=user.id, asset_id=asset_id)


app = create_app(service="assets", routers=[router])
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
