"""The campaigns function: plan campaigns and move them through their statuses."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine import channels
from asset_engine.campaigns import export, logic
from asset_engine.campaigns.schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignStatus,
    CampaignUpdate,
    ChannelPublic,
    StatusChange,
)
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.schemas import Page
from asset_engine.web.deps import Conn, CurrentUser, ListParams
from asset_engine.web.factory import create_app

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])


@router.post("", status_code=201, response_model=CampaignPublic)
async def create(body: CampaignCreate, conn: Conn, user: CurrentUser) -> CampaignPublic:
    return logic.create_campaign(conn, user_id=user.id, body=body)


@router.get("", response_model=Page[CampaignPublic])
async def list_campaigns(
    conn: Conn,
    user: CurrentUser,
    page: ListParams,
    status: Annotated[CampaignStatus | None, Query()] = None,
) -> Page[CampaignPublic]:
    items, next_cursor = logic.list_campaigns(
        conn, user_id=user.id, status=status, limit=page.limit, cursor=page.cursor
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/{campaign_id}", response_model=CampaignPublic)
async def get(campaign_id: uuid.UUID, conn: Conn, user: CurrentUser) -> CampaignPublic:
    return logic.get_campaign(conn, user_id=user.id, campaign_id=campaign_id)


@router.patch("/{campaign_id}", response_model=CampaignPublic)
async def edit(
    campaign_id: uuid.UUID, body: CampaignUpdate, conn: Conn, user: CurrentUser
) -> CampaignPublic:
    return logic.edit_campaign(conn, user_id=user.id, campaign_id=campaign_id, changes=body)


@router.patch("/{campaign_id}/status", response_model=CampaignPublic)
async def change_status(
    campaign_id: uuid.UUID, body: StatusChange, conn: Conn, user: CurrentUser
) -> CampaignPublic:
    return logic.change_status(
        conn, user_id=user.id, campaign_id=campaign_id, to_status=body.status
    )


@router.get(
    "/{campaign_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The CSV (one row per asset), or a ZIP of it and every image.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        413: {"description": "Over the 4 MB one answer can carry (Lambda's 6 MB as base64)."},
    },
)
async def export_campaign(
    campaign_id: uuid.UUID,
    conn: Conn,
    user: CurrentUser,
    fmt: Annotated[export.ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    file = export.export_campaign(conn, user_id=user.id, campaign_id=campaign_id, fmt=fmt)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": file.content_disposition},
    )


channels_router = APIRouter(prefix="/api/v1/channels", tags=["campaigns"])


@channels_router.get("", response_model=list[ChannelPublic])
async def list_channels(_user: CurrentUser) -> list[dict[str, Any]]:
    return channels.public_table()


app = create_app(service="campaigns", routers=[router, channels_router])
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
