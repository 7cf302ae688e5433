"""The RunPod callback function: RunPod POSTs here when an image job ends.

Nothing in the body is trusted (RunPod does not sign webhooks, may deliver twice, or with a
null body): the token proves the URL is ours, and the job's outcome is read back from RunPod's
/status before anything is stored or refunded. A repeated delivery answers 200 and changes
nothing.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.images import logic as images
from asset_engine.images.schemas import CallbackAnswer
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.web.factory import create_app

router = APIRouter(prefix="/api/v1/webhooks/runpod", tags=["runpod_callback"])


@router.post(
    "/{job_id}",
    response_model=CallbackAnswer,
    openapi_extra={
        "requestBody": {
            "required": False,
            "description": "RunPod's webhook body ({id, status, output, error, ...}); not read.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def runpod_callback(
    job_id: uuid.UUID, token: Annotated[str | None, Query(max_length=128)] = None
) -> CallbackAnswer:
    return images.handle_callback(job_id=job_id, token=token)


app = create_app(service="runpod_callback", routers=[router], health_checks=None)
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
