"""RunPod Serverless (queue-based endpoint running worker-sdxl), over httpx.

`/run` queues a job with a webhook, `/status` is the only answer we trust, `/cancel` stops one.
Retries (with backoff) only what may pass: connection errors, timeouts, 429 and 5xx, all within
one wall-clock budget so a request still answers inside API Gateway's 29 s.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from asset_engine.config import Settings
from asset_engine.errors import ProviderError
from asset_engine.observability import logger, trace_calls_through, traced
from asset_engine.providers.images import ImageProviderName, JobStatus

_FAILURES = {
    400: "RunPod refused the request",
    401: "RunPod refused our API key",
    404: "RunPod does not know this endpoint",
    429: "RunPod is rate limiting us",
}
MAX_BUDGET_S = 15.0


@dataclass
class RunPodClient:
    api_key: str
    base_url: str  # e.g. https://api.runpod.ai (the client adds /v2/{endpoint})
    endpoint_id: str
    name: ImageProviderName = "runpod"
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 10.0
    max_retries: int = 2
    backoff_s: float = 0.5
    # RunPod stops a job running longer than this, and forgets it this long after submission.
    execution_timeout_ms: int = 540_000
    ttl_ms: int = 1_200_000
    settles_inline: bool = False
    _http: httpx.Client | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> RunPodClient:
        assert settings.runpod_api_key and settings.runpod_sdxl_endpoint
        timeout_ms = settings.image_job_timeout_s * 1000
        return cls(
            api_key=settings.runpod_api_key,
            base_url=settings.runpod_base_url.rstrip("/"),
            endpoint_id=settings.runpod_sdxl_endpoint,
            name=settings.image_provider_name,
            connect_timeout_s=settings.runpod_connect_timeout_s,
            read_timeout_s=settings.runpod_read_timeout_s,
            max_retries=settings.runpod_max_retries,
            backoff_s=settings.runpod_backoff_s,
            # Ended by RunPod a little before our sweeper would time it out; kept queryable
            # well after, so a sweep can still read a job whose webhook was lost.
            execution_timeout_ms=max(5_000, timeout_ms - 60_000),
            ttl_ms=timeout_ms + 600_000,
        )

    # --- the provider interface ----------------------------------------------------------

    @traced
    def submit(self, request: dict[str, Any], *, webhook_url: str) -> str:
        body = {
            "input": request,
            "webhook": webhook_url,
            "policy": {"executionTimeout": self.execution_timeout_ms, "ttl": self.ttl_ms},
        }
        answer = self._call("POST", "run", json=body, what="queue the image job")
        job_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise ProviderError("RunPod accepted the job but sent no id.", provider=self.name)
        return job_id

    @traced
    def status(self, provider_job_id: str, request: dict[str, Any]) -> JobStatus:
        answer = self._call("GET", f"status/{provider_job_id}", what="read the job", gone_ok=True)
        if answer is None:
            return JobStatus(state="gone", status="NOT_FOUND", error="RunPod no longer knows it.")
        if not isinstance(answer, dict):
            raise ProviderError("RunPod's job status was not a JSON object.", provider=self.name)
        return JobStatus.from_runpod(answer)

    @traced
    def cancel(self, provider_job_id: str) -> None:
        self._call("POST", f"cancel/{provider_job_id}", what="cancel the job", gone_ok=True)

    # --- the HTTP exchange ---------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            with self._lock:
                if self._http is None:
                    trace_calls_through("httpx")
                    self._http = httpx.Client(
                        base_url=f"{self.base_url}/v2/{self.endpoint_id}/",
                        headers={
                            "Authorization": f"Bearer {self.api_key}",
                            "Content-Type": "application/json",
                        },
                    )
        return self._http

    def _call(
        self, method: str, path: str, *, what: str, json: Any = None, gone_ok: bool = False
    ) -> Any:
        """The decoded JSON answer; None for a 404 when `gone_ok`. ProviderError otherwise."""
        deadline = time.monotonic() + min(
            MAX_BUDGET_S, self.read_timeout_s * (self.max_retries + 1)
        )
        failure = f"RunPod could not {what}"
        for attempt in range(self.max_retries + 1):
            left = deadline - time.monotonic()
            if left <= 0.5:
                break
            timeout = httpx.Timeout(min(self.read_timeout_s, left), connect=self.connect_timeout_s)
            try:
                reply = self._client().request(method, path, json=json, timeout=timeout)
            except httpx.HTTPError as exc:
                failure = f"RunPod could not be reached to {what} ({type(exc).__name__})"
            else:
                if reply.status_code == 404 and gone_ok:
                    return None
                if reply.is_success:
                    try:
                        return reply.json()
                    except ValueError:
                        failure = f"RunPod answered {what} with something that is not JSON"
                else:
                    failure = _FAILURES.get(
                        reply.status_code, f"RunPod answered {reply.status_code}"
                    )
                    if reply.status_code != 429 and reply.status_code < 500:
                        break  # our request or key is wrong: trying again changes nothing
            if attempt < self.max_retries:
                pause = self.backoff_s * 2**attempt * (1 + random.random() / 2)
                time.sleep(max(0.0, min(pause, deadline - time.monotonic() - 0.5)))
        logger.warning("RunPod call failed", extra={"call": f"{method} {path}", "error": failure})
        raise ProviderError(f"{failure}.", provider=self.name)
