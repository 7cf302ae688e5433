"""The money promises of issue 14, each asserted on its exact outcome.

Idempotency keys are scoped per user and per route and live 24 hours; any error after a
charge refunds it; the sweeper refunds only AI requests, only past the cut-off, only those that
never finished, and exactly once however many sweeps race.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from asset_engine import db
from asset_engine.ai import logic as ai_logic
from asset_engine.ai.abandoned_requests import refund_abandoned_requests
from asset_engine.ai.paid_requests import Outcome, PaidRequest, run_paid_request
from asset_engine.billing import credits, idempotency
from asset_engine.errors import Conflict, ProviderError
from asset_engine.observability import metrics
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi

TEXT_ROUTE = "POST /api/v1/ai/generate-text"
TEXT_BODY = {"prompt": "Spring sale", "asset_type": "tagline", "variants": 2}


def _deduct(api: LambdaApi, user: SignedUp, amount: int, key: str | None = None) -> Answer:
    return api.post(
        "/api/v1/credits/deduct",
        {"amount": amount, "reason": "promise"},
        token=user.token,
        headers={"Idempotency-Key": key} if key else None,
    )


def _balance(conn: db.Connection, user: SignedUp) -> int:
    row = conn.execute("SELECT credits_balance FROM users WHERE id = %s", (user.id,)).fetchone()
    assert row is not None
    return int(row["credits_balance"])


def _ledger(conn: db.Connection, user: SignedUp) -> list[tuple[int, str]]:
    rows = conn.execute(
        "SELECT delta, reason FROM credit_ledger WHERE user_id = %s ORDER BY created_at, id",
        (user.id,),
    ).fetchall()
    return [(r["delta"], r["reason"]) for r in rows]


def _age_keys(conn: db.Connection, user: SignedUp, hours: int) -> None:
    conn.execute(
        "UPDATE idempotency_keys SET created_at = now() - make_interval(hours => %s) "
        "WHERE user_id = %s",
        (hours, user.id),
    )


def _paid_request(user: SignedUp, **overrides: Any) -> PaidRequest:
    fields: dict[str, Any] = {
        "user_id": uuid.UUID(user.id),
        "route": TEXT_ROUTE,
        "body": TEXT_BODY,
        "price": 2,
        "usage_kind": "text_generation",
        **overrides,
    }
    return PaidRequest(**fields)


def _outcome() -> Outcome[str]:
    return Outcome(result="copy", provider="mock")


def _written(status: int = 201) -> Any:
    return lambda conn, outcome, charge: (status, {"balance": charge.balance})


# --- idempotency keys: per user, per route, 24 hours --------------------------------------


def test_one_users_key_never_replays_or_overwrites_another_users_answer(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given Alice and Bob who both send the key "order-1" with the same body
    alice, bob = sign_up(api), sign_up(api)
    alices = _deduct(api, alice, 5, key="order-1")
    bobs = _deduct(api, bob, 5, key="order-1")
    # Then each was charged and answered on their own account, neither is a replay
    assert (alices.status, alices.json["balance"]) == (200, 45)
    assert (bobs.status, bobs.json["balance"]) == (200, 45)
    assert "idempotent-replayed" not in bobs.headers
    assert bobs.json["entry"]["id"] != alices.json["entry"]["id"]
    # And each replay answers its own user's first answer, untouched by the other's
    assert _deduct(api, alice, 5, key="order-1").json == alices.json
    assert _deduct(api, bob, 5, key="order-1").json == bobs.json
    assert (_balance(conn, alice), _balance(conn, bob)) == (45, 45)


def test_another_users_different_body_under_the_same_key_is_not_a_conflict(
    api: LambdaApi, conn: db.Connection
) -> None:
    alice, bob = sign_up(api), sign_up(api)
    assert _deduct(api, alice, 5, key="shared").json["balance"] == 45
    # Bob's key of the same name has no history: a different body is simply his first request
    answer = _deduct(api, bob, 9, key="shared")
    assert (answer.status, answer.json["balance"]) == (200, 41)
    stored = conn.execute(
        "SELECT user_id::text AS user_id, response_body->>'balance' AS balance "
        "FROM idempotency_keys WHERE key = 'shared' AND user_id IN (%s, %s) ORDER BY balance",
        (alice.id, bob.id),
    ).fetchall()
    assert stored == [{"user_id": bob.id, "balance": "41"}, {"user_id": alice.id, "balance": "45"}]


def test_a_key_cannot_replay_another_routes_answer(api: LambdaApi, conn: db.Connection) -> None:
    # Given a key answered on one route
    user = sign_up(api)
    first = run_paid_request(
        _paid_request(user, idempotency_key="k-route"),
        call_provider=_outcome,
        write=_written(),
    )
    assert (first.status, first.replayed, _balance(conn, user)) == (201, False, 48)
    # When the same key and the very same body arrive on another route
    with pytest.raises(Conflict, match="different request"):
        run_paid_request(
            _paid_request(user, idempotency_key="k-route", route="POST /api/v1/ai/suggestions"),
            call_provider=_outcome,
            write=_written(),
        )
    # Then nothing was replayed or charged
    assert _balance(conn, user) == 48
    # And on its own route the key still replays
    again = run_paid_request(
        _paid_request(user, idempotency_key="k-route"), call_provider=_outcome, write=_written()
    )
    assert (again.status, again.body, again.replayed) == (201, first.body, True)


def test_a_23_hour_old_key_still_replays(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    first = _deduct(api, user, 5, key="day-old")
    _age_keys(conn, user, 23)
    again = _deduct(api, user, 5, key="day-old")
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json == first.json
    assert _balance(conn, user) == 45


def test_a_25_hour_old_key_starts_fresh(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    first = _deduct(api, user, 5, key="too-old")
    _age_keys(conn, user, 25)
    again = _deduct(api, user, 5, key="too-old")
    assert "idempotent-replayed" not in again.headers
    assert again.json["balance"] == 40
    assert again.json["entry"]["id"] != first.json["entry"]["id"]
    # and the key now holds the new answer, replayed from here on
    assert _deduct(api, user, 5, key="too-old").json == again.json
    assert _balance(conn, user) == 40


def test_a_user_spending_never_purges_another_users_keys(
    api: LambdaApi, conn: db.Connection
) -> None:
    alice, bob = sign_up(api), sign_up(api)
    _deduct(api, alice, 5, key="old")
    _age_keys(conn, alice, 25)
    _deduct(api, bob, 1, key="bobs")
    left = conn.execute("SELECT key FROM idempotency_keys WHERE user_id = %s", (alice.id,))
    assert [row["key"] for row in left.fetchall()] == ["old"]


# --- any error after a charge refunds -----------------------------------------------------


class Boom(Exception):
    """A bug of ours, not a provider's failure."""


def _assert_refunded(
    conn: db.Connection, user: SignedUp, request: PaidRequest, error: str, provider: str | None
) -> None:
    assert _balance(conn, user) == 50
    assert _ledger(conn, user) == [(50, "signup_grant"), (-2, "ai_text_generation"), (2, "refund")]
    refs = conn.execute(
        "SELECT DISTINCT ref_type, ref_id FROM credit_ledger WHERE user_id = %s AND delta < 50",
        (user.id,),
    ).fetchall()
    assert refs == [{"ref_type": "ai_request", "ref_id": request.ref_id}]
    events = conn.execute(
        "SELECT kind, status, provider, credits_spent, ref_type, ref_id, metadata "
        "FROM usage_events WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert events == [
        {
            "kind": "text_generation",
            "status": "failed",
            "provider": provider,  # named when a provider's failure was the cause
            "credits_spent": 0,
            "ref_type": "ai_request",
            "ref_id": request.ref_id,
            "metadata": {"error": error},
        }
    ]


@pytest.mark.parametrize(
    ("where", "error"),
    [
        pytest.param("provider", "Boom", id="a-bug-in-the-provider-call"),
        pytest.param("write", "Boom", id="a-bug-while-writing"),
        pytest.param("database", "UndefinedTable", id="a-database-error-while-writing"),
        pytest.param("provider-error", "DeepSeek is down.", id="a-provider-error"),
    ],
)
def test_any_error_after_the_charge_refunds_it(
    api: LambdaApi, conn: db.Connection, where: str, error: str
) -> None:
    user = sign_up(api)
    request = _paid_request(user, idempotency_key=f"fail-{where}")

    def provider() -> Outcome[str]:
        if where == "provider":
            raise Boom
        if where == "provider-error":
            raise ProviderError("DeepSeek is down.", provider="deepseek")
        return _outcome()

    def write(c: db.Connection, outcome: Outcome[str], charge: Any) -> tuple[int, dict[str, Any]]:
        if where == "database":
            c.execute("SELECT * FROM no_such_table").fetchall()
        if where in ("write", "database"):
            raise Boom
        return 201, {}

    with pytest.raises((Boom, psycopg.Error, ProviderError)):
        run_paid_request(request, call_provider=provider, write=write)
    _assert_refunded(conn, user, request, error, "deepseek" if where == "provider-error" else None)
    # The key was freed: a retry runs (and is charged) once
    retry = run_paid_request(
        _paid_request(user, idempotency_key=f"fail-{where}"),
        call_provider=_outcome,
        write=_written(),
    )
    assert (retry.status, retry.replayed, _balance(conn, user)) == (201, False, 48)


def test_an_unexpected_error_in_a_route_answers_500_and_refunds(
    api: LambdaApi, conn: db.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = sign_up(api)

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(ai_logic, "write_copy", broken)
    answer = api.post("/api/v1/ai/generate-text", TEXT_BODY, token=user.token)
    assert (answer.status, answer.error_code) == (500, "internal")
    assert _balance(conn, user) == 50
    assert _ledger(conn, user) == [(50, "signup_grant"), (-2, "ai_text_generation"), (2, "refund")]


def test_a_successful_request_records_its_usage_and_answer(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    request = _paid_request(user, idempotency_key="ok")
    answer = run_paid_request(
        request,
        call_provider=lambda: Outcome(
            result="copy",
            provider="deepseek",
            prompt_tokens=7,
            completion_tokens=3,
            metadata={"model": "m"},
        ),
        write=lambda c, outcome, charge: (
            201,
            {"charged": charge.credits_charged, "balance": charge.balance},
        ),
    )
    assert (answer.status, answer.body, answer.replayed) == (
        201,
        {"charged": 2, "balance": 48},
        False,
    )
    event = conn.execute(
        "SELECT kind, status, provider, credits_spent, prompt_tokens, completion_tokens, ref_type, "
        "ref_id, metadata FROM usage_events WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert event == [
        {
            "kind": "text_generation",
            "status": "succeeded",
            "provider": "deepseek",
            "credits_spent": 2,
            "prompt_tokens": 7,
            "completion_tokens": 3,
            "ref_type": "ai_request",
            "ref_id": request.ref_id,
            "metadata": {"model": "m"},
        }
    ]
    stored = conn.execute(
        "SELECT response_status, response_body FROM idempotency_keys WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert stored == [{"response_status": 201, "response_body": {"charged": 2, "balance": 48}}]


def test_a_free_request_charges_nothing_and_answers_the_balance(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    answer = run_paid_request(
        _paid_request(user, price=0),
        call_provider=_outcome,
        write=lambda c, outcome, charge: (
            200,
            {"charged": charge.credits_charged, "balance": charge.balance, "entry": charge.entry},
        ),
    )
    assert answer.body == {"charged": 0, "balance": 50, "entry": None}
    assert _ledger(conn, user) == [(50, "signup_grant")]


# --- the sweeper -------------------------------------------------------------------------


class ContainerKilled(BaseException):
    """What a Lambda killed mid-request looks like to our code: nothing after it runs."""


def _cut_off(user: SignedUp, *, key: str | None = None) -> PaidRequest:
    """A real paid request whose container dies during the provider call, after the charge."""
    request = _paid_request(user, idempotency_key=key)

    def provider() -> Outcome[str]:
        raise ContainerKilled

    with pytest.raises(ContainerKilled):
        run_paid_request(request, call_provider=provider, write=_written())
    return request


@pytest.fixture
def sweep_clean(conn: db.Connection) -> None:
    """The sweeper sees every user's charges: start with none left over from other tests."""
    refund_abandoned_requests(conn, after_s=0)


@pytest.fixture
def aging(conn: db.Connection, sweep_clean: None) -> Iterator[Any]:
    """Moves a charge back in time. The ledger is append-only by trigger; the test, as the
    superuser, steps around it for this one statement."""

    def age(ref_id: str, seconds: int) -> None:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute(
                "UPDATE credit_ledger SET created_at = now() - make_interval(secs => %s) "
                "WHERE ref_id = %s",
                (seconds, ref_id),
            )

    yield age


def test_the_sweeper_refunds_only_requests_past_the_cut_off(
    api: LambdaApi, conn: db.Connection, aging: Any
) -> None:
    # Given two cut-off requests: one 20 minutes old, one 10 minutes old
    user = sign_up(api)
    old, recent = _cut_off(user), _cut_off(user)
    aging(old.ref_id, 20 * 60)
    aging(recent.ref_id, 10 * 60)
    assert _balance(conn, user) == 46
    # When the sweeper runs with a 15-minute cut-off
    assert refund_abandoned_requests(conn, after_s=15 * 60) == 1
    # Then only the older one is refunded
    refunded = conn.execute(
        "SELECT ref_id FROM credit_ledger WHERE user_id = %s AND reason = 'refund'", (user.id,)
    ).fetchall()
    assert refunded == [{"ref_id": old.ref_id}]
    assert _balance(conn, user) == 48


def test_the_sweeper_leaves_charges_older_than_its_look_back(
    api: LambdaApi, conn: db.Connection, aging: Any
) -> None:
    user = sign_up(api)
    ancient = _cut_off(user)
    aging(ancient.ref_id, 8 * 24 * 3600)
    assert refund_abandoned_requests(conn, after_s=0) == 0
    assert _balance(conn, user) == 48


@pytest.mark.usefixtures("sweep_clean")
def test_the_sweeper_never_refunds_a_manual_deduct(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    assert _deduct(api, user, 5).status == 200
    assert refund_abandoned_requests(conn, after_s=0) == 0
    assert _ledger(conn, user) == [(50, "signup_grant"), (-5, "user:promise")]


@pytest.mark.usefixtures("sweep_clean")
def test_the_sweeper_never_refunds_a_request_in_flight(api: LambdaApi, conn: db.Connection) -> None:
    # Given a request charged and waiting on its provider
    user = sign_up(api)
    charged, release = threading.Event(), threading.Event()

    def slow_provider() -> Outcome[str]:
        charged.set()
        assert release.wait(30)
        return _outcome()

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            run_paid_request, _paid_request(user), call_provider=slow_provider, write=_written()
        )
        assert charged.wait(30)
        # When the sweeper runs with its cut-off (far longer than a request can take)
        swept = refund_abandoned_requests(conn, after_s=300)
        release.set()
        answer = running.result(timeout=30)
    # Then nothing was refunded, and the request finished charged once
    assert swept == 0
    assert answer.status == 201
    assert _ledger(conn, user) == [(50, "signup_grant"), (-2, "ai_text_generation")]


@pytest.mark.usefixtures("sweep_clean")
def test_a_replay_after_a_sweep_does_not_charge_again(api: LambdaApi, conn: db.Connection) -> None:
    # Given a request that finished and stored its answer
    user = sign_up(api)
    body = {"prompt": "Spring sale", "asset_type": "tagline"}
    headers = {"Idempotency-Key": "answered"}
    first = api.post("/api/v1/ai/generate-text", body, token=user.token, headers=headers)
    assert first.status == 201
    # When the sweeper runs, then the same request is replayed
    assert refund_abandoned_requests(conn, after_s=0) == 0
    again = api.post("/api/v1/ai/generate-text", body, token=user.token, headers=headers)
    # Then it is the stored answer, charged once
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json == first.json
    assert _ledger(conn, user) == [(50, "signup_grant"), (-1, "ai_text_generation")]


@pytest.mark.usefixtures("sweep_clean")
def test_the_sweeper_frees_only_keys_past_the_cut_off(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    _cut_off(user, key="stuck")
    refund_abandoned_requests(conn, after_s=3600)  # younger than the cut-off: kept
    kept = conn.execute("SELECT key FROM idempotency_keys WHERE user_id = %s", (user.id,))
    assert [row["key"] for row in kept.fetchall()] == ["stuck"]
    refund_abandoned_requests(conn, after_s=0)
    gone = conn.execute("SELECT key FROM idempotency_keys WHERE user_id = %s", (user.id,))
    assert gone.fetchall() == []


@pytest.mark.usefixtures("sweep_clean")
def test_a_swept_refund_is_recorded_as_a_failed_request(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    request = _cut_off(user)
    assert refund_abandoned_requests(conn, after_s=0) == 1
    events = conn.execute(
        "SELECT kind, status, credits_spent, ref_type, ref_id, metadata FROM usage_events "
        "WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert events == [
        {
            "kind": "text_generation",
            "status": "failed",
            "credits_spent": 0,
            "ref_type": "ai_request",
            "ref_id": request.ref_id,
            "metadata": {"error": "the request never finished; refunded by the sweeper"},
        }
    ]


def _waiting_on_locks(conn: db.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return int(row["n"]) if row else 0


@pytest.mark.usefixtures("sweep_clean")
def test_two_sweeps_racing_on_one_charge_refund_it_once(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given a cut-off request, and the user's row held by a transaction of the test
    user = sign_up(api)
    _cut_off(user)
    with db.connect() as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (user.id,))

        def sweep() -> int:
            with db.connect() as own:
                return refund_abandoned_requests(own, after_s=0)

        # When two sweeps both find the charge and both wait to refund it
        sweeps = [pool.submit(sweep), pool.submit(sweep)]
        deadline = time.monotonic() + 30
        while _waiting_on_locks(conn) < 2:
            assert time.monotonic() < deadline, "the sweeps never reached the refund"
            time.sleep(0.02)
        holder.execute("COMMIT")  # both go now: one refunds, the other meets the unique index
        counts = sorted(s.result(timeout=30) for s in sweeps)
    # Then the charge came back exactly once
    assert counts == [0, 1]
    assert _ledger(conn, user) == [(50, "signup_grant"), (-2, "ai_text_generation"), (2, "refund")]


@pytest.mark.usefixtures("sweep_clean")
def test_a_sweep_refunds_every_abandoned_request_and_logs_each(
    api: LambdaApi, conn: db.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    alice, bob = sign_up(api), sign_up(api)
    cut = [_cut_off(alice), _cut_off(bob)]
    with caplog.at_level("WARNING"):
        assert refund_abandoned_requests(conn, after_s=0) == 2
    assert (_balance(conn, alice), _balance(conn, bob)) == (50, 50)
    logged = [
        (r.getMessage(), getattr(r, "ref_id", None), getattr(r, "user_id", None))
        for r in caplog.records
        if r.getMessage() == "refunded an abandoned AI request"
    ]
    assert logged == [
        ("refunded an abandoned AI request", cut[0].ref_id, alice.id),
        ("refunded an abandoned AI request", cut[1].ref_id, bob.id),
    ]


@pytest.mark.usefixtures("sweep_clean")
def test_a_sweep_takes_at_most_its_limit_oldest_first(
    api: LambdaApi, conn: db.Connection, aging: Any
) -> None:
    user = sign_up(api)
    older, newer = _cut_off(user), _cut_off(user)
    aging(older.ref_id, 120)
    aging(newer.ref_id, 60)
    assert refund_abandoned_requests(conn, after_s=0, limit=1) == 1
    refunded = conn.execute(
        "SELECT ref_id FROM credit_ledger WHERE user_id = %s AND reason = 'refund'", (user.id,)
    ).fetchall()
    assert refunded == [{"ref_id": older.ref_id}]
    assert refund_abandoned_requests(conn, after_s=0, limit=1) == 1
    assert _balance(conn, user) == 50


@pytest.mark.usefixtures("sweep_clean")
def test_a_sweep_that_meets_a_charge_refunded_meanwhile_goes_on_to_the_next(
    api: LambdaApi, conn: db.Connection, aging: Any
) -> None:
    # Given two abandoned requests, the older one's user row held by the test
    alice, bob = sign_up(api), sign_up(api)
    first, second = _cut_off(alice), _cut_off(bob)
    aging(first.ref_id, 120)
    aging(second.ref_id, 60)
    charge = conn.execute(
        "SELECT id, user_id, delta, balance_after, reason, ref_type, ref_id, created_at "
        "FROM credit_ledger WHERE ref_id = %s",
        (first.ref_id,),
    ).fetchone()
    with db.connect() as holder, ThreadPoolExecutor(max_workers=1) as pool:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (alice.id,))
        # When a sweep found both and waits on the first
        sweep = pool.submit(refund_abandoned_requests, conn, after_s=0)
        deadline = time.monotonic() + 30
        while _waiting_on_locks(holder) < 1:
            assert time.monotonic() < deadline, "the sweep never reached the refund"
            time.sleep(0.02)
        # and meanwhile the first is refunded elsewhere (another sweep, or its own request)
        assert charge is not None
        credits.refund(holder, charge=credits.LedgerRow(**charge))
        holder.execute("COMMIT")
        swept = sweep.result(timeout=30)
    # Then the sweep refunds the second one, and the first was refunded once
    assert swept == 1
    assert (_balance(conn, alice), _balance(conn, bob)) == (50, 50)
    assert _ledger(conn, alice)[-1] == (2, "refund")
    assert _ledger(conn, alice).count((2, "refund")) == 1


def test_a_key_still_in_flight_answers_409_in_progress(api: LambdaApi, conn: db.Connection) -> None:
    # Given a request holding its key while its provider works
    user = sign_up(api)
    charged, release = threading.Event(), threading.Event()

    def slow_provider() -> Outcome[str]:
        charged.set()
        assert release.wait(30)
        return _outcome()

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            run_paid_request,
            _paid_request(user, idempotency_key="busy"),
            call_provider=slow_provider,
            write=_written(),
        )
        assert charged.wait(30)
        # When the same request arrives again, it is told to retry, and charged nothing
        with pytest.raises(Conflict) as busy:
            run_paid_request(
                _paid_request(user, idempotency_key="busy"),
                call_provider=_outcome,
                write=_written(),
            )
        assert busy.value.message == (
            "A request with this Idempotency-Key is still in progress; retry shortly."
        )
        release.set()
        first = running.result(timeout=30)
    assert _ledger(conn, user) == [(50, "signup_grant"), (-2, "ai_text_generation")]
    again = run_paid_request(
        _paid_request(user, idempotency_key="busy"), call_provider=_outcome, write=_written()
    )
    assert (again.body, again.replayed) == (first.body, True)


def test_a_free_request_with_a_key_replays_its_answer(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    calls: list[int] = []

    def provider() -> Outcome[str]:
        calls.append(1)
        return _outcome()

    free = _paid_request(user, price=0, idempotency_key="free")
    first = run_paid_request(free, call_provider=provider, write=_written(200))
    again = run_paid_request(
        _paid_request(user, price=0, idempotency_key="free"), call_provider=provider,
        write=_written(200),
    )  # fmt: skip
    assert (first.status, first.body, first.replayed) == (200, {"balance": 50}, False)
    assert (again.status, again.body, again.replayed) == (200, {"balance": 50}, True)
    assert calls == [1]
    with pytest.raises(Conflict, match="different request"):
        run_paid_request(
            _paid_request(user, price=0, idempotency_key="free", body={"other": True}),
            call_provider=provider,
            write=_written(200),
        )
    assert _ledger(conn, user) == [(50, "signup_grant")]


def test_a_failure_is_logged_and_its_reason_kept_short(
    api: LambdaApi, conn: db.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    user = sign_up(api)
    request = _paid_request(user)

    def provider() -> Outcome[str]:
        raise ProviderError("x" * 600)

    with caplog.at_level("WARNING"), pytest.raises(ProviderError):
        run_paid_request(request, call_provider=provider, write=_written())
    event = conn.execute(
        "SELECT metadata->>'error' AS error FROM usage_events WHERE user_id = %s", (user.id,)
    ).fetchone()
    assert event == {"error": "x" * 500}
    logged = [
        (getattr(r, "request_id", None), getattr(r, "error", None))
        for r in caplog.records
        if r.getMessage() == "AI request failed; refunding"
    ]
    assert logged == [(request.ref_id, "x" * 600)]


def test_a_reused_key_says_exactly_why_it_is_refused(api: LambdaApi) -> None:
    user = sign_up(api)
    assert _deduct(api, user, 5, key="reused").status == 200
    clash = _deduct(api, user, 6, key="reused")
    assert (clash.status, clash.json["error"]["message"]) == (
        409,
        "This Idempotency-Key was already used for a different request.",
    )


def test_a_key_that_vanished_after_its_claim_failed_counts_as_in_progress(
    api: LambdaApi, conn: db.Connection
) -> None:
    # A claim failed because the key was held, and the holder released it (a failure and
    # its refund) before the answer was read: the caller is told to retry, not handed nothing
    user = sign_up(api)
    gone = idempotency.Claim(user_id=uuid.UUID(user.id), key="released", fingerprint="f")
    with pytest.raises(Conflict) as refused:
        idempotency.stored_answer(conn, gone)
    assert refused.value.message == (
        "A request with this Idempotency-Key is still in progress; retry shortly."
    )


def _counted(name: str) -> tuple[str | None, list[float]] | None:
    metric = metrics.metric_set.get(name)
    return None if metric is None else (metric["Unit"], list(metric["Value"]))


def test_the_metrics_count_requests_credits_and_refunds(api: LambdaApi) -> None:
    user = sign_up(api)
    metrics.clear_metrics()
    run_paid_request(_paid_request(user), call_provider=_outcome, write=_written())
    assert (_counted("AiRequests"), _counted("CreditsSpent")) == (
        ("Count", [1.0]),
        ("Count", [2.0]),
    )
    assert _counted("AiRefunds") is None

    def provider() -> Outcome[str]:
        raise ProviderError("down")

    metrics.clear_metrics()
    with pytest.raises(ProviderError):
        run_paid_request(_paid_request(user), call_provider=provider, write=_written())
    assert _counted("AiRefunds") == ("Count", [1.0])
    assert (_counted("AiRequests"), _counted("CreditsSpent")) == (None, None)
    metrics.clear_metrics()
