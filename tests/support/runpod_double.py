"""A local stand-in for RunPod Serverless (a queue-based endpoint running worker-sdxl).

It speaks RunPod's documented API (docs.runpod.io operation reference): `POST /v2/{endpoint}/run`
answers `{"id", "status": "IN_QUEUE"}`, `GET /v2/{endpoint}/status/{id}` the job as the test
scripted it (IN_QUEUE / IN_PROGRESS with delayTime and executionTime, COMPLETED with worker-sdxl's
output, FAILED with an error; 404 for an id it does not know), `POST /v2/{endpoint}/cancel/{id}`
CANCELLED. Every call needs `Authorization: Bearer <key>` (401 otherwise) and is recorded.

It never calls the webhook itself: the test reads the recorded `webhook` URL and delivers it
through the callback function's real handler, so replays, forged tokens and null bodies are the
test's to choose. It also serves files under `/files/{name}`, for outputs that are URLs.
"""

from __future__ import annotations

import asyncio
import base64
import io
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.http_server import serve_in_thread

API_KEY = "rp_test_double_key"
ENDPOINT = "sdxl-double"
# worker-sdxl's input keys we send (its validator refuses unknown ones).
WORKER_INPUT_KEYS = {
    "prompt", "negative_prompt", "width", "height", "seed", "num_inference_steps",
    "guidance_scale",
}  # fmt: skip


def png(width: int, height: int, colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def sdxl_output(image: str, seed: int = 42) -> dict[str, Any]:
    """worker-sdxl's success output: the images, the first again as image_url, the seed."""
    return {"images": [image], "image_url": image, "seed": seed}


@dataclass
class RunPodJob:
    id: str
    body: dict[str, Any]  # what /run received: input, webhook, policy
    status: dict[str, Any]  # what /status answers (without the id)

    @property
    def input(self) -> dict[str, Any]:
        return dict(self.body["input"])

    @property
    def webhook(self) -> str:
        return str(self.body["webhook"])

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook).path

    @property
    def webhook_token(self) -> str:
        return parse_qs(urlsplit(self.webhook).query)["token"][0]


@dataclass
class RunPodDouble:
    url: str
    api_key: str = API_KEY
    endpoint: str = ENDPOINT
    jobs: dict[str, RunPodJob] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every call
    auth_headers: list[str | None] = field(default_factory=list)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    # Called with each new job before /run answers (a webhook that overtakes the answer).
    on_run: Callable[[RunPodJob], None] | None = None
    # Called with the job before /cancel acts on it (a webhook that lands meanwhile).
    on_cancel: Callable[[RunPodJob], None] | None = None
    # Scripted HTTP failures, one per call, by operation ("run", "status", "cancel").
    _failures: dict[str, deque[int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- scripting ------------------------------------------------------------------------

    def fail_next(self, operation: str, *statuses: int) -> None:
        """The next calls of `operation` answer these HTTP statuses, one each, in order."""
        with self._lock:
            self._failures.setdefault(operation, deque()).extend(statuses)

    def complete(
        self, job_id: str, output: Any, *, delay_ms: int = 1200, execution_ms: int = 5400
    ) -> None:
        self._set(job_id, {"status": "COMPLETED", "output": output, "delayTime": delay_ms,
                           "executionTime": execution_ms, "workerId": "double-worker-1"})  # fmt: skip

    def fail(self, job_id: str, error: str) -> None:
        self._set(job_id, {"status": "FAILED", "error": error, "delayTime": 900,
                           "executionTime": 300})  # fmt: skip

    def progress(self, job_id: str, *, delay_ms: int, execution_ms: int) -> None:
        self._set(job_id, {"status": "IN_PROGRESS", "delayTime": delay_ms,
                           "executionTime": execution_ms})  # fmt: skip

    def forget(self, job_id: str) -> None:
        """RunPod dropped the job (its ttl passed): /status answers 404."""
        with self._lock:
            del self.jobs[job_id]

    def serve_file(self, name: str, data: bytes, content_type: str = "image/png") -> str:
        """A URL on the double that answers `data` (a worker that uploads to a bucket)."""
        with self._lock:
            self.files[name] = (data, content_type)
        return f"{self.url}/files/{name}"

    def _set(self, job_id: str, status: dict[str, Any]) -> None:
        with self._lock:
            self.jobs[job_id].status = status

    # --- reading --------------------------------------------------------------------------

    @property
    def only_job(self) -> RunPodJob:
        assert len(self.jobs) == 1, f"expected one job at RunPod, found {len(self.jobs)}"
        return next(iter(self.jobs.values()))

    def count(self, operation: str, job_id: str | None = None) -> int:
        """How many calls of `operation` ("run", "status", "cancel") reached the double."""
        wanted = f"/v2/{self.endpoint}/{operation}"
        if job_id is not None:
            wanted += f"/{job_id}"
        return sum(1 for _, path in self.calls if path.startswith(wanted))

    def status_body(self, job_id: str) -> dict[str, Any]:
        """What /status answers for the job now (and so what its webhook carries)."""
        with self._lock:
            job = self.jobs[job_id]
            return {"id": job.id, **job.status}

    def webhook_body(self, job_id: str) -> dict[str, Any]:
        """RunPod's webhook body: the /status answer, plus the job's input and webhook."""
        job = self.jobs[job_id]
        return {**self.status_body(job_id), "input": job.input, "webhook": job.webhook}

    # --- the ASGI app ---------------------------------------------------------------------

    def _failure(self, operation: str) -> int | None:
        with self._lock:
            queue = self._failures.get(operation)
            return queue.popleft() if queue else None

    def app(self) -> Starlette:
        def record(request: Request) -> Response | None:
            with self._lock:
                self.calls.append((request.method, request.url.path))
                self.auth_headers.append(request.headers.get("authorization"))
            if request.path_params.get("endpoint") != self.endpoint:
                return JSONResponse({"error": "endpoint not found"}, status_code=404)
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return Response("Unauthorized", status_code=401)
            return None

        def scripted(operation: str) -> Response | None:
            status = self._failure(operation)
            if status is None:
                return None
            if status == 401:
                return Response("Unauthorized", status_code=401)
            return JSONResponse({"error": f"double says {status}"}, status_code=status)

        async def run(request: Request) -> Response:
            refused = record(request) or scripted("run")
            if refused is not None:
                return refused
            body = await request.json()
            if not isinstance(body, dict) or not isinstance(body.get("input"), dict):
                return JSONResponse({"error": "input is required"}, status_code=400)
            job_id = f"{uuid.uuid4()}-u1"
            job = RunPodJob(job_id, body, {"status": "IN_QUEUE"})
            with self._lock:
                self.jobs[job_id] = job
            if self.on_run is not None:
                await asyncio.to_thread(self.on_run, job)
            return JSONResponse({"id": job_id, "status": "IN_QUEUE"})

        async def status(request: Request) -> Response:
            refused = record(request) or scripted("status")
            if refused is not None:
                return refused
            job_id = request.path_params["job_id"]
            if job_id not in self.jobs:
                return JSONResponse({"error": "request does not exist"}, status_code=404)
            return JSONResponse(self.status_body(job_id))

        async def cancel(request: Request) -> Response:
            refused = record(request) or scripted("cancel")
            if refused is not None:
                return refused
            job_id = request.path_params["job_id"]
            if job_id not in self.jobs:
                return JSONResponse({"error": "request does not exist"}, status_code=404)
            if self.on_cancel is not None:
                await asyncio.to_thread(self.on_cancel, self.jobs[job_id])
            with self._lock:
                job = self.jobs[job_id]
                if job.status["status"] in ("IN_QUEUE", "IN_PROGRESS"):
                    job.status = {**job.status, "status": "CANCELLED"}
                answer = {"id": job_id, "status": job.status["status"]}
            return JSONResponse(answer)

        async def file(request: Request) -> Response:
            with self._lock:
                self.calls.append((request.method, request.url.path))
                found = self.files.get(request.path_params["name"])
            if found is None:
                return Response("Not Found", status_code=404)
            return Response(found[0], media_type=found[1])

        return Starlette(
            routes=[
                Route("/v2/{endpoint}/run", run, methods=["POST"]),
                Route("/v2/{endpoint}/status/{job_id}", status, methods=["GET"]),
                Route("/v2/{endpoint}/cancel/{job_id}", cancel, methods=["POST"]),
                Route("/files/{name}", file, methods=["GET"]),
            ]
        )


@contextmanager
def runpod_double() -> Iterator[RunPodDouble]:
    double = RunPodDouble(url="")
    with serve_in_thread(double.app()) as url:
        double.url = url
        yield double
