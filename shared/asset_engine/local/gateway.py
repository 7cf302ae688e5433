"""The local gateway: API Gateway HTTP API on one machine.

Reads `template.yaml`, and for every HttpApi route of every function turns the HTTP request
into a payload v2 event and calls that function's real `handler` with a Lambda context.
Each invocation runs in a thread of its own with a fresh event loop and its own database
connection (as in its own container), so concurrent requests run concurrently and races show
up as they would in the cloud. API Gateway's limits that matter for correctness are enforced:
the 29 s integration timeout, Lambda's 6 MB synchronous payload limit and the 10 KB of request
line and headers.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import jwt
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from asset_engine.config import get_settings
from asset_engine.local.lambda_runtime import (
    Handler,
    LambdaContext,
    http_api_event,
    invoke_handler,
    response_body,
)
from asset_engine.local.template import FunctionSpec, Route, load_routes
from asset_engine.observability import logger, make_logger
from asset_engine.web.factory import EXPOSED_HEADERS

API_GATEWAY_TIMEOUT_S = 29.0
LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024
# HTTP API's quota: "total combined size of request line and header values".
HEADERS_LIMIT = 10 * 1024
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "content-length"}


def _gateway_error(status: int, code: str, message: str, request_id: str) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    return JSONResponse(body, status_code=status, headers={"X-Request-Id": request_id})


def _add_cors_headers(response: Response, origin: str | None) -> None:
    """What API Gateway's CorsConfiguration adds to answers the functions did not make
    (no route, too large, timed out), so a browser can read those errors too."""
    if origin is None or "access-control-allow-origin" in response.headers:
        return
    if origin in get_settings().cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
        response.headers["Vary"] = "Origin"


def _request_line_and_headers_size(request: Request) -> int:
    line = len(request.method) + len(request.scope.get("raw_path") or b"") + len(request.url.query)
    return line + sum(len(name) + len(value) for name, value in request.scope["headers"])


# Its own logger: the functions' loggers carry per-request keys (user_id) that must not leak here.
access_log = make_logger("local-gateway")


def _log_access(request: Request, status: int, started: float) -> None:
    """One line per request, as API Gateway's access log has it (method, path, status, ms, user)."""
    ms = (time.monotonic() - started) * 1000
    access_log.info(
        f"{request.method} {request.url.path} {status} {ms:.0f} ms",
        extra={"user": _token_subject(request.headers.get("authorization"))},
    )


def _token_subject(authorization: str | None) -> str:
    """Who the bearer token names, for the log line only (it is verified by the function)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return "-"
    try:
        return str(jwt.decode(token, options={"verify_signature": False}).get("sub", "-"))
    except jwt.PyJWTError:
        return "?"


class PayloadTooLarge(Exception):
    pass


class LocalGateway:
    def __init__(
        self,
        template_path: Path,
        *,
        storage_dir: Path | None = None,
        mounts: dict[str, ASGIApp] | None = None,
        timeout_s: float = API_GATEWAY_TIMEOUT_S,
        payload_limit: int = LAMBDA_PAYLOAD_LIMIT,
        max_concurrency: int = 64,
    ) -> None:
        self.routes: list[Route] = load_routes(template_path)
        self.timeout_s = timeout_s
        self.payload_limit = payload_limit
        self._limiter = anyio.CapacityLimiter(max_concurrency)
        self._handlers: dict[str, Handler] = {}
        for route in self.routes:  # import every function now: a broken one fails at start-up
            self._handler(route.function)
        # Local stand-ins of outside services (e.g. RunPod), each under its own path prefix.
        self._mounts = dict(mounts or {})
        self._files = None
        if storage_dir is not None:
            storage_dir.mkdir(parents=True, exist_ok=True)
            self._files = StaticFiles(directory=storage_dir)

    @property
    def functions(self) -> list[str]:
        return sorted({route.function.logical_id for route in self.routes})

    def _handler(self, function: FunctionSpec) -> Handler:
        if function.logical_id not in self._handlers:
            self._handlers[function.logical_id] = function.load_handler()
        return self._handlers[function.logical_id]

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        if method.upper() == "OPTIONS":
            # CORS preflight goes to the function that owns the path; its app answers it.
            for route in self.routes:
                params = route.match(route.method if route.method != "ANY" else "GET", path)
                if params is not None:
                    return route, params
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        started = time.monotonic()
        for prefix, mounted in self._mounts.items():
            if scope["path"].startswith(prefix + "/"):
                sub_scope = {**scope, "path": scope["path"][len(prefix) :], "root_path": ""}
                await mounted(sub_scope, receive, send)
                return
        try:
            if self._files is not None and scope["path"].startswith("/storage/"):
                response = await self._stored_file(scope)
            else:
                response = await self._invoke(Request(scope, receive))
        except Exception:
            # Whatever fails here still answers in the envelope, never as the server's plain 500.
            logger.exception("gateway failed")
            response = _gateway_error(
                500, "internal", "Something went wrong on our side.", str(uuid.uuid4())
            )
        _add_cors_headers(response, Request(scope).headers.get("origin"))
        await response(scope, receive, send)
        _log_access(Request(scope), response.status_code, started)

    async def _stored_file(self, scope: Scope) -> Response:
        """The local stand-in for Supabase Storage's public URLs.

        Like Storage, every answer allows any origin, asked or not: the browser caches the
        image an `<img>` loaded and hands that copy to the Download button's CORS fetch."""
        assert self._files is not None
        sub_scope = {**scope, "path": scope["path"][len("/storage") :], "root_path": ""}
        try:
            response = await self._files.get_response(self._files.get_path(sub_scope), sub_scope)
        except HTTPException as exc:
            response = _gateway_error(
                exc.status_code, "not_found", "No such file.", str(uuid.uuid4())
            )
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    async def _read_body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.payload_limit:
            raise PayloadTooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.payload_limit:
                raise PayloadTooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    async def _invoke(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        path, method = request.url.path, request.method
        found = self.resolve(method, path)
        if found is None:
            return _gateway_error(404, "not_found", f"No route for {method} {path}.", request_id)
        route, params = found
        if _request_line_and_headers_size(request) > HEADERS_LIMIT:
            return _gateway_error(
                431,
                "headers_too_large",
                f"The request line and headers are over API Gateway's {HEADERS_LIMIT} bytes.",
                request_id,
            )
        try:
            body = await self._read_body(request)
        except PayloadTooLarge:
            return _gateway_error(
                413,
                "payload_too_large",
                "The request body is over Lambda's 6 MB limit.",
                request_id,
            )

        client = request.client.host if request.client else "127.0.0.1"
        event = http_api_event(
            method=method,
            path=path,
            route_key=route.route_key,
            path_parameters=params,
            headers=request.headers.items(),
            query_string=request.url.query,
            body=body,
            source_ip=client,
            request_id=request_id,
        )
        context = LambdaContext(
            function_name=route.function.logical_id,
            memory_limit_in_mb=route.function.memory_mb,
            timeout_s=min(route.function.timeout_s, self.timeout_s),
        )
        handler = self._handler(route.function)
        try:
            with anyio.fail_after(self.timeout_s):
                result = await anyio.to_thread.run_sync(
                    invoke_handler, handler, event, context,
                    abandon_on_cancel=True, limiter=self._limiter,
                )  # fmt: skip
        except TimeoutError:
            # Like API Gateway: the client gets its answer; the invocation runs on to its end.
            return _gateway_error(
                504, "gateway_timeout", "The function did not answer within 29 s.", request_id
            )
        except Exception:
            logger.exception("function raised", extra={"function": route.function.logical_id})
            return _gateway_error(500, "internal", "Internal Server Error", request_id)
        return self._to_response(result, request_id)

    def _to_response(self, result: dict[str, Any], request_id: str) -> Response:
        body = response_body(result)
        if len(body) > self.payload_limit:
            return _gateway_error(
                502, "internal", "The function's response is over Lambda's 6 MB limit.", request_id
            )
        response = Response(content=body, status_code=int(result.get("statusCode", 200)))
        for name, value in (result.get("headers") or {}).items():
            if name.lower() not in _HOP_BY_HOP:
                response.headers[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values:
                response.headers.append(name, str(value))
        for cookie in result.get("cookies") or []:
            response.headers.append("set-cookie", cookie)
        return response
