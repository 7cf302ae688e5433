"""Stripe, through the `stripe` library: Checkout Sessions for packs, and webhook signatures.

The client is built on first use and cached per container (cold start is a budget). Its API
base is STRIPE_API_BASE when set: the local stand-in of `asset-engine serve`, or a test double,
so the same calls run everywhere.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from asset_engine.config import CreditPack, get_settings
from asset_engine.errors import InvalidRequest, ProviderError, ServiceUnavailable
from asset_engine.observability import logger

if TYPE_CHECKING:
    import stripe

# How far a webhook's signed timestamp may lag behind our clock (Stripe's default).
SIGNATURE_TOLERANCE_S = 300


class BadSignature(InvalidRequest):
    """A webhook whose Stripe-Signature is missing, forged or stale (or whose body is not an
    event): refused before anything is read from it."""

    default_message = "The Stripe-Signature header does not verify this body."


@dataclass(frozen=True)
class StartedSession:
    id: str
    url: str


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str | None, timeout_s: float) -> stripe.StripeClient:
    import stripe

    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        # requests (there through google-auth[requests]): stripe's own default client.
        http_client=stripe.RequestsClient(timeout=timeout_s),
        max_network_retries=2,
    )


def client() -> stripe.StripeClient:
    settings = get_settings()
    if not settings.stripe_secret_key:
        raise ServiceUnavailable(
            "Buying credits is not set up here: the server has no STRIPE_SECRET_KEY "
            "(`asset-engine serve` runs a local Stripe stand-in instead)."
        )
    return _client(settings.stripe_secret_key, settings.stripe_api_base, settings.stripe_timeout_s)


def create_session(
    *,
    user_id: uuid.UUID,
    email: str | None,
    pack: CreditPack,
    idempotency_key: str | None,
) -> StartedSession:
    """A Checkout Session in payment mode for one pack, owned by `user_id` (its
    client_reference_id), coming back to the frontend's success or cancel page."""
    import stripe

    settings = get_settings()
    if pack.stripe_price:
        line_item: dict[str, Any] = {"price": pack.stripe_price, "quantity": 1}
    else:
        line_item = {
            "price_data": {
                "currency": pack.currency,
                "unit_amount": pack.price_cents,
                "product_data": {"name": f"{pack.credits:,} asset-engine credits"},
            },
            "quantity": 1,
        }
    metadata = {"pack": pack.id, "credits": str(pack.credits), "user_id": str(user_id)}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [line_item],
        "client_reference_id": str(user_id),
        "metadata": metadata,
        # The charge and its refunds carry the same facts.
        "payment_intent_data": {"metadata": metadata},
        "success_url": f"{settings.checkout_return_url}/credits/success"
        "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": f"{settings.checkout_return_url}/credits/cancel",
    }
    if email:
        params["customer_email"] = email
    options: dict[str, Any] = {}
    if idempotency_key:
        # A retry after a lost answer gets the same session from Stripe, not a second one.
        options["idempotency_key"] = f"asset-engine-checkout-{user_id}-{idempotency_key}"
    try:
        session = client().v1.checkout.sessions.create(params=params, options=options)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        logger.warning(
            "Stripe refused a checkout session",
            extra={"error": type(exc).__name__, "status": getattr(exc, "http_status", None)},
        )
        raise ProviderError("Stripe could not start the checkout; nothing was charged.") from exc
    if not session.id or not session.url:
        raise ProviderError("Stripe answered without a checkout URL; nothing was charged.")
    return StartedSession(id=str(session.id), url=str(session.url))


def verified_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event in `payload`, once `signature` proves Stripe sent it within the tolerance."""
    import stripe

    secret = get_settings().stripe_webhook_signing_secret
    if not secret:
        raise ServiceUnavailable("Stripe webhooks are not set up here (no STRIPE_WEBHOOK_SECRET).")
    try:
        stripe.Webhook.construct_event(payload, signature, secret, tolerance=SIGNATURE_TOLERANCE_S)
        event = json.loads(payload)
    except stripe.SignatureVerificationError as exc:
        raise BadSignature(
            "The Stripe-Signature header is missing, does not match this body, or is older "
            f"than {SIGNATURE_TOLERANCE_S} s."
        ) from exc
    except ValueError as exc:  # not UTF-8, not JSON
        raise BadSignature("The body is not a Stripe event.") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise BadSignature("The body is not a Stripe event.")
    return event
