"""The order of work of every paid AI request, in one place.

charge (with the Idempotency-Key, in one transaction) -> provider call (no transaction open)
-> write the results, the usage event and the stored answer (one transaction); or, when the
provider or the write fails: refund as a new ledger row, record a failed usage event and
forget the key, so the balance after a failure equals the balance before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from asset_engine.billing import credits, idempotency, usage
from asset_engine.db import Connection, transaction
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
    """Handed to the writer: how much was taken and the balance right after."""

    credits_charged: int
    balance: int


def run_paid_request(
    conn: Connection,
    request: PaidRequest,
    *,
    call_provider: Callable[[], Outcome[R]],
    write: Callable[[Connection, Outcome[R], Charge], tuple[int, dict[str, Any]]],
) -> Answer:
    """Charge, call, write — or refund. `write` runs inside the final transaction."""
    fingerprint = idempotency.request_fingerprint(request.body, route=request.route)
    ref = str(request.request_id)
    with transaction(conn):
        if request.idempotency_key:
            stored = idempotency.begin(
                conn, user_id=request.user_id, key=request.idempotency_key, fingerprint=fingerprint
            )
            if stored is not None:
                return Answer(stored.status, stored.body, replayed=True)
        ledger_row = None
        if request.price > 0:
            ledger_row = credits.debit(
                conn,
                user_id=request.user_id,
                amount=request.price,
                reason=f"ai_{request.usage_kind}",
                ref_type="ai_request",
                ref_id=ref,
            )
        balance = (
            ledger_row["balance_after"]
            if ledger_row is not None
            else credits.balance(conn, user_id=request.user_id)
        )
    charge = Charge(credits_charged=request.price, balance=balance)

    try:
        outcome = call_provider()
        with transaction(conn):
            status, body = write(conn, outcome, charge)
            usage.record(
                conn,
                user_id=request.user_id,
                kind=request.usage_kind,
                provider=outcome.provider,
                credits_spent=request.price,
                prompt_tokens=outcome.prompt_tokens,
                completion_tokens=outcome.completion_tokens,
                ref_type="ai_request",
                ref_id=ref,
                metadata=outcome.metadata,
            )
            if request.idempotency_key:
                idempotency.finish(
                    conn,
                    user_id=request.user_id,
                    key=request.idempotency_key,
                    status=status,
                    body=body,
                )
    except Exception as exc:
        _give_back(conn, request, ledger_row, exc)
        raise
    metrics.add_metric(name="AiRequests", unit="Count", value=1)
    metrics.add_metric(name="CreditsSpent", unit="Count", value=request.price)
    return Answer(status, body)


def _give_back(
    conn: Connection, request: PaidRequest, ledger_row: dict[str, Any] | None, exc: Exception
) -> None:
    """Refund the charge, record the failure and free the key, all or nothing."""
    reason = exc.message if isinstance(exc, AppError) else type(exc).__name__
    logger.warning(
        "AI request failed; refunding",
        extra={"request_id": str(request.request_id), "error": reason},
    )
    with transaction(conn):
        if ledger_row is not None:
            credits.refund(conn, charge=ledger_row)
        usage.record(
            conn,
            user_id=request.user_id,
            kind=request.usage_kind,
            status="failed",
            credits_spent=0,
            ref_type="ai_request",
            ref_id=str(request.request_id),
            metadata={"error": reason[:500]},
        )
        if request.idempotency_key:
            idempotency.release(conn, user_id=request.user_id, key=request.idempotency_key)
    metrics.add_metric(name="AiRefunds", unit="Count", value=1)
