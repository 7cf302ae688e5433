"""The AI function: DeepSeek copy, suggestions, refine and regenerate, paid in credits.

Every route authenticates, then rate-limits (`AiRateLimit`), and only then lets the logic
charge and call the provider.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from mangum import Mangum

from asset_engine.ai import logic
from asset_engine.ai.paid_requests import Answer
from asset_engine.ai.schemas import (
    AiAssetResponse,
    GenerateTextRequest,
    GenerateTextResponse,
    RefineRequest,
    RegenerateRequest,
    SuggestionsRequest,
    SuggestionsResponse,
)
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.ratelimit import check_store
from asset_engine.web.deps import Conn, CurrentUser, IdempotencyKey
from asset_engine.web.factory import create_app
from asset_engine.web.health import check_database
from asset_engine.web.rate_limit import AiRateLimit

router = APIRouter(prefix="/api/v1/ai", tags=["ai"])


def _respond(answer: Answer) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


@router.post("/generate-text", status_code=201, response_model=GenerateTextResponse)
def generate_text(
    body: GenerateTextRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    conn: Conn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return _respond(
        logic.generate_text(conn, user_id=user["id"], body=body, idempotency_key=idempotency_key)
    )


@router.post("/suggestions", response_model=SuggestionsResponse)
def suggestions(
    body: SuggestionsRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    conn: Conn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return _respond(
        logic.suggest(conn, user_id=user["id"], body=body, idempotency_key=idempotency_key)
    )


@router.post("/refine", response_model=AiAssetResponse)
def refine(
    body: RefineRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    conn: Conn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return _respond(
        logic.refine(conn, user_id=user["id"], body=body, idempotency_key=idempotency_key)
    )


@router.post("/regenerate", response_model=AiAssetResponse)
def regenerate(
    body: RegenerateRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    conn: Conn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return _respond(
        logic.regenerate(conn, user_id=user["id"], body=body, idempotency_key=idempotency_key)
    )


app = create_app(
    service="ai",
    routers=[router],
    health_checks={"database": check_database, "rate_limit_store": check_store},
)
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)  # type: ignore[arg-type]
