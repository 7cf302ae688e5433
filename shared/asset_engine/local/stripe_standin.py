"""The local stand-in for Stripe Checkout (`asset-engine serve` in dev only, without a Stripe key).

It speaks the part of Stripe's API that checkout uses (`POST /v1/checkout/sessions`, form
encoded, bearer key), so the real `stripe` library creates the sessions; each session's URL is
a local checkout page. Paying (`POST /checkout/{session_id}/pay`, the page's button) marks the
session paid and POSTs a `checkout.session.completed` event to the real webhook function over
HTTP, signed with the webhook secret exactly as Stripe signs (`t=...,v1=HMAC-SHA256(secret,
"{t}.{body}")`, by the stripe library). Paying again re-sends the same event (a replay).
`POST /checkout/{session_id}/refund` (`{"amount": cents}`, default all) sends `charge.refunded`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

API_VERSION = "2025-03-31.basil"


@dataclass
class _Session:
    id: str
    params: dict[str, Any]
    created: int = field(default_factory=lambda: int(time.time()))
    payment_intent: str | None = None
    completed_event: dict[str, Any] | None = None
    refunded: int = 0

    @property
    def amount(self) -> int:
        try:
            return int(self.params.get("line_items[0][price_data][unit_amount]", "0"))
        except ValueError:
            return 0

    @property
    def currency(self) -> str:
        return str(self.params.get("line_items[0][price_data][currency]", "usd"))

    @property
    def metadata(self) -> dict[str, str]:
        prefix = "metadata["
        return {
            key[len(prefix) : -1]: str(value)
            for key, value in self.params.items()
            if key.startswith(prefix) and key.endswith("]")
        }

    def as_object(self, base_url: str) -> dict[str, Any]:
        """Stripe's Checkout Session object (the fields the product reads, and a few more)."""
        paid = self.payment_intent is not None
        return {
            "id": self.id,
            "object": "checkout.session",
            "mode": self.params.get("mode", "payment"),
            "status": "complete" if paid else "open",
            "payment_status": "paid" if paid else "unpaid",
            "client_reference_id": self.params.get("client_reference_id"),
            "customer_email": self.params.get("customer_email"),
            "metadata": self.metadata,
            "amount_total": self.amount,
            "amount_subtotal": self.amount,
            "currency": self.currency,
            "payment_intent": self.payment_intent,
            "success_url": self.params.get("success_url"),
            "cancel_url": self.params.get("cancel_url"),
            "url": None if paid else f"{base_url}/checkout/{self.id}",
            "created": self.created,
            "livemode": False,
        }


class StripeStandIn:
    def __init__(
        self, *, api_key: str, webhook_secret: str, webhook_url: str, base_url: str
    ) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.base_url = base_url  # where this app is mounted, as the browser reaches it
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/v1/checkout/sessions", self._create, methods=["POST"]),
                Route("/v1/checkout/sessions/{session_id}", self._retrieve, methods=["GET"]),
                Route("/checkout/{session_id}", self._page, methods=["GET"]),
                Route("/checkout/{session_id}/pay", self._pay, methods=["POST"]),
                Route("/checkout/{session_id}/refund", self._refund, methods=["POST"]),
            ]
        )

    # --- Stripe's API --------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return secrets.compare_digest(
            request.headers.get("authorization", "").encode(), f"Bearer {self.api_key}".encode()
        )

    @staticmethod
    def _stripe_error(status: int, message: str, kind: str = "invalid_request_error") -> Response:
        return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)

    async def _create(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._stripe_error(401, "Invalid API Key provided.", "authentication_error")
        # Stripe's form encoding (`line_items[0][price_data][currency]=usd`), read as flat keys.
        params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        for required in ("mode", "success_url", "line_items[0][quantity]"):
            if required not in params:
                return self._stripe_error(400, f"Missing required param: {required}.")
        session = _Session(id=f"cs_test_local_{secrets.token_hex(12)}", params=params)
        with self._lock:
            self._sessions[session.id] = session
        return JSONResponse(session.as_object(self.base_url))

    async def _retrieve(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._stripe_error(401, "Invalid API Key provided.", "authentication_error")
        session = self._sessions.get(request.path_params["session_id"])
        if session is None:
            return self._stripe_error(404, "No such checkout.session.")
        return JSONResponse(session.as_object(self.base_url))

    # --- The checkout page and what the buyer does there ---------------------------------

    async def _page(self, request: Request) -> Response:
        session = self._sessions.get(request.path_params["session_id"])
        if session is None:
            return HTMLResponse(
                _page("Checkout not found", "<p>No such checkout session.</p>"), 404
            )
        meta = session.metadata
        price = f"{session.amount / 100:,.2f} {session.currency.upper()}"
        what = html.escape(f"{int(meta.get('credits', '0')):,} credits ({meta.get('pack', '?')})")
        cancel = html.escape(str(session.params.get("cancel_url", "/")))
        body = f"""
          <p class="muted">Local Stripe stand-in: no card, no money. Paying sends Stripe's signed
          <code>checkout.session.completed</code> event to the webhook function.</p>
          <h2>{what}</h2>
          <p class="price">{html.escape(price)}</p>
          <form method="post" action="{html.escape(self.base_url)}/checkout/{html.escape(session.id)}/pay">
            <button type="submit" id="pay">Pay {html.escape(price)}</button>
          </form>
          <p><a href="{cancel}" id="cancel">Cancel and go back</a></p>"""
        return HTMLResponse(_page("Checkout", body))

    async def _pay(self, request: Request) -> Response:
        session = self._sessions.get(request.path_params["session_id"])
        if session is None:
            return JSONResponse({"error": "no such checkout session"}, status_code=404)
        with self._lock:
            if session.completed_event is None:
                session.payment_intent = f"pi_local_{secrets.token_hex(12)}"
                session.completed_event = self._event(
                    "checkout.session.completed", session.as_object(self.base_url)
                )
            event = session.completed_event
        status, answer = await self._deliver(event)
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            # The page's form: back to the shop, as Stripe redirects after paying.
            if status == 200:
                success = str(session.params.get("success_url", "/"))
                return RedirectResponse(success.replace("{CHECKOUT_SESSION_ID}", session.id), 303)
            return HTMLResponse(
                _page("Webhook failed", f"<p>The webhook answered {status}.</p>"), 502
            )
        return JSONResponse(
            {
                "session_id": session.id,
                "event_id": event["id"],
                "webhook_status": status,
                "webhook_answer": answer,
            }
        )

    async def _refund(self, request: Request) -> Response:
        session = self._sessions.get(request.path_params["session_id"])
        if session is None or session.payment_intent is None:
            return JSONResponse({"error": "no paid checkout session"}, status_code=404)
        body = await request.body()
        wanted = json.loads(body).get("amount") if body else None
        with self._lock:
            left = session.amount - session.refunded
            amount = left if wanted is None else min(int(wanted), left)
            if amount <= 0:
                return JSONResponse({"error": "nothing left to refund"}, status_code=400)
            session.refunded += amount
            charge = {
                "id": f"ch_local_{session.payment_intent.removeprefix('pi_local_')}",
                "object": "charge",
                "amount": session.amount,
                "amount_refunded": session.refunded,
                "currency": session.currency,
                "payment_intent": session.payment_intent,
                "refunded": session.refunded >= session.amount,
                "metadata": session.metadata,
            }
            event = self._event("charge.refunded", charge)
        status, answer = await self._deliver(event)
        return JSONResponse(
            {"event_id": event["id"], "webhook_status": status, "webhook_answer": answer}
        )

    @staticmethod
    def _event(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"evt_local_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "type": event_type,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": obj},
        }

    async def _deliver(self, event: dict[str, Any]) -> tuple[int, Any]:
        """POST the event to the webhook, signed now (a re-sent event gets a fresh timestamp,
        as Stripe's retries do)."""
        import stripe

        payload = json.dumps(event, separators=(",", ":"))
        signature = stripe.WebhookSignature.generate_signature_header(payload, self.webhook_secret)
        async with httpx.AsyncClient(timeout=30) as client:
            try:
                answer = await client.post(
                    self.webhook_url,
                    content=payload.encode(),
                    headers={"Content-Type": "application/json", "Stripe-Signature": signature},
                )
            except httpx.HTTPError as exc:
                return 502, {"error": type(exc).__name__}
        try:
            return answer.status_code, answer.json()
        except ValueError:
            return answer.status_code, answer.text[:500]


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem;
         color: #1f2937; }}
  .muted {{ color: #6b7280; font-size: .875rem; }} .price {{ font-size: 2rem; font-weight: 600; }}
  button {{ background: #4f46e5; color: white; border: 0; border-radius: .5rem;
           padding: .75rem 1.25rem; font-size: 1rem; cursor: pointer; }}
</style></head>
<body><h1>{html.escape(title)}</h1>{body}</body></html>"""
