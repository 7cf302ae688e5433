"""The AI function: DeepSeek copy, suggestions, refine and regenerate; SDXL images on RunPod.

Every paid route authenticates, then rate-limits (`AiRateLimit`), and only then lets the logic
charge and call the provider. None takes `Conn`: the logic checks a connection out for each
step and holds none while a provider answers.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.ai import logic
from asset_engine.ai.schemas import (
    AiAssetResponse,
    GenerateTextRequest,
    GenerateTextResponse,
    RefineRequest,
    RegenerateRequest,
    SuggestionsRequest,
    SuggestionsResponse,
)
from asset_engine.config import get_settings
from asset_engine.images import logic as images
from asset_engine.images.schemas import GenerateImageRequest, ImageJobAccepted, JobPublic
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.ratelimit import check_store
from asset_engine.web.answers import answer_response
from asset_engine.web.deps import CurrentUser, IdempotencyKey
from asset_engine.web.factory import create_app
from asset_engine.web.health import check_database
from asset_engine.web.rate_limit import AiRateLimit

router = APIRouter(prefix="/api/v1/ai", tags=["ai"])


def _callback_base(request: Request) -> str:
    """Where RunPod calls back: PUBLIC_API_URL, or the URL this request came in on."""
    return get_settings().public_api_url or str(request.base_url)


@router.post("/generate-text", status_code=201, response_model=GenerateTextResponse)
async def generate_text(
    body: GenerateTextRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        logic.generate_text(user_id=user.id, body=body, idempotency_key=idempotency_key)
    )


@router.post("/suggestions", response_model=SuggestionsResponse)
async def suggestions(
    body: SuggestionsRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        logic.suggest(user_id=user.id, body=body, idempotency_key=idempotency_key)
    )


@router.post("/refine", response_model=AiAssetResponse)
async def refine(
    body: RefineRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        logic.refine(user_id=user.id, body=body, idempotency_key=idempotency_key)
    )


@router.post(
    "/regenerate",
    response_model=AiAssetResponse,
    responses={202: {"model": ImageJobAccepted, "description": "An image asset: a new job."}},
)
async def regenerate(
    request: Request,
    body: RegenerateRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        logic.regenerate(
            user_id=user.id,
            body=body,
            idempotency_key=idempotency_key,
            callback_base=_callback_base(request),
        )
    )


@router.post("/generate-image", status_code=202, response_model=ImageJobAccepted)
async def generate_image(
    request: Request,
    body: GenerateImageRequest,
    user: CurrentUser,
    _limit: AiRateLimit,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        images.generate_image(
            user_id=user.id,
            body=body,
            idempotency_key=idempotency_key,
            callback_base=_callback_base(request),
        )
    )


# A read, not AI work: polling a job spends no rate-limit budget.
@router.get("/jobs/{job_id}", response_model=JobPublic)
async def get_job(job_id: uuid.UUID, user: CurrentUser) -> JobPublic:
    return images.get_job(user_id=user.id, job_id=job_id)


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
    return asgi(event, context)
