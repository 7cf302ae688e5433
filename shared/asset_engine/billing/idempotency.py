"""Idempotency keys: the same key from the same user within 24 h answers the first answer again.

Two phases, so a request whose answer is only known after a slow provider call can use it too:
`begin` (in the transaction that charges) claims the key, `finish` stores the answer, and
`release` forgets a claim whose request failed and was refunded, so a retry may run again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from asset_engine.db import Connection
from asset_engine.errors import Conflict

KEY_LIFETIME = "24 hours"


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: dict[str, Any]


def request_fingerprint(body: Mapping[str, Any], *, route: str) -> str:
    """Stable across key order and whitespace; includes the route so keys do not cross paths."""
    canonical = json.dumps(
        {"route": route, "body": body}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def begin(
    conn: Connection, *, user_id: uuid.UUID, key: str, fingerprint: str
) -> StoredAnswer | None:
    """Claim `key` for this request (None), or return the answer it already has.

    Call it inside the transaction that charges: a concurrent request with the same key waits
    on the primary key until this one commits or rolls back, then sees its outcome.
    """
    # Keys older than their lifetime are free again: this user's are purged here, so the table
    # holds about a day of keys per active user.
    conn.execute(
        "DELETE FROM idempotency_keys WHERE user_id = %s AND created_at < now() - %s::interval",
        (user_id, KEY_LIFETIME),
    )
    claimed = conn.execute(
        """
        INSERT INTO idempotency_keys (user_id, key, request_hash)
        VALUES (%s, %s, %s)
        ON CONFLICT (user_id, key) DO NOTHING
        RETURNING key
        """,
        (user_id, key, fingerprint),
    ).fetchone()
    if claimed is not None:
        return None
    row = conn.execute(
        "SELECT request_hash, response_status, response_body FROM idempotency_keys "
        "WHERE user_id = %s AND key = %s",
        (user_id, key),
    ).fetchone()
    if row is None:  # released between our insert and select: treat as in progress
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
    if row["request_hash"] != fingerprint:
        raise Conflict("This Idempotency-Key was already used for a different request.")
    if row["response_status"] is None:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
    return StoredAnswer(status=int(row["response_status"]), body=dict(row["response_body"]))


def finish(
    conn: Connection, *, user_id: uuid.UUID, key: str, status: int, body: dict[str, Any]
) -> None:
    conn.execute(
        "UPDATE idempotency_keys SET response_status = %s, response_body = %s "
        "WHERE user_id = %s AND key = %s",
        (status, Jsonb(body), user_id, key),
    )


def release(conn: Connection, *, user_id: uuid.UUID, key: str) -> None:
    conn.execute(
        "DELETE FROM idempotency_keys WHERE user_id = %s AND key = %s AND response_status IS NULL",
        (user_id, key),
    )


def release_abandoned(conn: Connection, *, older_than_s: int) -> None:
    """Free every key still claimed without an answer after `older_than_s`: its request was
    cut off (the sweeper), so a retry may run again."""
    conn.execute(
        "DELETE FROM idempotency_keys "
        "WHERE response_status IS NULL AND created_at < now() - make_interval(secs => %s)",
        (older_than_s,),
    )
