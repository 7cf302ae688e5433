"""The one way to take money for work: claim the key -> debit -> record -> finish, or refund.

Every paid request goes through these steps, whatever it buys (a deduction, an AI text, an
image job): `charge` claims the Idempotency-Key and debits in one statement, or returns the
answer the key already has; the caller does the work; `finish` stores the answer a replay of
the key gets; when the work fails after the charge, `give_back` refunds it as a new ledger
row, records a failed usage event and frees the key, so the balance after a failure equals
the balance before it. Each runs inside the caller's transaction: the caller decides what
commits with what (deduct commits all of it at once; an AI request holds no connection while
its provider answers).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from asset_engine.billing import credits, idempotency, usage
from asset_engine.db import Connection
from asset_engine.errors import AppError, ProviderError
from asset_engine.observability import metrics


@dataclass(frozen=True)
class PaidRequest:
    """What is bought, by whom, for how much, and under which key."""

    user_id: uuid.UUID
    route: str  # part of the idempotency fingerprint: one key cannot replay another path
    body: dict[str, Any]
    price: int
    usage_kind: str  # usage_events.kind
    idempotency_key: str | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # What the ledger row and usage events point at: the request, the job it started, or
    # (None) the ledger row itself.
    ref_type: str | None = "ai_request"
    # The ledger row's reason; `ai_<usage_kind>` unless said otherwise.
    reason: str | None = None
    # Work that is done once it is paid for (a deduction): its usage event, with this
    # metadata, is recorded by the charge's own statement.
    usage_on_charge: dict[str, Any] | None = None

    @property
    def ref_id(self) -> str | None:
        return str(self.request_id) if self.ref_type else None

    @property
    def ledger_reason(self) -> str:
        return self.reason or f"ai_{self.usage_kind}"


@dataclass(frozen=True)
class Answer:
    """What the request answers, and whether it is a stored answer replayed for its key."""

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


def _claim(request: PaidRequest) -> idempotency.Claim | None:
    if not request.idempotency_key:
        return None
    return idempotency.Claim(
        user_id=request.user_id,
        key=request.idempotency_key,
        fingerprint=idempotency.request_fingerprint(request.body, route=request.route),
    )


def charge(conn: Connection, request: PaidRequest) -> Charge | Answer:
    """The stored answer of a replayed key, or the charge. The claim and the debit (and the
    usage event, with `usage_on_charge`) are one statement: one round trip. With a key, run
    it in a transaction with the rest of the request (the claim must commit with it)."""
    claim = _claim(request)
    if request.price <= 0:
        if claim is not None:
            stored = idempotency.begin(
                conn, user_id=claim.user_id, key=claim.key, fingerprint=claim.fingerprint
            )
            if stored is not None:
                return Answer(stored.status, stored.body, replayed=True)
        return Charge(0, credits.balance(conn, user_id=request.user_id))
    note = (
        credits.UsageNote(kind=request.usage_kind, metadata=request.usage_on_charge)
        if request.usage_on_charge is not None
        else None
    )
    try:
        entry = credits.debit(
            conn,
            user_id=request.user_id,
            amount=request.price,
            reason=request.ledger_reason,
            ref_type=request.ref_type,
            ref_id=request.ref_id,
            claim=claim,
            usage=note,
        )
    except idempotency.KeyTaken:
        assert claim is not None
        stored = idempotency.stored_answer(conn, claim)
        return Answer(stored.status, stored.body, replayed=True)
    return Charge(request.price, entry.balance_after, entry)


def finish(conn: Connection, request: PaidRequest, answer: Answer) -> None:
    """The answer a replay of this request's key gets (nothing without a key)."""
    if request.idempotency_key:
        idempotency.finish(
            conn,
            user_id=request.user_id,
            key=request.idempotency_key,
            status=answer.status,
            body=answer.body,
        )


def give_back(
    conn: Connection, request: PaidRequest, taken: Charge, reason: str, *, provider: str | None
) -> None:
    """Refund the charge, record the failure (and the provider it happened at, when one was
    called), free the key. A second refund of one charge is refused by a unique index, so
    this runs at most once."""
    if taken.entry is not None:
        credits.refund(conn, charge=taken.entry)
    usage.record(
        conn,
        user_id=request.user_id,
        kind=request.usage_kind,
        status="failed",
        provider=provider,
        credits_spent=0,
        ref_type=request.ref_type,
        ref_id=request.ref_id,
        metadata={"error": reason[:500]},
    )
    if request.idempotency_key:
        idempotency.release(conn, user_id=request.user_id, key=request.idempotency_key)
    metrics.add_metric(name="AiRefunds", unit="Count", value=1)


def failure_reason(exc: BaseException) -> str:
    """What a failed request's usage event says went wrong (no internals for a crash)."""
    return exc.message if isinstance(exc, AppError) else type(exc).__name__


def failed_provider(exc: BaseException) -> str | None:
    """The provider a `ProviderError` names, None for any other failure."""
    return exc.extra.get("provider") if isinstance(exc, ProviderError) else None
