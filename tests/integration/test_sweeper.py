"""The sweeper refunds paid AI requests that were charged but never finished, exactly once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from asset_engine.ai.abandoned_requests import refund_abandoned_requests
from asset_engine.ai.paid_requests import PaidRequest, run_paid_request
from asset_engine.config import get_settings
from asset_engine.errors import ProviderError
from asset_engine.local.lambda_runtime import LambdaContext, invoke_handler
from asset_engine.local.scheduler import run_once
from asset_engine.local.template import load_schedules
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import PROJECT_ROOT, LambdaApi, load_event


class ContainerKilled(BaseException):
    """What a Lambda killed mid-request looks like to our code: nothing after it runs."""


@pytest.fixture(autouse=True)
def sweep_at_once(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Requests made by the test are seconds old; treat them as past the cut-off.
    monkeypatch.setenv("ABANDONED_REQUEST_AFTER_S", "0")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def nothing_left_to_sweep(database_url: str) -> None:
    """The sweeper sees every user's charges: each test starts with none left by another."""
    with db.connect() as own:
        refund_abandoned_requests(own, after_s=0)


def _cut_off_request(conn: db.Connection, user: SignedUp, *, key: str | None = None) -> str:
    """A real paid request whose container dies during the provider call (after the charge)."""
    request = PaidRequest(
        user_id=uuid.UUID(user.id),
        route="POST /api/v1/ai/generate-text",
        body={"prompt": "Spring sale", "asset_type": "tagline", "variants": 2},
        price=2,
        usage_kind="text_generation",
        idempotency_key=key,
    )

    def provider() -> Any:
        raise ContainerKilled

    with pytest.raises(ContainerKilled):
        run_paid_request(request, call_provider=provider, write=lambda *_: (201, {}))
    return str(request.request_id)


def _balance(conn: db.Connection, user: SignedUp) -> int:
    row = conn.execute("SELECT credits_balance FROM users WHERE id = %s", (user.id,)).fetchone()
    assert row is not None
    return int(row["credits_balance"])


def _sweep() -> dict[str, Any]:
    """The scheduled function's real handler, with the event EventBridge sends."""
    sweeper = next(s.function for s in load_schedules(PROJECT_ROOT / "template.yaml"))
    context = LambdaContext(function_name=sweeper.logical_id, timeout_s=sweeper.timeout_s)
    return invoke_handler(sweeper.load_handler(), load_event("sweeper/schedule.json"), context)


def test_a_request_cut_off_after_its_charge_is_refunded_once(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given a user whose request was charged, then its container died
    user = sign_up(api)
    ref = _cut_off_request(conn, user)
    assert _balance(conn, user) == 48
    # When the sweeper runs (twice, as schedules do)
    first, second = _sweep(), _sweep()
    # Then the charge came back once, with a refund row on the same reference and a failed event
    assert (first["refunded"], second["refunded"]) == (1, 0)
    assert _balance(conn, user) == 50
    ledger = conn.execute(
        "SELECT delta, reason, ref_id FROM credit_ledger WHERE user_id = %s ORDER BY created_at",
        (user.id,),
    ).fetchall()
    assert [(e["delta"], e["reason"]) for e in ledger] == [
        (50, "signup_grant"), (-2, "ai_text_generation"), (2, "refund")
    ]  # fmt: skip
    assert ledger[1]["ref_id"] == ledger[2]["ref_id"] == ref
    events = conn.execute(
        "SELECT kind, status FROM usage_events WHERE user_id = %s", (user.id,)
    ).fetchall()
    assert events == [{"kind": "text_generation", "status": "failed"}]


def test_finished_requests_are_left_alone(api: LambdaApi, conn: db.Connection) -> None:
    # Given requests that ended: one succeeded, one failed and was refunded by itself
    user = sign_up(api)
    ok = api.post(
        "/api/v1/ai/generate-text",
        {"prompt": "Autumn menu", "asset_type": "headline"},
        token=user.token,
    )
    assert ok.status == 201
    failed = PaidRequest(
        user_id=uuid.UUID(user.id),
        route="POST /api/v1/ai/suggestions",
        body={"kind": "cta", "count": 3},
        price=1,
        usage_kind="suggestions",
    )

    def provider_down() -> Any:
        raise ProviderError("DeepSeek is down.")

    with pytest.raises(ProviderError):
        run_paid_request(failed, call_provider=provider_down, write=lambda *_: (200, {}))
    assert _balance(conn, user) == 49
    # When the sweeper runs, nothing is refunded for them
    assert refund_abandoned_requests(conn, after_s=0) == 0
    assert _balance(conn, user) == 49
    ledger = conn.execute(
        "SELECT delta, reason FROM credit_ledger WHERE user_id = %s ORDER BY created_at, id",
        (user.id,),
    ).fetchall()
    assert [(e["delta"], e["reason"]) for e in ledger] == [
        (50, "signup_grant"), (-1, "ai_text_generation"), (-1, "ai_suggestions"), (1, "refund")
    ]  # fmt: skip


def test_two_sweeps_at_once_refund_once(api: LambdaApi, conn: db.Connection) -> None:
    # Given a cut-off request and four sweeps that all found it and wait on the user's row,
    # held by the test until every one of them is there
    user = sign_up(api)
    _cut_off_request(conn, user)

    def sweep() -> int:
        with db.connect() as own:
            return refund_abandoned_requests(own, after_s=0)

    with db.connect() as holder, ThreadPoolExecutor(max_workers=4) as pool:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (user.id,))
        sweeps = [pool.submit(sweep) for _ in range(4)]
        deadline = time.monotonic() + 30
        while _waiting_on_locks(conn) < 4:
            assert time.monotonic() < deadline, "the sweeps never reached the refund"
            time.sleep(0.02)
        holder.execute("COMMIT")
        counts = sorted(s.result(timeout=30) for s in sweeps)
    # Then exactly one of them refunded it
    assert counts == [0, 0, 0, 1]
    assert _balance(conn, user) == 50
    refunds = conn.execute(
        "SELECT count(*) AS n FROM credit_ledger WHERE user_id = %s AND reason = 'refund'",
        (user.id,),
    ).fetchone()
    assert refunds == {"n": 1}


def _waiting_on_locks(conn: db.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return int(row["n"]) if row else 0


def test_a_key_left_claimed_is_freed_for_a_retry(api: LambdaApi, conn: db.Connection) -> None:
    # Given a cut-off request that had claimed an Idempotency-Key
    user = sign_up(api)
    key = f"cut-{uuid.uuid4()}"
    _cut_off_request(conn, user, key=key)
    body = {"prompt": "Spring sale", "asset_type": "tagline", "variants": 2}
    stuck = api.post(
        "/api/v1/ai/generate-text", body, token=user.token, headers={"Idempotency-Key": key}
    )
    assert (stuck.status, stuck.error_code) == (409, "conflict")  # "still in progress"
    # When the sweeper has run
    refund_abandoned_requests(conn, after_s=0)
    # Then the retry with the same key runs, and is charged once
    retry = api.post(
        "/api/v1/ai/generate-text", body, token=user.token, headers={"Idempotency-Key": key}
    )
    assert retry.status == 201
    assert _balance(conn, user) == 48


def test_the_local_scheduler_runs_the_template_schedule(
    api: LambdaApi, conn: db.Connection
) -> None:
    # The template's schedule, as `asset-engine serve` runs it locally
    schedules = load_schedules(PROJECT_ROOT / "template.yaml")
    assert [(s.function.logical_id, s.every_s) for s in schedules] == [("SweeperFunction", 300)]
    user = sign_up(api)
    _cut_off_request(conn, user)
    assert run_once(schedules[0])["refunded"] == 1
    assert _balance(conn, user) == 50
