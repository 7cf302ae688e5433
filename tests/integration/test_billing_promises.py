"""What the billing code writes, exactly: grants, deductions, refusals, the balance's range."""

from __future__ import annotations

import uuid

import pytest

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.billing import credits
from asset_engine.errors import Conflict, NotFound
from tests.support.factories import sign_up
from tests.support.lambda_api import LambdaApi


def test_an_admin_grant_names_its_admin(api: LambdaApi, conn: db.Connection) -> None:
    admin, user = sign_up(api), sign_up(api)
    make_admin(conn, email=admin.user["email"])
    granted = api.post(
        "/api/v1/credits/add",
        {"amount": 7, "reason": "goodwill", "user_id": user.id},
        token=admin.token,
    ).json
    assert granted["balance"] == 57
    entry = granted["entry"]
    assert (entry["delta"], entry["balance_after"], entry["reason"]) == (7, 57, "goodwill")
    assert (entry["ref_type"], entry["ref_id"]) == ("admin_grant", admin.id)
    missing = api.post(
        "/api/v1/credits/add",
        {"amount": 7, "reason": "x", "user_id": str(uuid.uuid4())},
        token=admin.token,
    )
    assert (missing.status, missing.json["error"]["message"]) == (404, "No user with that id.")


@pytest.mark.parametrize("key", [None, "with-key"])
def test_a_deduct_records_its_usage_and_a_user_reason(
    api: LambdaApi, conn: db.Connection, key: str | None
) -> None:
    user = sign_up(api)
    answer = api.post(
        "/api/v1/credits/deduct",
        {"amount": 4, "reason": "refund"},
        token=user.token,
        headers={"Idempotency-Key": key} if key else None,
    ).json
    entry = answer["entry"]
    # A user cannot write a ledger row that reads as one the system writes
    assert (entry["delta"], entry["reason"], entry["ref_type"]) == (-4, "user:refund", None)
    events = conn.execute(
        "SELECT kind, status, credits_spent, ref_type, ref_id, metadata FROM usage_events "
        "WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert events == [
        {"kind": "deduct", "status": "succeeded", "credits_spent": 4,
         "ref_type": "credit_ledger", "ref_id": entry["id"], "metadata": {"reason": "refund"}}
    ]  # fmt: skip


def test_a_short_balance_says_what_is_needed(api: LambdaApi) -> None:
    user = sign_up(api)
    many = api.post("/api/v1/credits/deduct", {"amount": 60, "reason": "x"}, token=user.token)
    error = many.json["error"]
    assert error["message"] == "This needs 60 credits and the balance is 50."
    assert (error["balance"], error["required"]) == (50, 60)
    api.post("/api/v1/credits/deduct", {"amount": 50, "reason": "x"}, token=user.token)
    one = api.post("/api/v1/credits/deduct", {"amount": 1, "reason": "x"}, token=user.token)
    assert one.json["error"]["message"] == "This needs 1 credit and the balance is 0."


def test_the_balance_may_reach_its_maximum_and_not_pass_it(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    user_id = uuid.UUID(user.id)
    with conn.transaction():
        credits.debit(conn, user_id=user_id, amount=50, reason="test")
        top = credits.credit(conn, user_id=user_id, amount=credits.MAX_BALANCE, reason="test_grant")
    assert top.balance_after == credits.MAX_BALANCE
    with pytest.raises(Conflict) as refused, conn.transaction():
        credits.credit(conn, user_id=user_id, amount=1, reason="test_grant")
    assert refused.value.message == (
        f"That would take the balance past its maximum of {credits.MAX_BALANCE} credits."
    )
    assert refused.value.extra == {"balance": credits.MAX_BALANCE}
    # and all of it can be spent at once
    with conn.transaction():
        spent = credits.debit(conn, user_id=user_id, amount=credits.MAX_BALANCE, reason="test")
    assert spent.balance_after == 0


@pytest.mark.parametrize("amount", [0, -1, credits.MAX_BALANCE + 1])
def test_amounts_outside_the_range_are_refused_before_any_sql(amount: int) -> None:
    nobody = uuid.uuid4()
    with pytest.raises(ValueError, match=r"^a debit takes a positive amount"):
        credits.debit(None, user_id=nobody, amount=amount, reason="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^a credit takes a positive amount"):
        credits.credit(None, user_id=nobody, amount=amount, reason="x")  # type: ignore[arg-type]


def test_a_missing_users_balance_is_not_found(conn: db.Connection) -> None:
    with pytest.raises(NotFound, match=r"^User not found\.$"):
        credits.balance(conn, user_id=uuid.uuid4())
    with pytest.raises(NotFound), conn.transaction():
        credits.credit(conn, user_id=uuid.uuid4(), amount=1, reason="x")


def test_a_refund_gives_the_charge_back_on_its_reference(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    user_id = uuid.UUID(user.id)
    with conn.transaction():
        charge = credits.debit(
            conn, user_id=user_id, amount=3, reason="ai_x", ref_type="test_charge", ref_id="r-1"
        )
        back = credits.refund(conn, charge=charge, reason="refund_custom")
    assert (back.delta, back.balance_after, back.reason) == (3, 50, "refund_custom")
    assert (back.ref_type, back.ref_id, back.user_id) == ("test_charge", "r-1", user_id)
    assert credits.charge_for(conn, ref_type="test_charge", ref_id="r-1") == charge
    assert credits.charge_for(conn, ref_type="test_charge", ref_id="r-2") is None


def test_usage_counts_text_work_and_ignores_failures(api: LambdaApi) -> None:
    user = sign_up(api)
    asset = api.post(
        "/api/v1/ai/generate-text",
        {"prompt": "Linen", "asset_type": "headline", "variants": 2},
        token=user.token,
    ).json["assets"][0]
    api.post("/api/v1/ai/suggestions", {"kind": "cta", "count": 2}, token=user.token)
    api.post(
        "/api/v1/ai/refine", {"asset_id": asset["id"], "instruction": "shorter"}, token=user.token
    )
    api.post("/api/v1/ai/regenerate", {"asset_id": asset["id"]}, token=user.token)
    api.post("/api/v1/credits/deduct", {"amount": 5, "reason": "x"}, token=user.token)
    summary = api.get("/api/v1/usage/summary", token=user.token, query={"days": "2"}).json
    assert len(summary["days"]) == 2
    assert summary["days"][0]["credits_spent"] == 0
    assert summary["days"][-1] == {
        "date": summary["days"][-1]["date"],
        "credits_spent": 10,
        "text_generations": 4,
        "image_generations": 0,
    }
    assert summary["totals"] == {"credits_spent": 10, "text_generations": 4, "image_generations": 0}


def test_a_first_deduct_is_not_marked_a_replay(api: LambdaApi) -> None:
    user = sign_up(api)
    plain = api.post("/api/v1/credits/deduct", {"amount": 1, "reason": "x"}, token=user.token)
    keyed = api.post(
        "/api/v1/credits/deduct",
        {"amount": 1, "reason": "x"},
        token=user.token,
        headers={"Idempotency-Key": "first"},
    )
    assert (plain.status, keyed.status) == (200, 200)
    assert "idempotent-replayed" not in plain.headers
    assert "idempotent-replayed" not in keyed.headers


def test_a_deducts_key_stores_the_request_and_the_answer(
    api: LambdaApi, conn: db.Connection
) -> None:
    # The stored fingerprint is pinned (tests/unit/test_idempotency_fingerprint.py): a key
    # claimed before a deploy still replays after it
    user = sign_up(api)
    answer = api.post(
        "/api/v1/credits/deduct",
        {"amount": 5, "reason": "x"},
        token=user.token,
        headers={"Idempotency-Key": "stored"},
    )
    row = conn.execute(
        "SELECT request_hash, response_status, response_body FROM idempotency_keys "
        "WHERE user_id = %s AND key = 'stored'",
        (user.id,),
    ).fetchone()
    assert row == {
        "request_hash": "b8cac63ad4db416aa17bb790d5b4b7a57ffe066959efe1ebed521c02fc184923",
        "response_status": 200,
        "response_body": answer.json,
    }


def _take_back(conn: db.Connection, user_id: uuid.UUID, amount: int, **kwargs: int) -> int:
    with conn.transaction():
        _, owed = credits.take_back(
            conn, user_id=user_id, amount=amount, reason="purchase_refund",
            ref_type="test_purchase", ref_id=str(uuid.uuid4()), **kwargs,
        )  # fmt: skip
    return owed


@pytest.mark.parametrize(
    ("owed", "message"),
    [
        (1, "1 credit of a refunded purchase is still owed (spent before the refund): "
            "buy credits to settle that before spending again."),
        (2, "2 credits of a refunded purchase are still owed (spent before the refund): "
            "buy credits to settle that before spending again."),
    ],
)  # fmt: skip
def test_credits_still_owed_refuse_spending_and_say_so(
    api: LambdaApi, conn: db.Connection, owed: int, message: str
) -> None:
    # Given a purchase refunded after its credits were spent: the balance covered all but `owed`
    user = sign_up(api)
    assert _take_back(conn, uuid.UUID(user.id), 50 + owed) == owed
    # When the user spends, then the refusal says what is owed
    refused = api.post("/api/v1/credits/deduct", {"amount": 1, "reason": "x"}, token=user.token)
    assert (refused.status, refused.error_code) == (402, "insufficient_credits")
    error = refused.json["error"]
    assert error["message"] == message
    assert (error["balance"], error["required"], error["owed"]) == (0, 1, owed)


def test_a_take_back_takes_what_the_balance_has(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    user_id = uuid.UUID(user.id)
    assert _take_back(conn, user_id, 1) == 0
    assert credits.balance(conn, user_id=user_id) == 49
    assert _take_back(conn, user_id, credits.MAX_BALANCE) == credits.MAX_BALANCE - 49
    owes = credits.Account(credits_balance=0, credits_owed=credits.MAX_BALANCE - 49)
    assert credits.account(conn, user_id=user_id) == owes


@pytest.mark.parametrize(
    ("amount", "already_owed"), [(0, 0), (-1, 0), (credits.MAX_BALANCE + 1, 0), (5, 6), (5, -1)]
)
def test_a_take_back_outside_its_range_is_refused(
    conn: db.Connection, amount: int, already_owed: int
) -> None:
    with pytest.raises(ValueError) as refused:
        credits.take_back(
            conn, user_id=uuid.uuid4(), amount=amount, reason="x", ref_type="t", ref_id="r",
            already_owed=already_owed,
        )  # fmt: skip
    assert str(refused.value) == "a take-back takes a positive amount, at least what it settles"


def test_a_missing_users_account_is_not_found(conn: db.Connection) -> None:
    nobody = uuid.uuid4()
    with pytest.raises(NotFound) as missing:
        credits.hold_account(conn, user_id=nobody)
    assert missing.value.message == "User not found."
    assert credits.account(conn, user_id=nobody) is None
