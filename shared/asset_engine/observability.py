"""Logger, Metrics and Tracer, made once for the whole suite.

The service name comes from POWERTOOLS_SERVICE_NAME, which template.yaml sets per function.
"""

from __future__ import annotations

import os
import threading
import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

# Most requests record no metric of their own; that is expected, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger(log_uncaught_exceptions=True)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "AssetEngine"))
# No patch_all at import: it loads botocore, requests and every other library X-Ray can patch
# (~0.3 s of each cold start). A provider client patches what it calls out through, on first
# use, with `trace_calls_through`.
tracer = Tracer(auto_patch=False)
_patched: set[str] = set()
_patch_lock = threading.Lock()


def trace_calls_through(*modules: str) -> None:
    """Record calls made through these libraries (e.g. "httpx") as X-Ray subsegments, once."""
    with _patch_lock:
        missing = [module for module in modules if module not in _patched]
        if missing and not tracer.disabled:
            tracer.patch(missing)
        _patched.update(missing)


# API Gateway HTTP API (payload v2) puts the request id at requestContext.requestId.
CORRELATION_ID_PATH = correlation_paths.API_GATEWAY_HTTP
