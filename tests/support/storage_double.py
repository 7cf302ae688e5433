"""A local stand-in for Supabase Storage's REST API, as storage3 2.34.1 speaks it.

Under `{url}/storage/v1/`: `POST object/{bucket}/{path}` (multipart: form field `cacheControl`,
file part `file` whose part Content-Type is the object's type; header `x-upsert`) answers
`{"Id", "Key"}`; `POST object/sign/{bucket}/{path}` with `{"expiresIn": "<n>"}` answers
`{"signedURL": "/object/sign/{bucket}/{path}?token=..."}`; `GET object/sign/...?token=`, the
public read `GET object/public/{bucket}/{path}` and the download `GET object/{bucket}/{path}`
answer the bytes (a missing object: HTTP 400 carrying statusCode "404", as Storage does).
Every authenticated call needs the service key as `apiKey` and as `Authorization: Bearer`. Errors use Storage's body
`{"statusCode": "<n>", "error", "message"}`. Every call is recorded.
"""

from __future__ import annotations

import email.parser
import email.policy
import secrets
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.http_server import serve_in_thread

SERVICE_KEY = "sb_secret_test_storage_double"
BUCKET = "assets"


@dataclass(frozen=True)
class Upload:
    """One upload as the server received it."""

    bucket: str
    path: str
    headers: dict[str, str]  # lower-cased names
    form: dict[str, str]  # the text fields (cacheControl, metadata)
    filename: str | None
    content_type: str | None  # the file part's Content-Type
    data: bytes


@dataclass
class StorageDouble:
    url: str  # what SUPABASE_URL is set to
    service_key: str = SERVICE_KEY
    uploads: list[Upload] = field(default_factory=list)
    signs: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (path, JSON body)
    objects: dict[tuple[str, str], tuple[bytes, str]] = field(default_factory=dict)
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # token -> (bucket, path)
    _failures: deque[int] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next_uploads(self, *statuses: int) -> None:
        with self._lock:
            self._failures.extend(statuses)

    def public_url(self, bucket: str, path: str) -> str:
        return f"{self.url}/storage/v1/object/public/{bucket}/{path}"

    def app(self) -> Starlette:
        def refused(request: Request) -> Response | None:
            key = request.headers.get("apikey")
            bearer = request.headers.get("authorization")
            if key != self.service_key or bearer != f"Bearer {self.service_key}":
                return _error(403, "Unauthorized", "invalid signature")
            return None

        async def upload(request: Request) -> Response:
            if (answer := refused(request)) is not None:
                return answer
            with self._lock:
                failure = self._failures.popleft() if self._failures else None
            if failure is not None:
                return _error(failure, "InternalError", "double says no")
            bucket, path = request.path_params["bucket"], request.path_params["path"]
            form, part = _multipart(request.headers.get("content-type", ""), await request.body())
            if part is None:
                return _error(400, "InvalidRequest", "no file part")
            headers = {k.lower(): v for k, v in request.headers.items()}
            record = Upload(bucket, path, headers, form, part[0], part[1], part[2])
            with self._lock:
                self.uploads.append(record)
                if (bucket, path) in self.objects and headers.get("x-upsert") != "true":
                    # Storage's conflict: HTTP 400 carrying statusCode "409".
                    return JSONResponse(
                        {"statusCode": "409", "code": "KeyAlreadyExists", "error": "Duplicate",
                         "message": "The resource already exists"},
                        status_code=400,
                    )  # fmt: skip
                self.objects[(bucket, path)] = (part[2], part[1] or "text/plain;charset=UTF-8")
            return JSONResponse({"Id": str(uuid.uuid4()), "Key": f"{bucket}/{path}"})

        async def sign(request: Request) -> Response:
            if (answer := refused(request)) is not None:
                return answer
            bucket, path = request.path_params["bucket"], request.path_params["path"]
            body = await request.json()
            with self._lock:
                self.signs.append((path, body))
                if (bucket, path) not in self.objects:
                    return _error(400, "not_found", "Object not found", status="404")
                token = secrets.token_urlsafe(16)
                self.tokens[token] = (bucket, path)
            return JSONResponse({"signedURL": f"/object/sign/{bucket}/{path}?token={token}"})

        async def signed_read(request: Request) -> Response:
            bucket, path = request.path_params["bucket"], request.path_params["path"]
            if self.tokens.get(request.query_params.get("token", "")) != (bucket, path):
                return _error(400, "InvalidJWT", "invalid token")
            return self._read(bucket, path)

        async def public_read(request: Request) -> Response:
            return self._read(request.path_params["bucket"], request.path_params["path"])

        async def download(request: Request) -> Response:
            if (answer := refused(request)) is not None:
                return answer
            return self._read(request.path_params["bucket"], request.path_params["path"])

        base = "/storage/v1/object"
        return Starlette(
            routes=[
                Route(base + "/sign/{bucket}/{path:path}", sign, methods=["POST"]),
                Route(base + "/sign/{bucket}/{path:path}", signed_read, methods=["GET"]),
                Route(base + "/public/{bucket}/{path:path}", public_read, methods=["GET"]),
                Route(base + "/{bucket}/{path:path}", upload, methods=["POST"]),
                Route(base + "/{bucket}/{path:path}", download, methods=["GET"]),
            ]
        )

    def _read(self, bucket: str, path: str) -> Response:
        with self._lock:
            found = self.objects.get((bucket, path))
        if found is None:
            return _error(400, "not_found", "Object not found", status="404")
        return Response(found[0], media_type=found[1])


def _error(http: int, error: str, message: str, *, status: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"statusCode": status or str(http), "error": error, "message": message}, status_code=http
    )


def _multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], tuple[str | None, str | None, bytes] | None]:
    """The text fields, and the `file` part as (filename, its Content-Type, bytes)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    form: dict[str, str] = {}
    file_part: tuple[str | None, str | None, bytes] | None = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = bytes(part.get_payload(decode=True) or b"")
        if name == "file":
            file_part = (part.get_filename(), part.get("content-type"), payload)
        elif isinstance(name, str):
            form[name] = payload.decode()
    return form, file_part


@contextmanager
def storage_double() -> Iterator[StorageDouble]:
    double = StorageDouble(url="")
    with serve_in_thread(double.app()) as url:
        double.url = url
        yield double
