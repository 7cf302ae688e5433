"""What Lambda hands a handler, made locally: the context object and the API Gateway v2 event."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

# Content types API Gateway passes through as text; everything else is base64-encoded.
_TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded", "application/xml")


@dataclass
class LambdaContext:
    """The attributes and method of Lambda's context that Powertools and Mangum read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_s: float = 29.0
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    region: str = "us-east-1"
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:000000000000:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_s - (time.monotonic() - self._started)) * 1000))


def http_api_event(
    *,
    method: str,
    path: str,
    route_key: str,
    path_parameters: Mapping[str, str] | None = None,
    headers: Iterable[tuple[str, str]] = (),
    query_string: str = "",
    body: bytes = b"",
    source_ip: str = "127.0.0.1",
    request_id: str | None = None,
) -> dict[str, object]:
    """An API Gateway HTTP API payload v2.0 event, shaped as AWS documents it."""
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        merged[key] = f"{merged[key]},{value}" if key in merged else value

    query: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value

    content_type = merged.get("content-type", "")
    text_body: str | None = None
    if body and content_type.startswith(_TEXT_TYPES):
        try:
            text_body = body.decode()
        except UnicodeDecodeError:
            text_body = None  # not UTF-8 after all: passed on base64-encoded, bytes intact
    is_text = not body or text_body is not None
    now = datetime.now(UTC)
    event: dict[str, object] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query_string,
        "headers": merged,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": merged.get("host", "127.0.0.1"),
            "domainPrefix": merged.get("host", "127.0.0.1").split(".")[0],
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": request_id or str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if body:
        event["body"] = text_body if text_body is not None else base64.b64encode(body).decode()
    return event


def response_body(response: Mapping[str, object]) -> bytes:
    """The bytes of a handler's payload-v2 response."""
    raw = response.get("body") or ""
    assert isinstance(raw, str)
    return base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()


def invoke_handler(
    handler: Handler, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """Run one invocation as a Lambda container would: on this thread, with its own event loop
    (Mangum drives the app on the thread's current loop)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return handler(event, context)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
