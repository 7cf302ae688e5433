"""A local double of Stripe's Checkout Sessions API, for the real `stripe` library.

`POST /v1/checkout/sessions` as Stripe takes it (form encoded, `Authorization: Bearer sk_...`,
an optional `Idempotency-Key` whose repeat answers the first session again) and answers a
Checkout Session object. Every request is kept for the tests to read; `fail_next` makes the
next creation answer a Stripe error.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_KEY = "sk_test_double_0123456789abcdef"
CHECKOUT_HOST = "https://checkout.stripe.test"


@dataclass
class SeenRequest:
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class StripeCheckoutDouble:
    api_key: str = API_KEY
    requests: list[SeenRequest] = field(default_factory=list)
    fail_next: tuple[int, str] | None = None  # (status, Stripe error type)
    _by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/checkout/sessions", self._create, methods=["POST"])])

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._by_key.clear()
            self.fail_next = None

    async def _create(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "authentication_error", "Invalid API Key provided.")
        params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        with self._lock:
            self.requests.append(SeenRequest(params, dict(request.headers)))
            if self.fail_next is not None:
                status, kind = self.fail_next
                self.fail_next = None
                return _error(status, kind, "The double was told to refuse this one.")
            key = request.headers.get("idempotency-key")
            if key and key in self._by_key:
                return JSONResponse(self._by_key[key])
            session = _session(params)
            if key:
                self._by_key[key] = session
        return JSONResponse(session)


def _session(params: dict[str, str]) -> dict[str, Any]:
    session_id = f"cs_test_{secrets.token_hex(16)}"
    amount = int(params.get("line_items[0][price_data][unit_amount]", "500"))
    return {
        "id": session_id,
        "object": "checkout.session",
        "mode": params.get("mode"),
        "status": "open",
        "payment_status": "unpaid",
        "client_reference_id": params.get("client_reference_id"),
        "metadata": {
            key[len("metadata[") : -1]: value
            for key, value in params.items()
            if key.startswith("metadata[")
        },
        "amount_total": amount,
        "currency": params.get("line_items[0][price_data][currency]", "usd"),
        "payment_intent": None,
        "success_url": params.get("success_url"),
        "cancel_url": params.get("cancel_url"),
        "url": f"{CHECKOUT_HOST}/c/pay/{session_id}",
        "created": int(time.time()),
        "livemode": False,
    }


def _error(status: int, kind: str, message: str) -> Response:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)
