"""The local stand-in for RunPod Serverless running worker-sdxl (`asset-engine serve` only).

It speaks RunPod's API (`/v2/{endpoint}/run`, `/status/{id}`, `/cancel/{id}`, bearer key), so
the real RunPod client, the callback token, the status confirmation and the storage code all
run locally. A job waits in the queue a moment, "works" for MOCK_IMAGE_DELAY_S, is painted by
the offline painter, and then RunPod's webhook is POSTed to the callback URL over HTTP, retried
as RunPod retries (3 attempts in all).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from asset_engine.observability import logger
from asset_engine.providers.painter import worker_output

QUEUE_S = 0.3
WEBHOOK_ATTEMPTS = 3
WEBHOOK_RETRY_S = 1.0  # RunPod waits 10 s; locally there is no reason to


@dataclass
class _Job:
    id: str
    input: dict[str, Any]
    webhook: str | None
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    ended: float | None = None
    status: str = "IN_QUEUE"
    output: dict[str, Any] | None = None
    error: str | None = None

    def as_status(self) -> dict[str, Any]:
        """RunPod's /status shape (also the webhook's body)."""
        now = time.monotonic()
        body: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "delayTime": round(((self.started or now) - self.submitted) * 1000),
        }
        if self.started is not None:
            body["executionTime"] = round(((self.ended or now) - self.started) * 1000)
        if self.output is not None:
            body["output"] = self.output
        if self.error is not None:
            body["error"] = self.error
        return body


class RunPodStandIn:
    def __init__(self, *, api_key: str, work_s: float) -> None:
        self.api_key = api_key
        self.work_s = work_s
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/v2/{endpoint}/run", self._run, methods=["POST"]),
                Route("/v2/{endpoint}/status/{job_id}", self._status, methods=["GET"]),
                Route("/v2/{endpoint}/cancel/{job_id}", self._cancel, methods=["POST"]),
            ]
        )

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization", "") in (
            f"Bearer {self.api_key}",
            self.api_key,
        )

    async def _run(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("input"), dict):
            return JSONResponse({"error": "input is required"}, status_code=400)
        job = _Job(id=f"{uuid.uuid4()}-local", input=body["input"], webhook=body.get("webhook"))
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._work, args=(job,), daemon=True).start()
        return JSONResponse({"id": job.id, "status": job.status})

    async def _status(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        job = self._jobs.get(request.path_params["job_id"])
        if job is None:
            return JSONResponse({"error": "job not found"}, status_code=404)
        return JSONResponse(job.as_status())

    async def _cancel(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        job = self._jobs.get(request.path_params["job_id"])
        if job is None:
            return JSONResponse({"error": "job not found"}, status_code=404)
        if job.status in ("IN_QUEUE", "IN_PROGRESS"):
            job.status, job.ended = "CANCELLED", time.monotonic()
        return JSONResponse({"id": job.id, "status": job.status})

    def _work(self, job: _Job) -> None:
        time.sleep(QUEUE_S)
        if job.status != "IN_QUEUE":
            return  # cancelled while queued
        job.status, job.started = "IN_PROGRESS", time.monotonic()
        time.sleep(self.work_s)
        if job.status != "IN_PROGRESS":
            return
        try:
            job.output = worker_output(job.input)
            job.status = "COMPLETED"
        except Exception as exc:  # what worker-sdxl reports: the job fails with the error
            job.error, job.status = f"{type(exc).__name__}: {exc}", "FAILED"
        job.ended = time.monotonic()
        if job.webhook:
            self._deliver(job)

    def _deliver(self, job: _Job) -> None:
        for attempt in range(WEBHOOK_ATTEMPTS):
            try:
                answer = httpx.post(job.webhook or "", json=job.as_status(), timeout=30)
                if answer.status_code == 200:
                    return
                logger.info("webhook answered %s", answer.status_code, extra={"job": job.id})
            except httpx.HTTPError as exc:
                logger.info("webhook failed: %s", type(exc).__name__, extra={"job": job.id})
            if attempt + 1 < WEBHOOK_ATTEMPTS:
                time.sleep(WEBHOOK_RETRY_S)
