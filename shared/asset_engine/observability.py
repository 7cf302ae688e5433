"""Logger, Metrics and Tracer, made once for the whole suite.

The service name comes from POWERTOOLS_SERVICE_NAME, which template.yaml sets per function.
"""

from __future__ import annotations

import os
import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

# Most requests record no metric of their own; that is expected, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger(log_uncaught_exceptions=True)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "AssetEngine"))
tracer = Tracer()

# API Gateway HTTP API (payload v2) puts the request id at requestContext.requestId.
CORRELATION_ID_PATH = correlation_paths.API_GATEWAY_HTTP
