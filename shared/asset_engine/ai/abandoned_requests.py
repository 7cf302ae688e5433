"""Paid AI requests that were charged but never finished, refunded by the sweeper.

A request ends with a usage event, succeeded or failed (refunded). One without it, well past
the Lambda timeout, was cut off: its container was killed, or the database failed while it
refunded. Its charge is given back here, exactly once (a unique index allows one refund per
reference), and the idempotency keys left claimed without an answer are freed for a retry.
"""

from __future__ import annotations

import psycopg

from asset_engine.billing import credits, idempotency, usage
from asset_engine.billing.credits import LedgerRow
from asset_engine.db import Connection, fetch_all, transaction
from asset_engine.observability import logger

_LOOKBACK = "7 days"


def refund_abandoned_requests(conn: Connection, *, after_s: int, limit: int = 500) -> int:
    """Refund charges older than `after_s` whose request never finished (`after_s` must be far
    longer than any request can run); returns how many were refunded."""
    refunded = 0
    for charge in _unfinished_charges(conn, after_s=after_s, limit=limit):
        try:
            with transaction(conn):
                credits.refund(conn, charge=charge)
                usage.record(
                    conn,
                    user_id=charge.user_id,
                    kind=charge.reason.removeprefix("ai_"),
                    status="failed",
                    ref_type=charge.ref_type,
                    ref_id=charge.ref_id,
                    metadata={"error": "the request never finished; refunded by the sweeper"},
                )
        except psycopg.errors.UniqueViolation:
            continue  # refunded meanwhile (another sweep): nothing is owed
        logger.warning(
            "refunded an abandoned AI request",
            extra={"ref_id": charge.ref_id, "user_id": str(charge.user_id)},
        )
        refunded += 1
    idempotency.release_abandoned(conn, older_than_s=after_s)
    return refunded


def _unfinished_charges(conn: Connection, *, after_s: int, limit: int) -> list[LedgerRow]:
    return fetch_all(
        conn,
        LedgerRow,
        f"""
        SELECT {credits.LEDGER_COLUMNS} FROM credit_ledger charge
        WHERE charge.ref_type = 'ai_request' AND charge.delta < 0
          AND charge.created_at < now() - make_interval(secs => %(after_s)s)
          AND charge.created_at > now() - %(lookback)s::interval
          AND NOT EXISTS (
              SELECT 1 FROM usage_events event
              WHERE event.ref_type = charge.ref_type AND event.ref_id = charge.ref_id)
          AND NOT EXISTS (
              SELECT 1 FROM credit_ledger given_back
              WHERE given_back.ref_type = charge.ref_type AND given_back.ref_id = charge.ref_id
                AND given_back.reason = 'refund')
        ORDER BY charge.created_at
        LIMIT %(limit)s
        """,  # noqa: S608 - only the constant column list is interpolated
        {"after_s": after_s, "lookback": _LOOKBACK, "limit": limit},
    )
