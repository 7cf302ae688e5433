"""Billing rules: who may grant, how a deduction is charged once, what usage adds up to."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from typing import Any

from asset_engine.auth import users
from asset_engine.billing import charges, credits, purchase_records, usage
from asset_engine.billing.charges import Answer, PaidRequest
from asset_engine.billing.schemas import (
    BalanceChange,
    CreditsAdd,
    CreditsDeduct,
    LedgerEntry,
    Prices,
    UsageDay,
    UsageSummary,
    UsageTotals,
)
from asset_engine.config import get_settings
from asset_engine.db import Connection, batched_transaction, transaction
from asset_engine.errors import NotFound
from asset_engine.pagination import Cursor, page_of


def add_credits(conn: Connection, *, admin: users.User, body: CreditsAdd) -> BalanceChange:
    """An admin grant, to the admin or to any existing user."""
    target = body.user_id or admin.id
    if users.get_user(conn, user_id=target) is None:
        raise NotFound("No user with that id.")
    with transaction(conn):
        entry = credits.credit(
            conn,
            user_id=target,
            amount=body.amount,
            reason=body.reason,
            ref_type="admin_grant",
            ref_id=str(admin.id),
        )
    return BalanceChange(balance=entry.balance_after, entry=LedgerEntry.of(entry))


DEDUCT_ROUTE = "POST /api/v1/credits/deduct"
# A user's own reasons live under this prefix, so no user can write a ledger row that reads as
# one the system writes (`refund`, `signup_grant`, `ai_text`, ...).
USER_REASON_PREFIX = "user:"


def user_reason(reason: str) -> str:
    return f"{USER_REASON_PREFIX}{reason}"


def deduct_credits(
    conn: Connection, *, user_id: uuid.UUID, body: CreditsDeduct, idempotency_key: str | None
) -> Answer:
    """A deduction through the one paid path (`charges`): the work is done once it is paid,
    so key, charge, usage and stored answer commit together.

    Without a key the debit, its ledger row and its usage event are one statement (atomic on
    its own, one round trip); with one, the same statement claims the key first and the
    stored answer follows with the COMMIT (two round trips).

    No X-Ray subsegment of its own: it is all of the handler's, which Powertools records
    already, and a second one cost a tenth of the request's CPU (bench/deduct.py).
    """
    request = PaidRequest(
        user_id=user_id,
        route=DEDUCT_ROUTE,
        body=body.model_dump(mode="json"),
        price=body.amount,
        usage_kind="deduct",
        idempotency_key=idempotency_key,
        ref_type=None,  # the usage event points at the ledger row
        reason=user_reason(body.reason),
        usage_on_charge={"reason": body.reason},
    )
    with batched_transaction(conn) if idempotency_key else nullcontext():
        taken = charges.charge(conn, request)
        if isinstance(taken, Answer):
            return taken
        assert taken.entry is not None  # a deduction's price is positive
        answer = Answer(200, _balance_change(taken.entry))
        charges.finish(conn, request, answer)
    return answer


def _balance_change(entry: credits.LedgerRow) -> dict[str, Any]:
    return BalanceChange(balance=entry.balance_after, entry=LedgerEntry.of(entry)).model_dump(
        mode="json"
    )


def ledger_page(
    conn: Connection, *, user_id: uuid.UUID, limit: int, cursor: Cursor | None
) -> tuple[list[LedgerEntry], str | None]:
    rows = credits.list_entries(conn, user_id=user_id, limit=limit, cursor=cursor)
    page, next_cursor = page_of(rows, limit)
    return [LedgerEntry.of(row) for row in page], next_cursor


def usage_summary(conn: Connection, *, user_id: uuid.UUID, days: int) -> UsageSummary:
    rows = usage.daily_summary(conn, user_id=user_id, days=days)
    bought = purchase_records.daily_purchases(conn, user_id=user_id, days=days)
    day_list = [
        UsageDay(
            date=row.date,
            credits_spent=row.credits_spent,
            text_generations=row.text_generations,
            image_generations=row.image_generations,
            credits_purchased=bought.get(row.date),
        )
        for row in rows
    ]
    return UsageSummary(
        days=day_list,
        totals=UsageTotals(
            credits_spent=sum(d.credits_spent for d in day_list),
            text_generations=sum(d.text_generations for d in day_list),
            image_generations=sum(d.image_generations for d in day_list),
            credits_purchased=sum(d.credits_purchased or 0 for d in day_list) or None,
        ),
    )


def prices() -> Prices:
    settings = get_settings()
    return Prices(
        text=settings.price_text,
        suggestions=settings.price_suggestions,
        refine=settings.price_refine,
        regenerate=settings.price_text,  # a fresh take costs what one variant does
        image=settings.price_image,
    )
