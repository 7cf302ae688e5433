"""Buying credits through the real handlers: packs, Stripe Checkout (the real `stripe` library
against a local double of the Checkout Sessions API) and the Stripe webhook (events signed and
verified by the real `stripe` library).

After every test, for every user: users.credits_balance == sum(credit_ledger.delta) >= 0.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import stripe

from asset_engine import db
from asset_engine.billing import stripe_checkout
from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from asset_engine.local.stripe_standin import StripeStandIn
from tests.support.factories import SignedUp, sign_up
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT, Answer, LambdaApi
from tests.support.stripe_checkout_double import API_KEY, StripeCheckoutDouble

WEBHOOK_SECRET = "whsec_test_" + "5" * 32
FRONTEND = "https://app.example.test"
WEBHOOK = "/api/v1/webhooks/stripe"


# --- Set-up -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def double() -> Iterator[StripeCheckoutDouble]:
    checkout_double = StripeCheckoutDouble()
    with serve_in_thread(checkout_double.app) as url, pytest.MonkeyPatch.context() as mp:
        mp.setenv("STRIPE_SECRET_KEY", API_KEY)
        mp.setenv("STRIPE_API_BASE", url)
        mp.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        mp.setenv("FRONTEND_URL", FRONTEND)
        get_settings.cache_clear()
        yield checkout_double
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def stripe_settings(double: StripeCheckoutDouble, database_url: str) -> Iterator[None]:
    double.reset()
    get_settings.cache_clear()
    stripe_checkout._client.cache_clear()
    yield
    get_settings.cache_clear()
    stripe_checkout._client.cache_clear()


@pytest.fixture(autouse=True)
def ledger_explains_every_balance(database_url: str) -> Iterator[None]:
    yield
    with db.connect(database_url) as conn:
        wrong = conn.execute(
            """
            SELECT u.id, u.credits_balance, COALESCE(sum(l.delta), 0)::int AS ledger_sum
            FROM users u LEFT JOIN credit_ledger l ON l.user_id = u.id
            GROUP BY u.id, u.credits_balance
            HAVING u.credits_balance <> COALESCE(sum(l.delta), 0) OR u.credits_balance < 0
            """
        ).fetchall()
    assert not wrong, f"balances the ledger does not explain: {wrong}"


# --- Helpers ------------------------------------------------------------------------------


def _checkout(api: LambdaApi, user: SignedUp, pack: str = "starter", **kwargs: Any) -> Answer:
    return api.post("/api/v1/credits/checkout", {"pack": pack}, token=user.token, **kwargs)


def _started(api: LambdaApi, user: SignedUp, pack: str = "starter") -> str:
    answer = _checkout(api, user, pack)
    assert answer.status == 201, answer.body
    return str(answer.json["session_id"])


def _event(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_test_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": int(time.time()),
        "type": event_type,
        "livemode": False,
        "data": {"object": obj},
    }


def _session(
    session_id: str,
    user: SignedUp,
    *,
    pack: str = "starter",
    payment_status: str = "paid",
    payment_intent: str | None = None,
    amount: int = 500,
) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": payment_status,
        "client_reference_id": user.id,
        "metadata": {"pack": pack, "user_id": user.id},
        "amount_total": amount,
        "currency": "usd",
        "payment_intent": payment_intent or f"pi_test_{session_id}",
    }


def _completed(session_id: str, user: SignedUp, **kwargs: Any) -> dict[str, Any]:
    event_type = kwargs.pop("event_type", "checkout.session.completed")
    event_id = kwargs.pop("event_id", None)
    return _event(event_type, _session(session_id, user, **kwargs), event_id)


def _refunded(payment_intent: str, *, amount: int, refunded: int) -> dict[str, Any]:
    charge = {
        "id": f"ch_{payment_intent}",
        "object": "charge",
        "amount": amount,
        "amount_refunded": refunded,
        "currency": "usd",
        "payment_intent": payment_intent,
        "refunded": refunded >= amount,
    }
    return _event("charge.refunded", charge)


def _signed(
    event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, at: int | None = None
) -> tuple[bytes, str]:
    """The body and Stripe-Signature header, signed by the stripe library as Stripe signs."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=at)
    return payload.encode(), header


def _post_webhook(api: LambdaApi, payload: bytes, signature: str | None) -> Answer:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["stripe-signature"] = signature
    return api.request("POST", WEBHOOK, raw_body=payload, headers=headers)


def _deliver(api: LambdaApi, event: dict[str, Any]) -> Answer:
    answer = _post_webhook(api, *_signed(event))
    assert answer.status == 200, answer.body
    return answer


def _balance(api: LambdaApi, user: SignedUp) -> dict[str, Any]:
    answer = api.get("/api/v1/credits/balance", token=user.token)
    assert answer.status == 200
    return dict(answer.json)


def _purchase_rows(conn: db.Connection, user: SignedUp) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT delta, reason, ref_type, ref_id FROM credit_ledger "
        "WHERE user_id = %s AND reason LIKE 'purchase%%' ORDER BY created_at, id",
        (user.id,),
    ).fetchall()


def _deduct(api: LambdaApi, user: SignedUp, amount: int) -> Answer:
    return api.post(
        "/api/v1/credits/deduct", {"amount": amount, "reason": "spend"}, token=user.token
    )


def _snapshot(conn: db.Connection) -> list[Any]:
    return [
        conn.execute(
            "SELECT count(*) AS n, COALESCE(sum(delta), 0) AS s FROM credit_ledger"
        ).fetchone(),
        conn.execute("SELECT count(*) AS n FROM stripe_events").fetchone(),
        conn.execute("SELECT sum(credits_balance) AS s FROM users").fetchone(),
        conn.execute("SELECT count(*) AS n FROM credit_purchases WHERE status = 'paid'").fetchone(),
    ]


# --- Packs and checkout --------------------------------------------------------------------


def test_packs_are_listed_from_the_settings(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = sign_up(api)
    answer = api.get("/api/v1/credits/packs", token=user.token)
    assert answer.status == 200
    assert [(p["id"], p["credits"], p["price_cents"], p["currency"]) for p in answer.json] == [
        ("starter", 100, 500, "usd"),
        ("growth", 500, 2000, "usd"),
        ("scale", 2000, 6000, "usd"),
    ]
    monkeypatch.setenv(
        "CREDIT_PACKS",
        json.dumps([{"id": "huge", "credits": 10_000, "price_cents": 25_000, "currency": "eur"}]),
    )
    get_settings.cache_clear()
    assert api.get("/api/v1/credits/packs", token=user.token).json == [
        {"id": "huge", "credits": 10_000, "price_cents": 25_000, "currency": "eur"}
    ]
    assert api.get("/api/v1/credits/packs").status == 401


def test_checkout_creates_a_payment_session_owned_by_the_user(
    api: LambdaApi, double: StripeCheckoutDouble, conn: db.Connection
) -> None:
    user = sign_up(api)
    answer = _checkout(api, user, "growth")

    assert answer.status == 201, answer.body
    assert set(answer.json) == {"session_id", "checkout_url"}
    assert answer.json["checkout_url"].endswith(answer.json["session_id"])
    # What Stripe was asked for: one payment for the pack, owned by this user, back to the app
    (seen,) = double.requests
    params = seen.params
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == user.id
    assert params["metadata[pack]"] == "growth"
    assert params["metadata[user_id]"] == user.id
    assert params["payment_intent_data[metadata][pack]"] == "growth"
    assert params["line_items[0][quantity]"] == "1"
    assert params["line_items[0][price_data][unit_amount]"] == "2000"
    assert params["line_items[0][price_data][currency]"] == "usd"
    assert params["success_url"] == f"{FRONTEND}/credits/success?session_id={{CHECKOUT_SESSION_ID}}"
    assert params["cancel_url"] == f"{FRONTEND}/credits/cancel"
    assert seen.headers["authorization"] == f"Bearer {API_KEY}"
    # And what checkout sold is kept for the webhook; nothing is granted yet
    row = conn.execute(
        "SELECT user_id::text, pack, credits, price_cents, status FROM credit_purchases "
        "WHERE session_id = %s",
        (answer.json["session_id"],),
    ).fetchone()
    assert row == {
        "user_id": user.id,
        "pack": "growth",
        "credits": 500,
        "price_cents": 2000,
        "status": "open",
    }
    assert _balance(api, user) == {"balance": 50}


def test_a_pack_with_a_stripe_price_is_sold_at_that_price(
    api: LambdaApi, double: StripeCheckoutDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "CREDIT_PACKS",
        json.dumps(
            [{"id": "starter", "credits": 100, "price_cents": 500, "stripe_price": "price_123"}]
        ),
    )
    get_settings.cache_clear()
    assert _checkout(api, sign_up(api)).status == 201
    params = double.requests[0].params
    assert params["line_items[0][price]"] == "price_123"
    assert "line_items[0][price_data][unit_amount]" not in params


def test_an_unknown_pack_is_a_422_and_asks_stripe_nothing(
    api: LambdaApi, double: StripeCheckoutDouble
) -> None:
    user = sign_up(api)
    for body in ({"pack": "platinum"}, {"pack": ""}, {}, {"pack": 5}, {"pack": "starter", "x": 1}):
        answer = api.post("/api/v1/credits/checkout", body, token=user.token)
        assert (answer.status, answer.error_code) == (422, "validation_error"), body
    refused = api.post("/api/v1/credits/checkout", {"pack": "platinum"}, token=user.token)
    assert "starter" in refused.json["error"]["details"][0]["msg"]
    assert double.requests == []
    assert api.post("/api/v1/credits/checkout", {"pack": "starter"}).status == 401


def test_the_same_idempotency_key_answers_the_first_session_again(
    api: LambdaApi, double: StripeCheckoutDouble
) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"buy-{uuid.uuid4()}"}
    first = _checkout(api, user, headers=key)
    again = _checkout(api, user, headers=key)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(double.requests) == 1  # Stripe was asked once
    assert double.requests[0].headers["idempotency-key"].endswith(key["Idempotency-Key"])
    clash = _checkout(api, user, "growth", headers=key)
    assert (clash.status, clash.error_code) == (409, "conflict")
    # Without a key each checkout is a session of its own
    assert _started(api, user) != _started(api, user)


def test_stripe_refusing_is_a_502_that_frees_the_key(
    api: LambdaApi, double: StripeCheckoutDouble, conn: db.Connection
) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    double.fail_next = (400, "invalid_request_error")
    failed = _checkout(api, user, headers=key)
    assert (failed.status, failed.error_code) == (502, "provider_error")
    assert conn.execute(
        "SELECT count(*) AS n FROM credit_purchases WHERE user_id = %s", (user.id,)
    ).fetchone() == {"n": 0}
    retried = _checkout(api, user, headers=key)
    assert retried.status == 201
    assert "idempotent-replayed" not in retried.headers


def test_without_a_stripe_key_checkout_is_a_503(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    get_settings.cache_clear()
    user = sign_up(api)
    answer = _checkout(api, user)
    assert (answer.status, answer.error_code) == (503, "service_unavailable")
    assert "STRIPE_SECRET_KEY" in answer.json["error"]["message"]
    assert api.get("/api/v1/credits/packs", token=user.token).status == 200


# --- The webhook: signatures ---------------------------------------------------------------


def test_forged_missing_and_stale_signatures_are_400_and_change_nothing(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    session_id = _started(api, user)
    event = _completed(session_id, user)
    payload, good = _signed(event)
    before = _snapshot(conn)

    tampered = payload.replace(b'"paid"', b'"PAID"')
    stale_payload, stale = _signed(event, at=int(time.time()) - 301)
    forged = [
        (payload, None),  # no header
        (payload, ""),
        (payload, "garbage"),
        (payload, _signed(event, secret="whsec_someone_else")[1]),  # another secret
        (tampered, good),  # a body the signature does not cover
        (payload, good.split(",")[0] + ",v0=" + good.split("v1=")[1]),  # wrong scheme
        (stale_payload, stale),  # signed over 5 minutes ago
        (b"not json", _signed({"id": "x"})[1]),
    ]
    for body, signature in forged:
        answer = _post_webhook(api, body, signature)
        assert (answer.status, answer.error_code) == (400, "bad_request"), (signature, answer.body)
        assert answer.json["error"]["request_id"]
    assert _snapshot(conn) == before
    assert _balance(api, user)["balance"] == 50

    # Within the tolerance the same event is accepted
    recent_payload, recent = _signed(event, at=int(time.time()) - 200)
    assert _post_webhook(api, recent_payload, recent).status == 200
    assert _balance(api, user)["balance"] == 150


# --- The webhook: grants --------------------------------------------------------------------


def test_a_paid_session_grants_its_pack_once_and_a_replay_changes_nothing(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    session_id = _started(api, user, "growth")
    event = _completed(session_id, user, pack="growth", amount=2000)

    first = _deliver(api, event)
    assert first.json == {"received": True, "replay": False, "outcome": "granted 500 credits"}
    assert _balance(api, user) == {"balance": 550}

    # The same event again (Stripe retries, re-signed with a new timestamp): nothing changes
    again = _deliver(api, event)
    assert again.json["replay"] is True
    assert _balance(api, user) == {"balance": 550}
    assert _purchase_rows(conn, user) == [
        {"delta": 500, "reason": "purchase", "ref_type": "stripe_session", "ref_id": session_id}
    ]
    assert conn.execute(
        "SELECT status, amount_paid FROM credit_purchases WHERE session_id = %s", (session_id,)
    ).fetchone() == {"status": "paid", "amount_paid": 2000}


def test_two_events_for_one_session_grant_once(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    session_id = _started(api, user)
    completed = _deliver(api, _completed(session_id, user))
    succeeded = _deliver(
        api, _completed(session_id, user, event_type="checkout.session.async_payment_succeeded")
    )
    assert completed.json["outcome"] == "granted 100 credits"
    assert (succeeded.json["replay"], succeeded.json["outcome"]) == (False, "already granted")
    assert _balance(api, user)["balance"] == 150
    assert len(_purchase_rows(conn, user)) == 1


def test_the_database_refuses_a_second_purchase_row_for_a_session(
    api: LambdaApi, conn: db.Connection
) -> None:
    import psycopg

    user = sign_up(api)
    session_id = _started(api, user)
    _deliver(api, _completed(session_id, user))
    with pytest.raises(psycopg.errors.UniqueViolation), conn.transaction():
        conn.execute(
            "INSERT INTO credit_ledger (user_id, delta, balance_after, reason, ref_type, ref_id) "
            "VALUES (%s, 100, 250, 'purchase', 'stripe_session', %s)",
            (user.id, session_id),
        )


def test_an_unpaid_completion_grants_nothing_until_the_payment_succeeds(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    session_id = _started(api, user)
    unpaid = _deliver(api, _completed(session_id, user, payment_status="unpaid"))
    assert unpaid.json["outcome"] == "not granted: payment_status is unpaid"
    assert _balance(api, user)["balance"] == 50
    assert _purchase_rows(conn, user) == []

    # A delayed payment method settles later: that event grants
    settled = _deliver(
        api, _completed(session_id, user, event_type="checkout.session.async_payment_succeeded")
    )
    assert settled.json["outcome"] == "granted 100 credits"
    assert _balance(api, user)["balance"] == 150


def test_a_failed_or_expired_session_grants_nothing(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    failed, expired = _started(api, user), _started(api, user)
    _deliver(
        api,
        _completed(
            failed,
            user,
            payment_status="unpaid",
            event_type="checkout.session.async_payment_failed",
        ),
    )
    _deliver(
        api,
        _completed(expired, user, payment_status="unpaid", event_type="checkout.session.expired"),
    )
    statuses = conn.execute(
        "SELECT session_id, status FROM credit_purchases WHERE user_id = %s", (user.id,)
    ).fetchall()
    assert {r["session_id"]: r["status"] for r in statuses} == {
        failed: "failed",
        expired: "expired",
    }
    assert _balance(api, user)["balance"] == 50


def test_another_users_session_cannot_be_paid_into_this_account(
    api: LambdaApi, conn: db.Connection
) -> None:
    alice, bob = sign_up(api), sign_up(api)
    alices = _started(api, alice)

    # A signed event that says Alice's session belongs to Bob: neither is granted anything
    claimed = _session(alices, alice)
    claimed["client_reference_id"] = bob.id
    answer = _deliver(api, _event("checkout.session.completed", claimed))
    assert "client_reference_id" in answer.json["outcome"]
    # Nor a session we never started, whoever it names
    stranger = _deliver(api, _completed("cs_test_not_ours", bob))
    assert stranger.json["outcome"] == "ignored: not a checkout session started here"
    # Nor Alice's session relabelled with a bigger pack
    bigger = _deliver(api, _completed(alices, alice, pack="scale"))
    assert bigger.json["outcome"] == "ignored: the session's pack is not the one sold"
    assert _balance(api, alice)["balance"] == _balance(api, bob)["balance"] == 50

    # Paying Alice's session (whoever pays) grants Alice her pack, never Bob
    _deliver(api, _completed(alices, alice))
    assert _balance(api, alice)["balance"] == 150
    assert _balance(api, bob)["balance"] == 50
    assert _purchase_rows(conn, bob) == []


def test_events_out_of_order(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    # The async success before the completion: one grant
    first = _started(api, user)
    _deliver(api, _completed(first, user, event_type="checkout.session.async_payment_succeeded"))
    _deliver(api, _completed(first, user, payment_status="unpaid"))
    assert _balance(api, user)["balance"] == 150

    # A full refund before its payment's completion: the grant is taken back when it lands
    second = _started(api, user)
    early = _deliver(api, _refunded(f"pi_test_{second}", amount=500, refunded=500))
    assert early.json["outcome"] == "refund recorded; no granted purchase for this payment yet"
    late = _deliver(api, _completed(second, user))
    assert late.json["outcome"] == "granted 100 credits; took back 100 credits"
    assert _balance(api, user)["balance"] == 150
    assert sorted(r["delta"] for r in _purchase_rows(conn, user)) == [-100, 100, 100]

    # Partial refunds whose events cross: the running total decides, an older one does nothing
    third = _started(api, user)
    _deliver(api, _completed(third, user))
    assert _balance(api, user)["balance"] == 250
    newer = _deliver(api, _refunded(f"pi_test_{third}", amount=500, refunded=300))
    older = _deliver(api, _refunded(f"pi_test_{third}", amount=500, refunded=100))
    assert newer.json["outcome"] == "took back 60 credits"
    assert older.json["outcome"] == "nothing more to take back"
    rest = _deliver(api, _refunded(f"pi_test_{third}", amount=500, refunded=500))
    assert rest.json["outcome"] == "took back 40 credits"
    assert _balance(api, user)["balance"] == 150


# --- Refunds after spending -----------------------------------------------------------------


def test_a_refund_after_spending_is_owed_blocks_spending_and_the_next_purchase_settles_it(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given 150 credits (50 + a 100 pack), 140 of them spent
    user = sign_up(api)
    bought = _started(api, user)
    _deliver(api, _completed(bought, user))
    assert _deduct(api, user, 140).json["balance"] == 10

    # When the purchase is refunded in full
    refund = _deliver(api, _refunded(f"pi_test_{bought}", amount=500, refunded=500))

    # Then the 10 left are taken back, the 90 spent are owed, and the balance is not negative
    assert refund.json["outcome"] == "took back 10 credits; 90 owed (already spent)"
    assert _balance(api, user) == {"balance": 0, "owed": 90}
    # And spending is refused with a 402 that says why, whatever the balance
    assert (
        api.post(
            "/api/v1/credits/add",
            {"amount": 5, "reason": "goodwill", "user_id": user.id},
            token=_admin(api, conn).token,
        ).status
        == 200
    )
    refused = _deduct(api, user, 1)
    assert (refused.status, refused.error_code) == (402, "insufficient_credits")
    message = refused.json["error"]["message"]
    assert "90 credits of a refunded purchase are still owed" in message
    assert "buy credits" in message
    assert refused.json["error"]["owed"] == 90
    # A replayed refund takes nothing more
    assert (
        _deliver(api, _refunded(f"pi_test_{bought}", amount=500, refunded=500)).json["replay"]
        is False
    )
    assert _balance(api, user) == {"balance": 5, "owed": 90}

    # When the next purchase lands, it settles what is owed first
    settling = _started(api, user, "growth")
    answer = _deliver(api, _completed(settling, user, pack="growth", amount=2000))
    assert answer.json["outcome"] == "granted 500 credits; 90 owed credits settled"
    assert _balance(api, user) == {"balance": 415}
    assert _deduct(api, user, 15).status == 200
    # (one transaction writes the grant and the settlement: they share a timestamp)
    assert sorted((r["delta"], r["reason"], r["ref_id"]) for r in _purchase_rows(conn, user)) == [
        (-90, "purchase_refund", bought),
        (-10, "purchase_refund", bought),
        (100, "purchase", bought),
        (500, "purchase", settling),
    ]
    assert conn.execute(
        "SELECT credits_taken_back, credits_owed FROM credit_purchases WHERE session_id = %s",
        (bought,),
    ).fetchone() == {"credits_taken_back": 100, "credits_owed": 0}


def test_a_purchase_smaller_than_the_debt_settles_part_of_it(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    big = _started(api, user, "growth")
    _deliver(api, _completed(big, user, pack="growth", amount=2000))
    assert _deduct(api, user, 550).json["balance"] == 0
    _deliver(api, _refunded(f"pi_test_{big}", amount=2000, refunded=2000))
    assert _balance(api, user) == {"balance": 0, "owed": 500}

    small = _started(api, user)
    answer = _deliver(api, _completed(small, user))
    assert answer.json["outcome"] == "granted 100 credits; 100 owed credits settled"
    assert _balance(api, user) == {"balance": 0, "owed": 400}
    assert _deduct(api, user, 1).status == 402


def _admin(api: LambdaApi, conn: db.Connection) -> SignedUp:
    from asset_engine.auth.logic import make_admin

    admin = sign_up(api)
    make_admin(conn, email=admin.user["email"])
    return admin


# --- Concurrency ----------------------------------------------------------------------------


def test_concurrent_replays_of_one_event_grant_once(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    session_id = _started(api, user)
    payload, signature = _signed(_completed(session_id, user))
    barrier = threading.Barrier(8)

    def deliver(_: int) -> Answer:
        barrier.wait()
        return _post_webhook(api, payload, signature)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(deliver, range(8)))

    assert [a.status for a in answers] == [200] * 8
    assert sorted(a.json["replay"] for a in answers) == [False] + [True] * 7
    assert _balance(api, user)["balance"] == 150
    assert len(_purchase_rows(conn, user)) == 1


def test_concurrent_different_events_for_one_session_grant_once(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    session_id = _started(api, user)
    events = [
        _completed(session_id, user, event_type=kind)
        for kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded") * 3
    ]
    barrier = threading.Barrier(len(events))

    def deliver(event: dict[str, Any]) -> Answer:
        payload, signature = _signed(event)
        barrier.wait()
        return _post_webhook(api, payload, signature)

    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        answers = list(pool.map(deliver, events))

    assert [a.status for a in answers] == [200] * len(events)
    outcomes = sorted(a.json["outcome"] for a in answers)
    assert outcomes == ["already granted"] * 5 + ["granted 100 credits"]
    assert _balance(api, user)["balance"] == 150


# --- What the user sees ---------------------------------------------------------------------


def test_the_ledger_and_the_usage_summary_show_purchases(api: LambdaApi) -> None:
    user = sign_up(api)
    session_id = _started(api, user, "growth")
    _deliver(api, _completed(session_id, user, pack="growth", amount=2000))

    newest = api.get("/api/v1/credits/ledger", token=user.token).json["items"][0]
    assert (newest["delta"], newest["balance_after"], newest["reason"]) == (500, 550, "purchase")
    assert (newest["ref_type"], newest["ref_id"]) == ("stripe_session", session_id)
    summary = api.get("/api/v1/usage/summary", query={"days": 7}, token=user.token).json
    assert summary["totals"]["credits_purchased"] == 500
    assert summary["days"][-1]["credits_purchased"] == 500
    assert summary["totals"]["credits_spent"] == 0


def test_an_admin_grant_cannot_pose_as_a_purchase(api: LambdaApi, conn: db.Connection) -> None:
    admin = _admin(api, conn)
    for reason in ("purchase", "purchase_refund"):
        answer = api.post("/api/v1/credits/add", {"amount": 5, "reason": reason}, token=admin.token)
        assert answer.status == 422, reason


# --- The local stand-in of `asset-engine serve` ---------------------------------------------


@pytest.fixture
def served_with_standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, StripeStandIn]]:
    """The local gateway with the Stripe stand-in mounted, as `asset-engine serve` runs it
    offline: the real stripe library talks to the stand-in, which signs with the dev secret."""
    key = f"sk_test_local_{secrets.token_hex(8)}"
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET")  # the dev secret signs and verifies
    standin = StripeStandIn(api_key=key, webhook_secret="", webhook_url="", base_url="")
    gateway = LocalGateway(PROJECT_ROOT / "template.yaml", mounts={"/_local/stripe": standin.app})
    with serve_in_thread(gateway) as url:
        monkeypatch.setenv("STRIPE_SECRET_KEY", key)
        monkeypatch.setenv("STRIPE_API_BASE", f"{url}/_local/stripe")
        get_settings.cache_clear()
        stripe_checkout._client.cache_clear()
        secret = get_settings().stripe_webhook_signing_secret
        assert secret is not None
        standin.webhook_secret = secret
        standin.webhook_url = f"{url}{WEBHOOK}"
        standin.base_url = f"{url}/_local/stripe"
        yield url, standin


def test_paying_through_the_local_stand_in_grants_once_even_when_paid_twice(
    served_with_standin: tuple[str, StripeStandIn],
) -> None:
    import httpx

    url, _standin = served_with_standin
    token = httpx.post(
        f"{url}/api/v1/dev-token", json={"email": f"buyer-{uuid.uuid4().hex[:8]}@example.com"}
    )
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    started = httpx.post(f"{url}/api/v1/credits/checkout", json={"pack": "starter"}, headers=auth)
    assert started.status_code == 201, started.text
    session_id, checkout_url = started.json()["session_id"], started.json()["checkout_url"]
    assert checkout_url == f"{url}/_local/stripe/checkout/{session_id}"
    page = httpx.get(checkout_url)
    assert page.status_code == 200 and "100 credits" in page.text and "5.00 USD" in page.text

    paid = httpx.post(f"{checkout_url}/pay", timeout=30).json()
    again = httpx.post(f"{checkout_url}/pay", timeout=30).json()
    assert paid["webhook_status"] == again["webhook_status"] == 200
    assert paid["event_id"] == again["event_id"]  # the same event, re-sent
    assert (paid["webhook_answer"]["replay"], again["webhook_answer"]["replay"]) == (False, True)
    balance = httpx.get(f"{url}/api/v1/credits/balance", headers=auth).json()
    assert balance == {"balance": 150}

    # The page's own form: paid again, then back to the frontend's success page
    form = httpx.post(f"{checkout_url}/pay", data={"pay": "1"}, timeout=30)
    assert form.status_code == 303
    assert form.headers["location"].endswith(f"/credits/success?session_id={session_id}")

    refund = httpx.post(f"{checkout_url}/refund", json={"amount": 250}, timeout=30).json()
    assert refund["webhook_answer"]["outcome"] == "took back 50 credits"
    assert httpx.get(f"{url}/api/v1/credits/balance", headers=auth).json()["balance"] == 100
    assert httpx.post(f"{url}/_local/stripe/checkout/cs_unknown/pay").status_code == 404
