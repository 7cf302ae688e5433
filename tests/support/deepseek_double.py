"""A local stand-in for DeepSeek's chat completions API, in its documented wire format.

Scripted per test: each queued behaviour answers one request (a JSON answer, plain text, an
HTTP error with DeepSeek's error body, a delay, malformed or empty content). With nothing
queued it answers well-formed content for what was asked (variants, suggestions or a rewrite).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.http_server import LoopbackServer

API_KEY = "sk-test-deepseek-double"
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "insufficient_balance",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_overloaded",
}


@dataclass(frozen=True)
class Behaviour:
    status: int = 200
    content: str | None = None  # None: build a good answer from the request
    finish_reason: str = "stop"
    delay_s: float = 0.0
    keepalive_s: float = 0.0  # empty lines first, as DeepSeek sends while a request waits
    headers: dict[str, str] = field(default_factory=dict)


def ok(content: str | None = None) -> Behaviour:
    return Behaviour(content=content)


def error(status: int, retry_after: str | None = None) -> Behaviour:
    return Behaviour(status=status, headers={"Retry-After": retry_after} if retry_after else {})


def slow(delay_s: float) -> Behaviour:
    return Behaviour(delay_s=delay_s)


def busy(keepalive_s: float, content: str | None = None) -> Behaviour:
    """200 at once, then an empty line every 0.1 s for `keepalive_s`, then the answer."""
    return Behaviour(keepalive_s=keepalive_s, content=content)


@dataclass
class DeepSeekDouble:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    _script: deque[Behaviour] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._script.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._script.popleft() if self._script else Behaviour()


def _good_content(body: dict[str, Any]) -> str:
    # The brief is the first user message (a repair request adds more after it).
    asked = str(next(m["content"] for m in body["messages"] if m["role"] == "user"))
    if body.get("response_format", {}).get("type") == "json_object":
        asked_for = re.search(r"(\d+) (?:distinct|item|strings|texts)", asked)
        assert asked_for is not None, asked
        count = int(asked_for.group(1))
        if '"texts"' in asked:  # a rewrite within a limit: the shortest copy there is
            return json.dumps({"texts": [f"Short {i + 1}." for i in range(count)]})
        if '"suggestions"' in asked:
            return json.dumps({"suggestions": [f"Suggestion number {i + 1}" for i in range(count)]})
        return json.dumps(
            {
                "variants": [
                    {"title": f"Variant {i + 1}", "content": f"DeepSeek copy {i + 1}"}
                    for i in range(count)
                ]
            }
        )
    return "DeepSeek rewrite: " + asked.rsplit("Copy:\n", 1)[-1]


def _completion(body: dict[str, Any], content: str, finish_reason: str) -> dict[str, Any]:
    return {
        "id": "930c60df-bf64-41c9-a88e-3ec75f81e00e",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "deepseek-chat"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": 120,
            "completion_tokens": 80,
            "total_tokens": 200,
            "prompt_cache_hit_tokens": 0,
            "prompt_cache_miss_tokens": 120,
        },
        "system_fingerprint": "fp_double",
    }


@contextmanager
def deepseek_double() -> Iterator[DeepSeekDouble]:
    double: DeepSeekDouble

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != "/chat/completions":
                return self._send(404, {"error": {"message": "Not Found", "type": "not_found"}})
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                return self._send(401, _error_body(401))
            body = json.loads(raw)
            double.requests.append(body)
            behaviour = double.next_behaviour()
            if behaviour.delay_s:
                time.sleep(behaviour.delay_s)
            if behaviour.status != 200:
                return self._send(
                    behaviour.status, _error_body(behaviour.status), behaviour.headers
                )
            content = behaviour.content if behaviour.content is not None else _good_content(body)
            answer = _completion(body, content, behaviour.finish_reason)
            if behaviour.keepalive_s:
                return self._send_after_keepalive(behaviour.keepalive_s, answer)
            self._send(200, answer)

        def _send_after_keepalive(self, seconds: float, payload: dict[str, Any]) -> None:
            # No Content-Length: the body ends when the connection closes (HTTP/1.0).
            self.close_connection = True
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                until = time.monotonic() + seconds
                while time.monotonic() < until:
                    self.wfile.write(b"\n")
                    self.wfile.flush()
                    time.sleep(0.1)
                self.wfile.write(json.dumps(payload).encode())
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up

        def _send(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = LoopbackServer(("127.0.0.1", 0), Handler)
    double = DeepSeekDouble(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()


def _error_body(status: int) -> dict[str, Any]:
    return {
        "error": {
            "message": f"Double says {status}",
            "type": _ERROR_TYPES.get(status, "error"),
            "param": None,
            "code": None,
        }
    }
