"""The billing function through its real handler: balance, ledger, grants, deductions, usage."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.config import get_settings
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import LambdaApi, load_event


def _ledger_sum(conn: db.Connection, user_id: str) -> dict[str, Any]:
    row = conn.execute(
        "SELECT u.credits_balance AS balance, COALESCE(sum(l.delta), 0)::int AS ledger_sum, "
        "count(l.id)::int AS entries "
        "FROM users u LEFT JOIN credit_ledger l ON l.user_id = u.id WHERE u.id = %s "
        "GROUP BY u.credits_balance",
        (user_id,),
    ).fetchone()
    assert row is not None
    return dict(row)


def _deduct(api: LambdaApi, user: SignedUp, amount: int, **kwargs: Any) -> Any:
    return api.post(
        "/api/v1/credits/deduct",
        {"amount": amount, "reason": "test spend"},
        token=user.token,
        **kwargs,
    )


def test_balance_answers_the_signup_grant(api: LambdaApi) -> None:
    user = sign_up(api)
    assert api.get("/api/v1/credits/balance", token=user.token).json == {"balance": 50}


def test_spending_down_to_zero_then_402_changes_nothing(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    first = _deduct(api, user, 30)
    assert first.status == 200
    assert first.json["balance"] == 20
    assert first.json["entry"]["delta"] == -30
    assert first.json["entry"]["balance_after"] == 20
    assert _deduct(api, user, 20).json["balance"] == 0

    # When the balance is short, the answer is 402 and nothing is written
    refused = _deduct(api, user, 1)
    assert refused.status == 402
    assert refused.error_code == "insufficient_credits"
    assert _ledger_sum(conn, user.id) == {"balance": 0, "ledger_sum": 0, "entries": 3}


def test_deduct_validates_amount_and_reason(api: LambdaApi) -> None:
    user = sign_up(api)
    for body in (
        {"amount": 0, "reason": "x"},
        {"amount": 1_000_001, "reason": "x"},
        {"amount": 1, "reason": ""},
        {"amount": 1},
        {"amount": 1, "reason": "x", "surprise": True},
    ):
        answer = api.post("/api/v1/credits/deduct", body, token=user.token)
        assert (answer.status, answer.error_code) == (422, "validation_error"), body


def test_100_concurrent_debits_against_37_credits_let_exactly_37_through(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given a balance of 37 (50 minus a real deduction of 13)
    user = sign_up(api)
    assert _deduct(api, user, 13).json["balance"] == 37

    # When 100 one-credit debits race
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda _: _deduct(api, user, 1), range(100)))

    # Then exactly 37 succeed, the rest are refused, and the ledger explains the balance
    statuses = [a.status for a in answers]
    assert statuses.count(200) == 37
    assert statuses.count(402) == 63
    assert sorted(a.json["balance"] for a in answers if a.status == 200) == list(range(37))
    assert _ledger_sum(conn, user.id) == {"balance": 0, "ledger_sum": 0, "entries": 39}


def test_the_same_idempotency_key_charges_once_and_replays_the_answer(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"order-{uuid.uuid4()}"}
    first = _deduct(api, user, 5, headers=key)
    again = _deduct(api, user, 5, headers=key)
    assert first.status == again.status == 200
    assert again.json == first.json
    assert again.headers.get("idempotent-replayed") == "true"
    assert _ledger_sum(conn, user.id)["balance"] == 45


def test_the_same_key_with_another_body_answers_409(api: LambdaApi) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": "reused-key"}
    assert _deduct(api, user, 5, headers=key).status == 200
    clash = _deduct(api, user, 6, headers=key)
    assert (clash.status, clash.error_code) == (409, "conflict")
    assert api.get("/api/v1/credits/balance", token=user.token).json == {"balance": 45}


def test_a_key_older_than_24_hours_starts_fresh(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"daily-{uuid.uuid4()}"}
    assert _deduct(api, user, 5, headers=key).json["balance"] == 45
    conn.execute(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = %s",
        (user.id,),
    )
    assert _deduct(api, user, 1, headers={"Idempotency-Key": "other"}).status == 200
    # An expired key is purged when its user next spends, not kept forever
    left = conn.execute(
        "SELECT key FROM idempotency_keys WHERE user_id = %s ORDER BY key", (user.id,)
    ).fetchall()
    assert [row["key"] for row in left] == ["other"]
    again = _deduct(api, user, 5, headers=key)
    assert again.json["balance"] == 39
    assert "idempotent-replayed" not in again.headers


def test_keys_belong_to_their_user(api: LambdaApi) -> None:
    alice, bob = sign_up(api), sign_up(api)
    key = {"Idempotency-Key": "shared-name"}
    assert _deduct(api, alice, 5, headers=key).json["balance"] == 45
    assert _deduct(api, bob, 5, headers=key).json["balance"] == 45


def test_concurrent_requests_with_one_key_charge_once(api: LambdaApi, conn: db.Connection) -> None:
    # Given ten copies of one request, all in flight at once: the test holds the user's row
    # until every one of them waits (on that row, or on the first one's claim of the key)
    user = sign_up(api)
    key = {"Idempotency-Key": f"race-{uuid.uuid4()}"}
    with db.connect() as holder, ThreadPoolExecutor(max_workers=10) as pool:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (user.id,))
        racing = [pool.submit(_deduct, api, user, 7, headers=key) for _ in range(10)]
        deadline = time.monotonic() + 30
        while _waiting_on_locks(conn) < 10:
            assert time.monotonic() < deadline, "the requests never all reached the database"
            time.sleep(0.02)
        holder.execute("COMMIT")
        answers = [r.result(timeout=30) for r in racing]
    # Then one was charged and the nine others replay its answer
    assert [a.status for a in answers] == [200] * 10
    assert all(a.json == answers[0].json for a in answers)
    replayed = [a.headers.get("idempotent-replayed") == "true" for a in answers]
    assert replayed.count(False) == 1
    assert _ledger_sum(conn, user.id) == {"balance": 43, "ledger_sum": 43, "entries": 2}


def _waiting_on_locks(conn: db.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return int(row["n"]) if row else 0


def test_a_refused_deduct_does_not_burn_its_key(api: LambdaApi) -> None:
    # A 402 rolls the key back with the charge, so the same key may succeed later.
    user = sign_up(api)
    key = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    assert _deduct(api, user, 60, headers=key).status == 402
    assert _deduct(api, user, 60 - 10, headers=key).status == 200


def test_only_admins_add_credits(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    refused = api.post("/api/v1/credits/add", {"amount": 10, "reason": "gift"}, token=user.token)
    assert (refused.status, refused.error_code) == (403, "forbidden")

    admin = sign_up(api)
    make_admin(conn, email=admin.user["email"])
    granted = api.post(
        "/api/v1/credits/add",
        {"amount": 25, "reason": "support goodwill", "user_id": user.id},
        token=admin.token,
    )
    assert granted.status == 200
    assert granted.json["balance"] == 75
    assert granted.json["entry"]["delta"] == 25
    assert granted.json["entry"]["reason"] == "support goodwill"
    to_self = api.post("/api/v1/credits/add", {"amount": 5, "reason": "top up"}, token=admin.token)
    assert to_self.json["balance"] == 55
    unknown = api.post(
        "/api/v1/credits/add",
        {"amount": 5, "reason": "x", "user_id": str(uuid.uuid4())},
        token=admin.token,
    )
    assert unknown.status == 404
    assert _ledger_sum(conn, user.id) == {"balance": 75, "ledger_sum": 75, "entries": 2}


def test_the_ledger_pages_newest_first_without_gaps(api: LambdaApi) -> None:
    user = sign_up(api)
    for amount in range(1, 8):
        assert _deduct(api, user, amount).status == 200
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/credits/ledger", token=user.token, query=query).json
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 8 == len({e["id"] for e in seen})
    assert [e["delta"] for e in seen] == [-7, -6, -5, -4, -3, -2, -1, 50]
    assert set(seen[0]) == {
        "id",
        "delta",
        "balance_after",
        "reason",
        "ref_type",
        "ref_id",
        "created_at",
    }


def test_a_foreign_cursor_or_limit_is_a_422(api: LambdaApi) -> None:
    user = sign_up(api)
    for query in ({"cursor": "not-ours"}, {"limit": "0"}, {"limit": "101"}):
        answer = api.get("/api/v1/credits/ledger", token=user.token, query=query)
        assert (answer.status, answer.error_code) == (422, "validation_error"), query


def test_lists_show_only_the_callers_rows(api: LambdaApi) -> None:
    alice, bob = sign_up(api), sign_up(api)
    _deduct(api, alice, 3)
    bob_ledger = api.get("/api/v1/credits/ledger", token=bob.token).json["items"]
    assert [e["delta"] for e in bob_ledger] == [50]


def test_usage_summary_counts_today(api: LambdaApi) -> None:
    user = sign_up(api)
    _deduct(api, user, 4)
    _deduct(api, user, 2)
    summary = api.get("/api/v1/usage/summary", token=user.token, query={"days": "7"}).json
    assert len(summary["days"]) == 7
    assert summary["days"][-1]["credits_spent"] == 6
    assert sum(d["credits_spent"] for d in summary["days"][:-1]) == 0
    assert summary["totals"] == {"credits_spent": 6, "text_generations": 0, "image_generations": 0}
    assert api.get("/api/v1/usage/summary", token=user.token, query={"days": "0"}).status == 422


def test_every_billing_path_needs_a_token(api: LambdaApi) -> None:
    for method, path in [
        ("GET", "/api/v1/credits/balance"),
        ("GET", "/api/v1/credits/ledger"),
        ("POST", "/api/v1/credits/add"),
        ("POST", "/api/v1/credits/deduct"),
        ("GET", "/api/v1/usage/summary"),
    ]:
        answer = api.request(method, path, json_body={})
        assert (answer.status, answer.error_code) == (401, "unauthorized"), path


def test_sam_local_events(api: LambdaApi) -> None:
    user = sign_up(api)
    route, _ = api.route("POST", "/api/v1/credits/deduct")
    answer = api.invoke(route, load_event("billing/deduct.json", access_token=user.token))
    assert answer.status == 200
    assert answer.json["balance"] == 48
    route, _ = api.route("GET", "/api/v1/credits/balance")
    balance = api.invoke(route, load_event("billing/balance.json", access_token=user.token))
    assert balance.json == {"balance": 48}


@pytest.fixture
def prices_from_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PRICE_TEXT", "2")
    monkeypatch.setenv("PRICE_IMAGE", "7")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.usefixtures("prices_from_environment")
def test_prices_are_the_settings_and_what_is_charged(api: LambdaApi) -> None:
    # Given prices set by environment (text 2 per variant, image 7)
    user = sign_up(api)
    route, _ = api.route("GET", "/api/v1/credits/prices")
    # When a client reads them (here with the event sam local invoke would send)
    answer = api.invoke(route, load_event("billing/prices.json", access_token=user.token))
    # Then they are what the settings say, and what a call is then charged
    assert answer.status == 200
    assert answer.json == {"text": 2, "suggestions": 1, "refine": 1, "regenerate": 2, "image": 7}
    generated = api.post(
        "/api/v1/ai/generate-text",
        {"prompt": "Spring sale", "asset_type": "tagline", "variants": 2},
        token=user.token,
    )
    assert generated.json["credits_charged"] == 4
    refused = api.get("/api/v1/credits/prices")
    assert (refused.status, refused.error_code) == (401, "unauthorized")
