"""The RunPod callback function: RunPod POSTs here when an image job ends.

Nothing in the body is trusted: the token proves the URL is ours, and the job's outcome is
read back from RunPod's /status before anything is stored, charged back or refunded.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from mangum import Mangum

from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.web.factory import create_app

app = create_app(service="runpod_callback", routers=[])
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)  # type: ignore[arg-type]
