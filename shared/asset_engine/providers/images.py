"""The image provider interface, and the choice between RunPod and the in-process painter.

Both speak in RunPod's terms: a job is submitted with worker-sdxl's `input` and a webhook URL,
and its outcome is read back with `status`. RunPod's answer is trusted only from `status`
(its webhooks are not signed); the painter answers `status` by painting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from asset_engine.built_once import BuiltOnce
from asset_engine.config import get_settings
from asset_engine.observability import logger

# RunPod's job states, and what each means for us.
ImageProviderName = Literal["runpod", "mock"]
State = Literal["queued", "running", "completed", "failed", "gone"]
_STATES: dict[str, State] = {
    "IN_QUEUE": "queued",
    "IN_PROGRESS": "running",
    "RUNNING": "running",  # named on RunPod's job-states page; the API says IN_PROGRESS
    "COMPLETED": "completed",
    "FAILED": "failed",
    "CANCELLED": "failed",
    "TIMED_OUT": "failed",
}


@dataclass(frozen=True)
class JobStatus:
    """RunPod's /status answer, reduced to what we act on."""

    state: State
    status: str  # RunPod's own word, for the record
    output: Any = None
    error: str | None = None
    queue_ms: int | None = None
    execution_ms: int | None = None

    @classmethod
    def from_runpod(cls, body: dict[str, Any]) -> JobStatus:
        status = str(body.get("status") or "").upper()
        error = body.get("error")
        return cls(
            state=_STATES.get(status, "queued"),
            status=status or "UNKNOWN",
            output=body.get("output"),
            error=None if error is None else str(error)[:1000],
            queue_ms=_millis(body.get("delayTime")),
            execution_ms=_millis(body.get("executionTime")),
        )


def _millis(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and value >= 0 else None


class ImageProvider(Protocol):
    @property
    def name(self) -> ImageProviderName: ...

    @property
    def settles_inline(self) -> bool:
        """True when `status` can answer at once (the painter): the job is settled in the
        request that submitted it instead of waiting for a webhook."""
        ...

    def submit(self, request: dict[str, Any], *, webhook_url: str) -> str:
        """Queue one job; its id at the provider. ProviderError when it cannot be queued."""
        ...

    def status(self, provider_job_id: str, request: dict[str, Any]) -> JobStatus: ...

    def cancel(self, provider_job_id: str) -> None: ...


def describe() -> str:
    settings = get_settings()
    if not settings.uses_runpod:
        return "mock (offline painter: RUNPOD_API_KEY / RUNPOD_SDXL_ENDPOINT unset)"
    if settings.image_provider_name == "mock":
        return f"mock (the local RunPod stand-in at {settings.runpod_base_url})"
    return f"runpod (endpoint {settings.runpod_sdxl_endpoint})"


def _build() -> ImageProvider:
    settings = get_settings()
    if settings.uses_runpod:
        from asset_engine.providers.runpod import RunPodClient

        return RunPodClient.from_settings(settings)
    from asset_engine.providers.painter import InlinePainter

    logger.info("image provider: %s", describe())
    return InlinePainter()


_provider: BuiltOnce[ImageProvider] = BuiltOnce(_build)
get_image_provider = _provider.get  # the container's provider
reset_image_provider = _provider.reset  # tests that change the settings
