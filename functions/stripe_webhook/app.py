"""The Stripe webhook function: Stripe POSTs its events here (purchases and refunds).

Nothing is read from a body before its Stripe-Signature verifies it (400 otherwise, nothing
changed); each event id is handled once, so a replay answers 200 and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.billing import purchases
from asset_engine.billing.schemas import WebhookAnswer
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.web.factory import create_app

router = APIRouter(prefix="/api/v1/webhooks", tags=["stripe_webhook"])


@router.post(
    "/stripe",
    response_model=WebhookAnswer,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Stripe's event, verified against the Stripe-Signature header.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def stripe_webhook(
    request: Request,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookAnswer:
    # The raw bytes: the signature covers the body exactly as Stripe sent it.
    return purchases.handle_webhook(payload=await request.body(), signature=stripe_signature)


app = create_app(service="stripe_webhook", routers=[router])
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
