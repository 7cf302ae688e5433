"""The only code that changes a balance.

Every change is one statement that moves `users.credits_balance` and appends the ledger row
with its `balance_after`, so the two can never disagree; callers that record more (an
idempotency key, an asset) wrap it in their own transaction. The ledger is append-only:
a refund is a new row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from asset_engine.billing import idempotency
from asset_engine.db import Connection, fetch_all, fetch_one
from asset_engine.errors import (
    ACCOUNT_GONE,
    AppError,
    Conflict,
    InsufficientCredits,
    NotFound,
    Unauthorized,
)
from asset_engine.pagination import Cursor
from asset_engine.schemas import INT32_MAX

# users.credits_balance and credit_ledger.balance_after are Postgres `integer`.
MAX_BALANCE = INT32_MAX

LEDGER_COLUMNS = "id, user_id, delta, balance_after, reason, ref_type, ref_id, created_at"


@dataclass(frozen=True)
class LedgerRow:
    """One `credit_ledger` row: a change of a balance, and the balance right after it."""

    id: uuid.UUID
    user_id: uuid.UUID
    delta: int
    balance_after: int
    reason: str
    ref_type: str | None
    ref_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Account:
    credits_balance: int
    credits_owed: int


@dataclass(frozen=True)
class UsageNote:
    """A usage event recorded by the debit's own statement, pointing at its ledger row."""

    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)


def debit(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    amount: int,
    reason: str,
    ref_type: str | None = None,
    ref_id: str | None = None,
    claim: idempotency.Claim | None = None,
    usage: UsageNote | None = None,
) -> LedgerRow:
    """Take `amount` credits, or raise InsufficientCredits (Unauthorized when the user's row is
    gone: a token that outlived its account) and change nothing.

    One statement, so one round trip: with `claim`, it first claims the Idempotency-Key and
    debits only if it got it (else raises idempotency.KeyTaken, having changed nothing: run
    it in a transaction with the rest of the request); with `usage`, it also records the
    usage event of the debit.
    """
    if not 0 < amount <= MAX_BALANCE:
        raise ValueError("a debit takes a positive amount within the balance's range")
    claim_ctes = f"{idempotency.CLAIM_CTES}," if claim else ""
    only_if_claimed = "AND EXISTS (SELECT 1 FROM claimed)" if claim else ""
    record_usage = (
        """,
        used AS (
            INSERT INTO usage_events (user_id, kind, status, credits_spent, ref_type, ref_id,
                                      metadata)
            SELECT user_id, %(usage_kind)s, 'succeeded', %(amount)s, 'credit_ledger', id::text,
                   %(usage_metadata)s
            FROM entry
        )"""
        if usage
        else ""
    )
    claimed = "(SELECT count(*) FROM claimed)" if claim else "1"
    try:
        row = conn.execute(
            f"""
            WITH {claim_ctes}
            spent AS (
                UPDATE users SET credits_balance = credits_balance - %(amount)s, updated_at = now()
                WHERE id = %(user_id)s AND credits_balance >= %(amount)s AND credits_owed = 0 {only_if_claimed}
                RETURNING id, credits_balance
            ),
            entry AS (
                INSERT INTO credit_ledger (user_id, delta, balance_after, reason, ref_type, ref_id)
                SELECT id, -%(amount)s, credits_balance, %(reason)s, %(ref_type)s, %(ref_id)s
                FROM spent
                RETURNING {LEDGER_COLUMNS}
            ){record_usage}
            SELECT {claimed} AS claimed, entry.* FROM (VALUES (1)) AS one LEFT JOIN entry ON true
            """,  # noqa: S608 - only constant fragments are interpolated
            {
                "user_id": user_id,
                "amount": amount,
                "reason": reason,
                "ref_type": ref_type,
                "ref_id": ref_id,
                "usage_kind": usage.kind if usage else None,
                "usage_metadata": Jsonb(usage.metadata if usage else {}),
                **(claim.params() if claim else {}),
            },
        ).fetchone()
    except psycopg.errors.ForeignKeyViolation as exc:
        # The key's claim names a user the debit did not find: a token outlived its account.
        raise Unauthorized(ACCOUNT_GONE) from exc
    assert row is not None
    if not row.pop("claimed"):
        raise idempotency.KeyTaken
    if row["id"] is None:
        raise _refusal(conn, user_id=user_id, amount=amount)
    return LedgerRow(**row)


def _refusal(conn: Connection, *, user_id: uuid.UUID, amount: int) -> AppError:
    """Why a debit of `amount` was refused: credits still owed, a short balance, or no account
    at all (a route that reads no user row first learns it here)."""
    account = fetch_one(
        conn, Account, "SELECT credits_balance, credits_owed FROM users WHERE id = %s", (user_id,)
    )
    if account is None:
        return Unauthorized(ACCOUNT_GONE)
    have, owed = account.credits_balance, account.credits_owed
    if owed:
        return InsufficientCredits(
            f"{owed} credit{'' if owed == 1 else 's'} of a refunded purchase "
            f"{'is' if owed == 1 else 'are'} still owed (spent before the refund): buy credits "
            "to settle that before spending again.",
            balance=have,
            required=amount,
            owed=owed,
        )
    return InsufficientCredits(
        f"This needs {amount} credit{'' if amount == 1 else 's'} and the balance is {have}.",
        balance=have,
        required=amount,
    )


def credit(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    amount: int,
    reason: str,
    ref_type: str | None = None,
    ref_id: str | None = None,
) -> LedgerRow:
    """Add `amount` credits (a grant, a purchase or a refund); Conflict past MAX_BALANCE."""
    if not 0 < amount <= MAX_BALANCE:
        raise ValueError("a credit takes a positive amount within the balance's range")
    row = fetch_one(
        conn,
        LedgerRow,
        f"""
        WITH added AS (
            UPDATE users SET credits_balance = credits_balance + %(amount)s, updated_at = now()
            WHERE id = %(user_id)s AND credits_balance <= %(max_balance)s - %(amount)s
            RETURNING id, credits_balance
        )
        INSERT INTO credit_ledger (user_id, delta, balance_after, reason, ref_type, ref_id)
        SELECT id, %(amount)s, credits_balance, %(reason)s, %(ref_type)s, %(ref_id)s FROM added
        RETURNING {LEDGER_COLUMNS}
        """,  # noqa: S608 - only the constant column list is interpolated
        {
            "user_id": user_id,
            "amount": amount,
            "reason": reason,
            "ref_type": ref_type,
            "ref_id": ref_id,
            "max_balance": MAX_BALANCE,
        },
    )
    if row is None:
        have = balance(conn, user_id=user_id)  # NotFound for a user that is gone
        raise Conflict(
            f"That would take the balance past its maximum of {MAX_BALANCE} credits.",
            balance=have,
        )
    return row


def refund(conn: Connection, *, charge: LedgerRow, reason: str = "refund") -> LedgerRow:
    """Give back a debit in full, as a new ledger row pointing at the same reference."""
    return credit(
        conn,
        user_id=charge.user_id,
        amount=-charge.delta,
        reason=reason,
        ref_type=charge.ref_type,
        ref_id=charge.ref_id,
    )


def hold_account(conn: Connection, *, user_id: uuid.UUID) -> Account:
    """Lock the user's balance until the transaction ends; its balance and what it owes."""
    account = fetch_one(
        conn,
        Account,
        "SELECT credits_balance, credits_owed FROM users WHERE id = %s FOR UPDATE",
        (user_id,),
    )
    if account is None:
        raise NotFound("User not found.")
    return account


def take_back(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    amount: int,
    reason: str,
    ref_type: str,
    ref_id: str,
    already_owed: int = 0,
) -> tuple[LedgerRow | None, int]:
    """Take back up to `amount` credits (a refunded purchase), never below zero: what the
    balance cannot cover becomes owed (`users.credits_owed`), and no debit goes through while
    anything is owed. `already_owed` is the part of `amount` already counted as owed (settling
    it). Returns the ledger row (None when nothing could be taken) and what stays owed."""
    if not 0 < amount <= MAX_BALANCE or not 0 <= already_owed <= amount:
        raise ValueError("a take-back takes a positive amount, at least what it settles")
    have = hold_account(conn, user_id=user_id).credits_balance
    taken = min(have, amount)
    row = fetch_one(
        conn,
        LedgerRow,
        f"""
        WITH moved AS (
            UPDATE users SET credits_balance = credits_balance - %(taken)s,
                             credits_owed = credits_owed + %(owed_change)s, updated_at = now()
            WHERE id = %(user_id)s
            RETURNING id, credits_balance
        )
        INSERT INTO credit_ledger (user_id, delta, balance_after, reason, ref_type, ref_id)
        SELECT id, -%(taken)s, credits_balance, %(reason)s, %(ref_type)s, %(ref_id)s FROM moved
        WHERE %(taken)s > 0
        RETURNING {LEDGER_COLUMNS}
        """,  # noqa: S608 - only the constant column list is interpolated
        {
            "user_id": user_id,
            "taken": taken,
            "owed_change": (amount - taken) - already_owed,
            "reason": reason,
            "ref_type": ref_type,
            "ref_id": ref_id,
        },
    )
    return row, amount - taken


def account(conn: Connection, *, user_id: uuid.UUID) -> Account | None:
    """The user's balance and what it owes, in one read; None when there is no such user."""
    return fetch_one(
        conn, Account, "SELECT credits_balance, credits_owed FROM users WHERE id = %s", (user_id,)
    )


def balance(conn: Connection, *, user_id: uuid.UUID) -> int:
    row = conn.execute("SELECT credits_balance FROM users WHERE id = %s", (user_id,)).fetchone()
    if row is None:
        raise NotFound("User not found.")
    return int(row["credits_balance"])


def list_entries(
    conn: Connection, *, user_id: uuid.UUID, limit: int, cursor: Cursor | None
) -> list[LedgerRow]:
    """Newest first; fetches `limit + 1` rows so the caller can tell whether a next page exists."""
    after = "" if cursor is None else "AND (created_at, id) < (%(at)s, %(id)s)"
    return fetch_all(
        conn,
        LedgerRow,
        f"""
        SELECT {LEDGER_COLUMNS} FROM credit_ledger
        WHERE user_id = %(user_id)s {after}
        ORDER BY created_at DESC, id DESC
        LIMIT %(limit)s
        """,  # noqa: S608 - only constant fragments are interpolated
        {
            "user_id": user_id,
            "limit": limit + 1,
            "at": cursor.created_at if cursor else None,
            "id": cursor.id if cursor else None,
        },
    )


def charge_for(conn: Connection, *, ref_type: str, ref_id: str) -> LedgerRow | None:
    """The debit recorded for a reference (an image job's charge), if any."""
    return fetch_one(
        conn,
        LedgerRow,
        f"SELECT {LEDGER_COLUMNS} FROM credit_ledger "  # noqa: S608 - constant column list
        "WHERE ref_type = %s AND ref_id = %s AND delta < 0 ORDER BY created_at LIMIT 1",
        (ref_type, ref_id),
    )
