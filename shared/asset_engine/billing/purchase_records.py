"""Data access for purchases: `credit_purchases` (the Checkout Sessions we started),
`stripe_events` (every event id once) and `stripe_refunds` (what Stripe says was refunded)."""

from __future__ import annotations

import uuid
from typing import Any

from asset_engine.db import Connection

PurchaseRow = dict[str, Any]

_COLUMNS = (
    "session_id, user_id, pack, credits, price_cents, currency, status, payment_intent, "
    "amount_paid, credits_taken_back, credits_owed, created_at, paid_at"
)


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


def get_purchase(conn: Connection, *, session_id: str, lock: bool = False) -> PurchaseRow | None:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM credit_purchases WHERE session_id = %s"  # noqa: S608
        + (" FOR UPDATE" if lock else ""),
        (session_id,),
    ).fetchone()


def get_purchase_by_payment(
    conn: Connection, *, payment_intent: str, lock: bool = False
) -> PurchaseRow | None:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM credit_purchases WHERE payment_intent = %s"  # noqa: S608
        + (" FOR UPDATE" if lock else ""),
        (payment_intent,),
    ).fetchone()


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


def owing_purchases(conn: Connection, *, user_id: uuid.UUID) -> list[PurchaseRow]:
    """This user's refunded purchases whose credits are still owed, oldest first, locked."""
    return conn.execute(
        f"SELECT {_COLUMNS} FROM credit_purchases "  # noqa: S608 - constant column list
        "WHERE user_id = %s AND credits_owed > 0 ORDER BY paid_at, session_id FOR UPDATE",
        (user_id,),
    ).fetchall()


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
) -> dict[str, Any]:
    """Keep the largest refunded total reported for a payment (events may come out of order);
    returns what is kept."""
    row = conn.execute(
        """
        INSERT INTO stripe_refunds (payment_intent, amount, amount_refunded)
        VALUES (%(pi)s, %(amount)s, %(refunded)s)
        ON CONFLICT (payment_intent) DO UPDATE
        SET amount_refunded = greatest(stripe_refunds.amount_refunded, EXCLUDED.amount_refunded),
            amount = EXCLUDED.amount, updated_at = now()
        RETURNING payment_intent, amount, amount_refunded
        """,
        {"pi": payment_intent, "amount": amount, "refunded": amount_refunded},
    ).fetchone()
    assert row is not None
    return dict(row)


def refund_of(conn: Connection, *, payment_intent: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT payment_intent, amount, amount_refunded FROM stripe_refunds "
        "WHERE payment_intent = %s",
        (payment_intent,),
    ).fetchone()


def daily_purchases(conn: Connection, *, user_id: uuid.UUID, days: int) -> dict[Any, int]:
    """Credits bought per UTC day of the last `days` days (the ledger's purchase rows)."""
    rows = conn.execute(
        """
        SELECT (created_at AT TIME ZONE 'UTC')::date AS date, sum(delta)::int AS credits
        FROM credit_ledger
        WHERE user_id = %(user_id)s AND reason = 'purchase'
          AND created_at >= ((now() AT TIME ZONE 'UTC')::date - (%(days)s - 1)) AT TIME ZONE 'UTC'
        GROUP BY 1
        """,
        {"user_id": user_id, "days": days},
    ).fetchall()
    return {row["date"]: int(row["credits"]) for row in rows}
