"""Buying credits: packs, Stripe Checkout, and what Stripe's webhook events do to a balance.

Checkout records what it sold (`credit_purchases`) and to whom; the webhook trusts only a
verified event, handles each event id once (`stripe_events`, one transaction per event), and
grants a session's pack once (a locked purchase row, and a unique index on its ledger row), to
the user Stripe reports as the session's client_reference_id only when that is the user we
started it for. A refund takes back the refunded share of the pack; what the balance cannot
cover is owed, which blocks spending until the next purchase settles it.

Lock order, on every path that moves credits here: the user's row, then purchase rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from asset_engine import db
from asset_engine.auth.users import User
from asset_engine.billing import credits, idempotency, packs, stripe_checkout
from asset_engine.billing import purchase_records as records
from asset_engine.billing.charges import Answer
from asset_engine.billing.schemas import CheckoutCreate, CheckoutSession, PackPublic, WebhookAnswer
from asset_engine.db import Connection, transaction
from asset_engine.errors import Conflict
from asset_engine.observability import logger, metrics

CHECKOUT_ROUTE = "POST /api/v1/credits/checkout"
PURCHASE_REASON = "purchase"
REFUND_REASON = "purchase_refund"
REF_TYPE = "stripe_session"

PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def packs_on_sale() -> list[PackPublic]:
    return [
        PackPublic(id=p.id, credits=p.credits, price_cents=p.price_cents, currency=p.currency)
        for p in packs.on_sale()
    ]


def start_checkout(*, user: User, body: CheckoutCreate, idempotency_key: str | None) -> Answer:
    """A Checkout Session for one pack (201), or the stored answer of a replayed key. No
    connection is held while Stripe answers."""
    pack = packs.find(body.pack)
    if pack is None:  # the schema checked it; the settings cannot change within a container
        raise Conflict("That pack is no longer on sale.")
    user_id = user.id
    if idempotency_key:
        fingerprint = idempotency.request_fingerprint(
            body.model_dump(mode="json"), route=CHECKOUT_ROUTE
        )
        with db.checkout() as conn, transaction(conn):
            stored = idempotency.begin(
                conn, user_id=user_id, key=idempotency_key, fingerprint=fingerprint
            )
        if stored is not None:
            return Answer(stored.status, stored.body, replayed=True)
    try:
        session = stripe_checkout.create_session(
            user_id=user_id, email=user.email, pack=pack, idempotency_key=idempotency_key
        )
        payload = CheckoutSession(session_id=session.id, checkout_url=session.url).model_dump(
            mode="json"
        )
        with db.checkout() as conn, transaction(conn):
            records.insert_purchase(
                conn,
                session_id=session.id,
                user_id=user_id,
                pack=pack.id,
                credits=pack.credits,
                price_cents=pack.price_cents,
                currency=pack.currency,
            )
            if idempotency_key:
                idempotency.finish(
                    conn, user_id=user_id, key=idempotency_key, status=201, body=payload
                )
    except Exception:
        if idempotency_key:  # a retry may run again
            with db.checkout() as conn, transaction(conn):
                idempotency.release(conn, user_id=user_id, key=idempotency_key)
        raise
    metrics.add_metric(name="CheckoutsStarted", unit="Count", value=1)
    return Answer(201, payload)


def handle_webhook(*, payload: bytes, signature: str | None) -> WebhookAnswer:
    """One verified Stripe event, handled once: a replay (same event id) changes nothing."""
    event = stripe_checkout.verified_event(payload, signature)
    event_id, event_type = str(event["id"]), _text(event.get("type"))
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    with db.checkout() as conn, transaction(conn):
        if not records.record_event(conn, event_id=event_id, event_type=event_type):
            outcome = records.event_outcome(conn, event_id=event_id) or "received"
            logger.info("Stripe event replayed", extra={"event": event_id, "type": event_type})
            return WebhookAnswer(received=True, replay=True, outcome=outcome)
        outcome = _handle(conn, event_type, obj if isinstance(obj, dict) else {})
        records.set_event_outcome(conn, event_id=event_id, outcome=outcome)
    logger.info(
        "Stripe event handled", extra={"event": event_id, "type": event_type, "outcome": outcome}
    )
    return WebhookAnswer(received=True, replay=False, outcome=outcome)


def _handle(conn: Connection, event_type: str, obj: dict[str, Any]) -> str:
    if event_type in PAID_EVENTS:
        return _session_paid(conn, obj)
    if event_type == "checkout.session.async_payment_failed":
        return _session_ended(conn, obj, status="failed")
    if event_type == "checkout.session.expired":
        return _session_ended(conn, obj, status="expired")
    if event_type == "charge.refunded":
        return _charge_refunded(conn, obj)
    return f"ignored: {event_type or 'an event without a type'} is not handled"


def _session_paid(conn: Connection, session: dict[str, Any]) -> str:
    """Grant the pack of a paid session of ours, once, to the user we started it for."""
    session_id = _text(session.get("id"))
    purchase = records.get_purchase(conn, session_id=session_id) if session_id else None
    if purchase is None:
        return "ignored: not a checkout session started here"
    user_id = purchase.user_id
    # Whom Stripe says the session is for must be whom we started it for: another user's
    # session is never paid into this account, nor this one into another.
    if _text(session.get("client_reference_id")) != str(user_id):
        logger.warning("Stripe session owner mismatch", extra={"session": session_id})
        return "ignored: the session's client_reference_id is not the user who started it"
    metadata = session.get("metadata")
    if not isinstance(metadata, dict) or _text(metadata.get("pack")) != purchase.pack:
        return "ignored: the session's pack is not the one sold"
    if session.get("mode", "payment") != "payment":
        return "ignored: not a one-time payment"
    payment_status = _text(session.get("payment_status"))
    if payment_status != "paid":
        return f"not granted: payment_status is {payment_status or 'missing'}"

    credits.hold_account(conn, user_id=user_id)
    purchase = records.get_purchase(conn, session_id=session_id, lock=True)
    assert purchase is not None
    if purchase.status == "paid":
        return "already granted"
    credits.credit(
        conn,
        user_id=user_id,
        amount=purchase.credits,
        reason=PURCHASE_REASON,
        ref_type=REF_TYPE,
        ref_id=session_id,
    )
    payment_intent = _text(session.get("payment_intent")) or None
    amount = session.get("amount_total")
    records.mark_paid(
        conn,
        session_id=session_id,
        payment_intent=payment_intent,
        amount_paid=amount if isinstance(amount, int) and amount >= 0 else None,
    )
    outcome = f"granted {purchase.credits} credits"
    settled = _settle_owed(conn, user_id=user_id)
    if settled:
        outcome += f"; {settled} owed credits settled"
    if payment_intent:  # a refund reported before this payment's own event
        refunded = records.get_purchase(conn, session_id=session_id, lock=True)
        assert refunded is not None
        taken = _take_back_refunded(conn, refunded)
        if taken:
            outcome += f"; {taken}"
    metrics.add_metric(name="CreditsPurchased", unit="Count", value=purchase.credits)
    return outcome


def _session_ended(conn: Connection, session: dict[str, Any], *, status: str) -> str:
    session_id = _text(session.get("id"))
    if not session_id or records.get_purchase(conn, session_id=session_id) is None:
        return "ignored: not a checkout session started here"
    records.mark_ended_unpaid(conn, session_id=session_id, status=status)
    return f"session {status}; nothing granted"


def _charge_refunded(conn: Connection, charge: dict[str, Any]) -> str:
    """Take back the refunded share of a purchase (Stripe reports the running total)."""
    payment_intent = _text(charge.get("payment_intent"))
    amount, refunded = charge.get("amount"), charge.get("amount_refunded")
    if not payment_intent or not isinstance(amount, int) or not isinstance(refunded, int):
        return "ignored: a charge without payment_intent, amount or amount_refunded"
    if amount <= 0 or refunded < 0:
        return "ignored: a charge with no amount"
    records.record_refund(
        conn, payment_intent=payment_intent, amount=amount, amount_refunded=refunded
    )
    purchase = records.get_purchase_by_payment(conn, payment_intent=payment_intent)
    if purchase is None:
        # Its payment's event has not come yet (or it is not ours): kept, applied on grant.
        return "refund recorded; no granted purchase for this payment yet"
    credits.hold_account(conn, user_id=purchase.user_id)
    purchase = records.get_purchase(conn, session_id=purchase.session_id, lock=True)
    assert purchase is not None
    return _take_back_refunded(conn, purchase) or "nothing more to take back"


def _take_back_refunded(conn: Connection, purchase: records.Purchase) -> str:
    """Take back what the refunds reported so far make due on a granted purchase; what the
    balance cannot cover is owed. Inside the caller's transaction, the purchase locked."""
    if purchase.status != "paid" or not purchase.payment_intent:
        return ""
    refund = records.refund_of(conn, payment_intent=purchase.payment_intent)
    if refund is None:
        return ""
    refunded = min(refund.amount_refunded, refund.amount)
    share = purchase.credits * refunded // refund.amount
    due = share - purchase.credits_taken_back - purchase.credits_owed
    if due <= 0:
        return ""
    _entry, short = credits.take_back(
        conn,
        user_id=purchase.user_id,
        amount=due,
        reason=REFUND_REASON,
        ref_type=REF_TYPE,
        ref_id=purchase.session_id,
    )
    taken = due - short
    records.add_taken_back(conn, session_id=purchase.session_id, taken=taken, owed_change=short)
    metrics.add_metric(name="CreditsRefunded", unit="Count", value=due)
    if short:
        logger.warning(
            "a refund took back more credits than the balance held",
            extra={"session": purchase.session_id, "owed": short},
        )
        return f"took back {taken} credits; {short} owed (already spent)"
    return f"took back {taken} credits"


def _settle_owed(conn: Connection, *, user_id: uuid.UUID) -> int:
    """Pay what refunded purchases still owe from the balance, oldest first."""
    settled = 0
    for purchase in records.owing_purchases(conn, user_id=user_id):
        owed = purchase.credits_owed
        _entry, short = credits.take_back(
            conn,
            user_id=user_id,
            amount=owed,
            already_owed=owed,
            reason=REFUND_REASON,
            ref_type=REF_TYPE,
            ref_id=purchase.session_id,
        )
        taken = owed - short
        if taken:
            records.add_taken_back(
                conn, session_id=purchase.session_id, taken=taken, owed_change=-taken
            )
        settled += taken
        if short:
            break
    return settled


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
