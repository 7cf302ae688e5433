"""A test-only bridge that speaks Upstash's REST protocol in front of a real Redis.

`POST /` takes one command as a JSON array (`["INCRBY", "k", "1"]`), `POST /pipeline` and
`POST /multi-exec` a list of them; answers are `{"result": ...}` or `{"error": ...}`, with
bulk strings base64-encoded when the client sends `Upstash-Encoding: base64`, and the token
checked as `Authorization: Bearer <token>`. Replies are Redis's raw RESP2 values.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.http_server import serve_in_thread

# With `Upstash-Encoding: base64` Upstash encodes every string but "OK" (upstash-redis'
# http.py decodes all others), PING's "PONG" included.
_SIMPLE_STRINGS = {b"OK"}


def _encode(value: Any, base64_mode: bool) -> Any:
    if isinstance(value, bytes):
        if value in _SIMPLE_STRINGS:
            return value.decode()
        return base64.b64encode(value).decode() if base64_mode else value.decode()
    if isinstance(value, list):
        return [_encode(v, base64_mode) for v in value]
    return value


def _strip_shebang(command: list[str]) -> list[str]:
    # upstash-ratelimit's scripts start with "#!lua flags=allow-key-locking", which Upstash
    # accepts and Redis 7.0 refuses; Upstash ignores the flag's meaning for a single node.
    if command and command[0].upper() == "EVAL" and len(command) > 1:
        first, _, rest = command[1].lstrip().partition("\n")
        if first.startswith("#!"):
            command = [command[0], rest, *command[2:]]
    return command


@dataclass
class Bridge:
    url: str
    token: str
    commands: list[list[str]]


@contextmanager
def upstash_bridge(redis_url: str) -> Iterator[Bridge]:
    client = redis.Redis.from_url(redis_url)
    client.response_callbacks.clear()  # raw RESP2 replies, as Upstash relays them
    token = secrets.token_urlsafe(16)
    seen: list[list[str]] = []
    # redis-py's `execute_command` is untyped; every reply is raw RESP, so Any.
    execute: Callable[..., Any] = client.execute_command

    def run(command: list[str]) -> Any:
        seen.append(command)
        return execute(*_strip_shebang([str(part) for part in command]))

    async def single(request: Request) -> JSONResponse:
        return await _answer(request, lambda body: run(body))

    async def pipeline(request: Request) -> JSONResponse:
        return await _answer(request, lambda body: [_result(run, cmd) for cmd in body], wrap=False)

    async def multi_exec(request: Request) -> JSONResponse:
        def transaction(body: list[list[str]]) -> list[dict[str, Any]]:
            pipe = client.pipeline(transaction=True)
            for cmd in body:
                seen.append(cmd)
                queue: Callable[..., Any] = pipe.execute_command
                queue(*_strip_shebang([str(part) for part in cmd]))
            return [{"result": value} for value in pipe.execute(raise_on_error=False)]

        return await _answer(request, transaction, wrap=False)

    async def _answer(request: Request, handle: Any, wrap: bool = True) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {token}":
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        base64_mode = request.headers.get("upstash-encoding") == "base64"
        body = await request.json()
        try:
            result = handle(body)
        except redis.ResponseError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        if wrap:
            return JSONResponse({"result": _encode(result, base64_mode)})
        return JSONResponse(
            [
                {"result": _encode(item["result"], base64_mode)}
                if not isinstance(item["result"], redis.ResponseError)
                else {"error": str(item["result"])}
                for item in result
            ]
        )

    app = Starlette(
        routes=[
            Route("/", single, methods=["POST"]),
            Route("/pipeline", pipeline, methods=["POST"]),
            Route("/multi-exec", multi_exec, methods=["POST"]),
        ]
    )
    with serve_in_thread(app) as url:
        yield Bridge(url=url, token=token, commands=seen)
    client.close()


def _result(run: Any, command: list[str]) -> dict[str, Any]:
    try:
        return {"result": run(command)}
    except redis.ResponseError as exc:
        return {"result": exc}
