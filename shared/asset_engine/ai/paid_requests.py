"""The order of work of every paid AI request, in one place.

claim the Idempotency-Key and charge (one transaction) -> call the provider (no connection
held: a slow provider must not starve the pool) -> write the results, the usage event and the
stored answer (one transaction); or, when anything after the charge fails: refund as a new
ledger row, record a failed usage event and free the key, so the balance after a failure
equals the balance before it.

Image requests use the same steps but end later: their charge is settled by the job's end
(see asset_engine.images.logic).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from asset_engine import db
from asset_engine.billing import credits, idempotency, usage
from asset_engine.db import Connection, batched_transaction, transaction
from asset_engine.errors import AppError
from asset_engine.observability import logger, metrics

R = TypeVar("R")


@dataclass(frozen=True)
class PaidRequest:
    user_id: uuid.UUID
    route: str  # part of the idempotency fingerprint: one key cannot replay another path
    body: dict[str, Any]
    price: int
    usage_kind: str  # usage_events.kind
    idempotency_key: str | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # What the ledger row and usage events point at: the request, or the job it started.
    ref_type: str = "ai_request"

    @property
    def ref_id(self) -> str:
        return str(self.request_id)


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What the provider produced, and what the caller's writer needs to record about it."""

    result: R
    provider: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True)
class Charge:
    """How much was taken and the balance right after; `entry` is the ledger row (None when
    the price is 0)."""

    credits_charged: int
    balance: int
    entry: credits.LedgerRow | None = None


def claim_and_charge(conn: Connection, request: PaidRequest) -> Charge | Answer:
    """Inside the caller's transaction: the stored answer of a replayed key, or the charge.
    The claim and the debit are one statement (one round trip)."""
    claim = (
        idempotency.Claim(
            user_id=request.user_id,
            key=request.idempotency_key,
            fingerprint=idempotency.request_fingerprint(request.body, route=request.route),
        )
        if request.idempotency_key
        else None
    )
    if request.price <= 0:
        if claim is not None:
            stored = idempotency.begin(
                conn, user_id=claim.user_id, key=claim.key, fingerprint=claim.fingerprint
            )
            if stored is not None:
                return Answer(stored.status, stored.body, replayed=True)
        return Charge(0, credits.balance(conn, user_id=request.user_id))
    try:
        entry = credits.debit(
            conn,
            user_id=request.user_id,
            amount=request.price,
            reason=f"ai_{request.usage_kind}",
            ref_type=request.ref_type,
            ref_id=request.ref_id,
            claim=claim,
        )
    except idempotency.KeyTaken:
        assert claim is not None
        stored = idempotency.stored_answer(conn, claim)
        return Answer(stored.status, stored.body, replayed=True)
    return Charge(request.price, entry.balance_after, entry)


def store_answer(
    conn: Connection, request: PaidRequest, *, status: int, body: dict[str, Any]
) -> None:
    """Inside the caller's transaction: the answer a replay of this key gets."""
    if request.idempotency_key:
        idempotency.finish(
            conn, user_id=request.user_id, key=request.idempotency_key, status=status, body=body
        )


def give_back(conn: Connection, request: PaidRequest, charge: Charge, reason: str) -> None:
    """Inside the caller's transaction: refund the charge, record the failure, free the key.
    A second refund of one charge is refused by a unique index, so this runs at most once."""
    if charge.entry is not None:
        credits.refund(conn, charge=charge.entry)
    usage.record(
        conn,
        user_id=request.user_id,
        kind=request.usage_kind,
        status="failed",
        credits_spent=0,
        ref_type=request.ref_type,
        ref_id=request.ref_id,
        metadata={"error": reason[:500]},
    )
    if request.idempotency_key:
        idempotency.release(conn, user_id=request.user_id, key=request.idempotency_key)
    metrics.add_metric(name="AiRefunds", unit="Count", value=1)


def failure_reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, AppError) else type(exc).__name__


def run_paid_request(
    request: PaidRequest,
    *,
    call_provider: Callable[[], Outcome[R]],
    write: Callable[[Connection, Outcome[R], Charge], tuple[int, dict[str, Any]]],
) -> Answer:
    """Charge, call, write — or refund. `write` runs inside the final transaction.

    Round trips: the charge is one (two with a key: its claim must commit with it); the final
    transaction is `write`'s own reads plus one, as the usage event, the stored answer and the
    COMMIT travel together.
    """
    # Without a key the charge is one statement, atomic on its own: no transaction around it.
    with (
        db.checkout() as conn,
        batched_transaction(conn) if request.idempotency_key else nullcontext(),
    ):
        claimed = claim_and_charge(conn, request)
    if isinstance(claimed, Answer):
        return claimed
    charge = claimed

    try:
        outcome = call_provider()
        with db.checkout() as conn, batched_transaction(conn):
            status, body = write(conn, outcome, charge)
            usage.record(
                conn,
                user_id=request.user_id,
                kind=request.usage_kind,
                provider=outcome.provider,
                credits_spent=request.price,
                prompt_tokens=outcome.prompt_tokens,
                completion_tokens=outcome.completion_tokens,
                ref_type=request.ref_type,
                ref_id=request.ref_id,
                metadata=outcome.metadata,
            )
            store_answer(conn, request, status=status, body=body)
    except Exception as exc:
        reason = failure_reason(exc)
        logger.warning(
            "AI request failed; refunding", extra={"request_id": request.ref_id, "error": reason}
        )
        with db.checkout() as conn, transaction(conn):
            give_back(conn, request, charge, reason)
        raise
    metrics.add_metric(name="AiRequests", unit="Count", value=1)
    metrics.add_metric(name="CreditsSpent", unit="Count", value=request.price)
    return Answer(status, body)
