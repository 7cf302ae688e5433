"""The sweeper: on an EventBridge schedule, refunds paid AI requests that never finished and
ends image jobs past IMAGE_JOB_TIMEOUT_S (completed if RunPod did finish, else cancelled and
refunded).

No HTTP here: its event is the schedule's.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from asset_engine import db
from asset_engine.ai.abandoned_requests import refund_abandoned_requests
from asset_engine.config import get_settings
from asset_engine.images.logic import time_out_stale_jobs
from asset_engine.observability import logger, metrics, tracer


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    with db.checkout() as conn:
        refunded = refund_abandoned_requests(conn, after_s=get_settings().abandoned_request_after_s)
    image_jobs = time_out_stale_jobs()
    metrics.add_metric(name="AbandonedRequestsRefunded", unit=MetricUnit.Count, value=refunded)
    metrics.add_metric(
        name="ImageJobsTimedOut", unit=MetricUnit.Count, value=image_jobs["timed_out"]
    )
    logger.info("sweep done", extra={"refunded": refunded, "image_jobs": image_jobs})
    return {"refunded": refunded, "image_jobs": image_jobs}
