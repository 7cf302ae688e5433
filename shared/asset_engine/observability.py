"""Logger, Metrics and Tracer, made once for the whole suite.

The service name comes from POWERTOOLS_SERVICE_NAME, which template.yaml sets per function.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
    AmazonCloudWatchEMFProvider,
)

# Most requests record no metric of their own; that is expected, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish")

# Powertools' own keys, left out of a human-readable line.
_LAMBDA_KEYS = frozenset(
    {"level", "location", "message", "timestamp", "service", "cold_start", "function_name",
     "function_memory_size", "function_arn", "function_request_id", "xray_trace_id",
     "correlation_id", "sampling_rate", "exception", "exception_name", "stack_trace"}
)  # fmt: skip


def _human_line(record: dict[str, Any]) -> str:
    """LOG_FORMAT=text (`asset-engine serve`): one plain line a person reads, not JSON."""
    extras = " ".join(f"{k}={v}" for k, v in record.items() if k not in _LAMBDA_KEYS)
    line = f"{record.get('level', 'INFO'):<7} {record.get('message')}"
    line += f"  {extras}" if extras else ""
    return line + (f"\n{record['exception']}" if record.get("exception") else "")


# In Lambda the logs stay JSON (CloudWatch Logs Insights reads them); locally they are text.
_text_logs = os.environ.get("LOG_FORMAT", "json").lower() == "text"


def make_logger(service: str | None = None) -> Logger:
    """A Powertools Logger in this process's format; another service name keeps its own keys."""
    if _text_logs:
        return Logger(service=service, log_uncaught_exceptions=True, json_serializer=_human_line)
    return Logger(service=service, log_uncaught_exceptions=True)


class _MetricsOffMeansOff(AmazonCloudWatchEMFProvider):
    """CloudWatch EMF whose cold-start metric also honours POWERTOOLS_METRICS_DISABLED:
    Powertools 3 prints that one regardless, a stray JSON line among `asset-engine serve`'s
    text logs."""

    def add_cold_start_metric(self, context: Any) -> None:
        if not is_metrics_disabled():
            super().add_cold_start_metric(context)


logger = make_logger()
_namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "AssetEngine")
metrics = Metrics(namespace=_namespace)
# The provider swapped for ours, on the wrapper's own sets, so `metrics.metric_set` is still
# what is recorded (as Metrics builds its default provider).
metrics.provider = _MetricsOffMeansOff(
    namespace=_namespace,
    metric_set=metrics.metric_set,
    dimension_set=metrics.dimension_set,
    metadata_set=metrics.metadata_set,
    default_dimensions=metrics.default_dimensions,
)
# No patch_all at import: it loads botocore, requests and every other library X-Ray can patch
# (~0.3 s of each cold start). A provider client patches what it calls out through, on first
# use, with `trace_calls_through`.
tracer = Tracer(auto_patch=False)
_Function = TypeVar("_Function", bound=Callable[..., Any])


def traced(function: _Function) -> _Function:
    """`function` recorded as an X-Ray subsegment; its answer is left out (it may carry a
    user's content). The money and safety modules apply it after the definition
    (`name = traced(name)`) rather than as a decorator: `make mutate` (mutmut) leaves
    decorated functions unmutated."""
    return tracer.capture_method(capture_response=False)(function)


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
