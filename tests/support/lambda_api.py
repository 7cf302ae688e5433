"""Call the functions' real handlers in-process, routed by template.yaml as API Gateway would."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from asset_engine.local.lambda_runtime import (
    LambdaContext,
    http_api_event,
    invoke_handler,
    response_body,
)
from asset_engine.local.template import Route, load_routes

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = PROJECT_ROOT / "tests" / "events"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error_code(self) -> str | None:
        payload = self.json
        return payload.get("error", {}).get("code") if isinstance(payload, dict) else None


class LambdaApi:
    """Each call builds a payload v2 event and invokes the routed function's `handler`."""

    def __init__(self, template: Path = PROJECT_ROOT / "template.yaml") -> None:
        self.routes: list[Route] = load_routes(template)

    def route(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        raise LookupError(f"template.yaml has no route for {method} {path}")

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        raw_body: bytes | None = None,
    ) -> Answer:
        route, params = self.route(method, path)
        all_headers = {"host": "127.0.0.1:3001", **(headers or {})}
        body = raw_body if raw_body is not None else b""
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers.setdefault("content-type", "application/json")
        if token:
            all_headers["authorization"] = f"Bearer {token}"
        event = http_api_event(
            method=method,
            path=path,
            route_key=route.route_key,
            path_parameters=params,
            headers=all_headers.items(),
            query_string=urlencode(query or {}, doseq=True),
            body=body,
        )
        return self.invoke(route, event)

    def invoke(self, route: Route, event: dict[str, Any]) -> Answer:
        context = LambdaContext(function_name=route.function.logical_id)
        result = invoke_handler(route.function.load_handler(), event, context)
        headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        return Answer(int(result["statusCode"]), headers, response_body(result))

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def patch(self, path: str, json_body: Any = None, **kwargs: Any) -> Answer:
        return self.request("PATCH", path, json_body=json_body, **kwargs)


def load_event(name: str, **replacements: str) -> dict[str, Any]:
    """An event file from tests/events/, with `{{placeholders}}` filled in."""
    text = (EVENTS_DIR / name).read_text()
    for key, value in replacements.items():
        text = text.replace("{{" + key + "}}", value)
    event: dict[str, Any] = json.loads(text)
    return event
