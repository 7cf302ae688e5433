"""Data access for purchases: `credit_purchases` (the Checkout Sessions we started),
`stripe_events` (every event id once) and `stripe_refunds` (what Stripe says was refunded)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from asset_engine.db import Connection, fetch_all, fetch_one

PurchaseStatus = Literal["open", "paid", "failed", "expired"]


@dataclass(frozen=True)
class Purchase:
    """One `credit_purchases` row: a Checkout Session we started, what it sold and to whom,
    and what refunds took back of it (or could not: still owed)."""

    session_id: str
    user_id: uuid.UUID
    pack: str
    credits: int
    price_cents: int
    currency: str
    status: PurchaseStatus
    payment_intent: str | None
    amount_paid: int | None
    credits_taken_back: int
    credits_owed: int
    created_at: datetime
    paid_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Refund:
    """One `stripe_refunds` row: the largest refunded total Stripe reported for a payment."""

    payment_intent: str
    amount: int
    amount_refunded: int


@dataclass(frozen=True)
class PurchaseDay:
    """Credits bought on one UTC day."""

    day: date
    credits: int


_COLUMNS = (
    "session_id, user_id, pack, credits, price_cents, currency, status, payment_intent, "
    "amount_paid, credits_taken_back, credits_owed, created_at, paid_at, updated_at"
)
_REFUND_COLUMNS = "payment_intent, amount, amount_refunded"


def insert_purchase(
    conn: Connection,
    *,
    session_id: str,
    user_id: uuid.UUID,
    pack: str,
    credits: int,
    price_cents: int,
    currency: str,
) -> None:
    """What checkout sold, kept so the webhook grants exactly that, to exactly this user.
    A session Stripe hands back again (its idempotency) is kept as first recorded."""
    conn.execute(
        """
        INSERT INTO credit_purchases (session_id, user_id, pack, credits, price_cents, currency)
        VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (session_id) DO NOTHING
        """,
        (session_id, user_id, pack, credits, price_cents, currency),
    )


def get_purchase(conn: Connection, *, session_id: str, lock: bool = False) -> Purchase | None:
    return fetch_one(
        conn,
        Purchase,
        f"SELECT {_COLUMNS} FROM credit_purchases WHERE session_id = %s"  # noqa: S608
        + (" FOR UPDATE" if lock else ""),
        (session_id,),
    )


def get_purchase_by_payment(
    conn: Connection, *, payment_intent: str, lock: bool = False
) -> Purchase | None:
    return fetch_one(
        conn,
        Purchase,
        f"SELECT {_COLUMNS} FROM credit_purchases WHERE payment_intent = %s"  # noqa: S608
        + (" FOR UPDATE" if lock else ""),
        (payment_intent,),
    )


def mark_paid(
    conn: Connection, *, session_id: str, payment_intent: str | None, amount_paid: int | None
) -> None:
    conn.execute(
        """
        UPDATE credit_purchases
        SET status = 'paid', payment_intent = %s, amount_paid = %s, paid_at = now(),
            updated_at = now()
        WHERE session_id = %s
        """,
        (payment_intent, amount_paid, session_id),
    )


def mark_ended_unpaid(conn: Connection, *, session_id: str, status: str) -> None:
    """`failed` (an async payment failed) or `expired`; a paid purchase stays paid."""
    conn.execute(
        "UPDATE credit_purchases SET status = %s, updated_at = now() "
        "WHERE session_id = %s AND status = 'open'",
        (status, session_id),
    )


def add_taken_back(conn: Connection, *, session_id: str, taken: int, owed_change: int) -> None:
    """`taken` more refunded credits came off the balance; what is owed moves by `owed_change`."""
    conn.execute(
        """
        UPDATE credit_purchases
        SET credits_taken_back = credits_taken_back + %s, credits_owed = credits_owed + %s,
            updated_at = now()
        WHERE session_id = %s
        """,
        (taken, owed_change, session_id),
    )


def owing_purchases(conn: Connection, *, user_id: uuid.UUID) -> list[Purchase]:
    """This user's refunded purchases whose credits are still owed, oldest first, locked."""
    return fetch_all(
        conn,
        Purchase,
        f"SELECT {_COLUMNS} FROM credit_purchases "  # noqa: S608 - constant column list
        "WHERE user_id = %s AND credits_owed > 0 ORDER BY paid_at, session_id FOR UPDATE",
        (user_id,),
    )


def record_event(conn: Connection, *, event_id: str, event_type: str) -> bool:
    """True when this event id is new. A concurrent delivery of the same id waits here until
    the first one commits, then finds it recorded (or records it, after a rollback)."""
    row = conn.execute(
        "INSERT INTO stripe_events (id, type) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING "
        "RETURNING id",
        (event_id, event_type[:200]),
    ).fetchone()
    return row is not None


def set_event_outcome(conn: Connection, *, event_id: str, outcome: str) -> None:
    conn.execute("UPDATE stripe_events SET outcome = %s WHERE id = %s", (outcome[:500], event_id))


def event_outcome(conn: Connection, *, event_id: str) -> str | None:
    row = conn.execute("SELECT outcome FROM stripe_events WHERE id = %s", (event_id,)).fetchone()
    return None if row is None else str(row["outcome"])


def record_refund(
    conn: Connection, *, payment_intent: str, amount: int, amount_refunded: int
) -> Refund:
    """Keep the largest refunded total reported for a payment (events may come out of order);
    returns what is kept."""
    row = fetch_one(
        conn,
        Refund,
        f"""
        INSERT INTO stripe_refunds (payment_intent, amount, amount_refunded)
        VALUES (%(pi)s, %(amount)s, %(refunded)s)
        ON CONFLICT (payment_intent) DO UPDATE
        SET amount_refunded = greatest(stripe_refunds.amount_refunded, EXCLUDED.amount_refunded),
            amount = EXCLUDED.amount, updated_at = now()
        RETURNING {_REFUND_COLUMNS}
        """,  # noqa: S608 - only the constant column list is interpolated
        {"pi": payment_intent, "amount": amount, "refunded": amount_refunded},
    )
    assert row is not None
    return row


def refund_of(conn: Connection, *, payment_intent: str) -> Refund | None:
    return fetch_one(
        conn,
        Refund,
        f"SELECT {_REFUND_COLUMNS} FROM stripe_refunds WHERE payment_intent = %s",  # noqa: S608
        (payment_intent,),
    )


def daily_purchases(conn: Connection, *, user_id: uuid.UUID, days: int) -> dict[date, int]:
    """Credits bought per UTC day of the last `days` days (the ledger's purchase rows)."""
    rows = fetch_all(
        conn,
        PurchaseDay,
        """
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, sum(delta)::int AS credits
        FROM credit_ledger
        WHERE user_id = %(user_id)s AND reason = 'purchase'
          AND created_at >= ((now() AT TIME ZONE 'UTC')::date - (%(days)s - 1)) AT TIME ZONE 'UTC'
        GROUP BY 1
        """,
        {"user_id": user_id, "days": days},
    )
    return {row.day: row.credits for row in rows}
