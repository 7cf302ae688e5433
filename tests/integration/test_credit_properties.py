"""A stateful property test of credits and versions (hypothesis), through the real handlers.

Hypothesis mixes deductions, admin grants, paid AI calls whose provider (the DeepSeek double)
answers well, fails or is slow, idempotent replays, bursts of concurrent requests and asset
edits, undos and redos. After every step, straight from the database:
- every user's balance equals the sum of their ledger, and is never below zero;
- no charge is refunded more than once;
- every asset's versions are 1..latest_version with no gap, its pointer within them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.config import get_settings
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.deepseek_double import API_KEY, DeepSeekDouble, deepseek_double, error, slow
from tests.support.factories import sign_up
from tests.support.lambda_api import Answer, LambdaApi

PROVIDER_OUTCOMES = ["ok", "fails", "slow"]


@pytest.fixture
def deepseek(database_url: str) -> Iterator[DeepSeekDouble]:
    with deepseek_double() as double, pytest.MonkeyPatch.context() as mp:
        mp.setenv("DEEPSEEK_API_KEY", API_KEY)
        mp.setenv("DEEPSEEK_BASE_URL", double.url)
        mp.setenv("DEEPSEEK_BACKOFF_S", "0.01")
        mp.setenv("RATE_LIMIT_AI", "100000/60")
        get_settings.cache_clear()
        reset_text_provider()
        reset_rate_limiter()
        yield double
    get_settings.cache_clear()
    reset_text_provider()
    reset_rate_limiter()


def _check_invariants(conn: db.Connection, user_ids: list[str]) -> None:
    sums = conn.execute(
        "SELECT u.id, u.credits_balance AS balance, COALESCE(sum(l.delta), 0)::int AS ledger "
        "FROM users u LEFT JOIN credit_ledger l ON l.user_id = u.id "
        "WHERE u.id = ANY(%s::uuid[]) GROUP BY u.id",
        (user_ids,),
    ).fetchall()
    for row in sums:
        assert row["balance"] == row["ledger"] >= 0, row
    double_refunds = conn.execute(
        "SELECT ref_type, ref_id, count(*) AS n FROM credit_ledger "
        "WHERE reason = 'refund' AND user_id = ANY(%s::uuid[]) "
        "GROUP BY ref_type, ref_id HAVING count(*) > 1",
        (user_ids,),
    ).fetchall()
    assert double_refunds == []
    gaps = conn.execute(
        "SELECT a.id, a.current_version, a.latest_version, "
        "array_agg(v.version ORDER BY v.version) AS versions "
        "FROM assets a LEFT JOIN asset_versions v ON v.asset_id = a.id "
        "WHERE a.user_id = ANY(%s::uuid[]) GROUP BY a.id",
        (user_ids,),
    ).fetchall()
    for asset in gaps:
        assert asset["versions"] == list(range(1, asset["latest_version"] + 1)), asset
        assert 1 <= asset["current_version"] <= asset["latest_version"], asset


def test_credits_and_versions_hold_under_any_mix_of_calls(
    api: LambdaApi, deepseek: DeepSeekDouble, database_url: str
) -> None:
    admin = sign_up(api)
    with db.connect(database_url) as conn:
        make_admin(conn, email=admin.user["email"])

    class Ledger(RuleBasedStateMachine):
        keys = Bundle("keys")
        assets = Bundle("assets")

        def __init__(self) -> None:
            super().__init__()
            self.user = sign_up(api)
            self.conn = db.connect(database_url)
            self.replies: dict[str, tuple[str, dict[str, Any], Answer]] = {}

        def teardown(self) -> None:
            self.conn.close()

        def _post(self, path: str, body: Any, key: str | None = None) -> Answer:
            headers = {"Idempotency-Key": key} if key else None
            return api.post(path, body, token=self.user.token, headers=headers)

        def _script(self, outcome: str) -> None:
            if outcome == "fails":
                deepseek.script(error(400))  # not retried: a 502 and a refund at once
            elif outcome == "slow":
                deepseek.script(slow(0.1))

        @rule(target=keys, amount=st.integers(1, 30), keyed=st.booleans())
        def deduct(self, amount: int, keyed: bool) -> str:
            key = uuid.uuid4().hex if keyed else ""
            body = {"amount": amount, "reason": "property"}
            answer = self._post("/api/v1/credits/deduct", body, key or None)
            assert answer.status in (200, 402), answer.body
            if key:
                self.replies[key] = ("/api/v1/credits/deduct", body, answer)
            return key

        @rule(amount=st.integers(1, 40))
        def grant(self, amount: int) -> None:
            body = {"amount": amount, "reason": "property grant", "user_id": self.user.id}
            answer = api.post("/api/v1/credits/add", body, token=admin.token)
            assert answer.status == 200, answer.body

        @rule(
            target=keys,
            variants=st.integers(1, 3),
            outcome=st.sampled_from(PROVIDER_OUTCOMES),
        )
        def generate(self, variants: int, outcome: str) -> str:
            self._script(outcome)
            key = uuid.uuid4().hex
            body = {"prompt": "Linen shirts", "asset_type": "headline", "variants": variants}
            answer = self._post("/api/v1/ai/generate-text", body, key)
            assert answer.status in (201, 402, 502), answer.body
            self.replies[key] = ("/api/v1/ai/generate-text", body, answer)
            return key

        @rule(key=keys)
        def replay(self, key: str) -> None:
            if not key:
                return
            path, body, first = self.replies[key]
            again = self._post(path, body, key)
            if first.status < 300:  # a stored answer comes back as it was, charged once
                assert (again.status, again.json) == (first.status, first.json)

        @rule(amount=st.integers(1, 20), copies=st.integers(2, 5), same_key=st.booleans())
        def concurrent_deducts(self, amount: int, copies: int, same_key: bool) -> None:
            key = uuid.uuid4().hex
            body = {"amount": amount, "reason": "race"}
            with ThreadPoolExecutor(max_workers=copies) as pool:
                answers = list(
                    pool.map(
                        lambda _: self._post(
                            "/api/v1/credits/deduct", body, key if same_key else None
                        ),
                        range(copies),
                    )
                )
            assert all(a.status in (200, 402, 409) for a in answers), [a.body for a in answers]
            if same_key:
                charged = {a.json["entry"]["id"] for a in answers if a.status == 200}
                assert len(charged) <= 1  # one key, one charge

        @rule(outcome=st.sampled_from(PROVIDER_OUTCOMES), copies=st.integers(2, 4))
        def concurrent_generations(self, outcome: str, copies: int) -> None:
            for _ in range(copies):
                self._script(outcome)
            body = {"prompt": "Racing", "asset_type": "tagline"}
            with ThreadPoolExecutor(max_workers=copies) as pool:
                answers = list(
                    pool.map(lambda _: self._post("/api/v1/ai/generate-text", body), range(copies))
                )
            assert all(a.status in (201, 402, 502) for a in answers), [a.body for a in answers]

        @rule(target=assets)
        def create_asset(self) -> str:
            answer = self._post("/api/v1/assets", {"kind": "text", "title": "t", "content": "v1"})
            assert answer.status == 201
            return str(answer.json["id"])

        @rule(asset=assets, action=st.sampled_from(["edit", "undo", "redo", "refine"]))
        def move(self, asset: str, action: str) -> None:
            if action == "edit":
                answer = api.patch(
                    f"/api/v1/assets/{asset}", {"content": uuid.uuid4().hex}, token=self.user.token
                )
            elif action == "refine":
                answer = self._post("/api/v1/ai/refine", {"asset_id": asset, "instruction": "x"})
            else:
                answer = self._post(f"/api/v1/assets/{asset}/{action}", None)
            assert answer.status in (200, 402, 409, 502), answer.body

        @invariant()
        def books_balance(self) -> None:
            _check_invariants(self.conn, [self.user.id])

    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=8,
            stateful_step_count=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
