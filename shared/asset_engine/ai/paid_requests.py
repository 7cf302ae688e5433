"""The order of work of every paid AI request, in one place.

charge (`billing.charges`: claim the Idempotency-Key and debit, one transaction) -> call the
provider (no connection held: a slow provider must not starve the pool) -> write the results,
the usage event and the stored answer (one transaction); or, when anything after the charge
fails: `charges.give_back` (refund as a new ledger row, a failed usage event, the key freed),
so the balance after a failure equals the balance before it.

Image requests use the same billing steps but end later: their charge is settled by the job's
end (see asset_engine.images.logic).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from asset_engine import db
from asset_engine.billing import charges, usage
from asset_engine.billing.charges import Answer, Charge, PaidRequest
from asset_engine.db import Connection, batched_transaction, transaction
from asset_engine.observability import logger, metrics, traced

__all__ = ["Answer", "Charge", "Outcome", "PaidRequest", "run_paid_request"]

R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What the provider produced, and what the caller's writer needs to record about it."""

    result: R
    provider: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


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
        claimed = charges.charge(conn, request)
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
            charges.finish(conn, request, Answer(status, body))
    except Exception as exc:
        reason = charges.failure_reason(exc)
        logger.warning(
            "AI request failed; refunding", extra={"request_id": request.ref_id, "error": reason}
        )
        with db.checkout() as conn, transaction(conn):
            charges.give_back(conn, request, charge, reason, provider=charges.failed_provider(exc))
        raise
    metrics.add_metric(name="AiRequests", unit="Count", value=1)
    metrics.add_metric(name="CreditsSpent", unit="Count", value=request.price)
    return Answer(status, body)


# Traced after definition, not decorated, so that `make mutate` mutates them.
run_paid_request = traced(run_paid_request)
