"""Idempotency keys: the same key from the same user within 24 h answers the first answer again.

Two phases, so a request whose answer is only known after a slow provider call can use it too:
the transaction that charges claims the key (`begin`, or `credits.debit(claim=...)` in the
charge's own statement), `finish` stores the answer, and
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

from asset_engine.db import Connection, fetch_one
from asset_engine.errors import Conflict

KEY_LIFETIME = "24 hours"


@dataclass(frozen=True)
class KeyRow:
    """An `idempotency_keys` row as a later request with the same key reads it."""

    request_hash: str
    response_status: int | None
    response_body: dict[str, Any] | None


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


@dataclass(frozen=True)
class Claim:
    """A request's claim on its key, made by the first statement of the charging transaction
    (see `CLAIM_CTES` and `credits.debit(claim=...)`)."""

    user_id: uuid.UUID
    key: str
    fingerprint: str

    def params(self) -> dict[str, Any]:
        return {
            "claim_user_id": self.user_id,
            "claim_key": self.key,
            "claim_hash": self.fingerprint,
            "claim_lifetime": KEY_LIFETIME,
        }


class KeyTaken(Exception):
    """The key belongs to an earlier request (answered or still running): see `stored_answer`."""


# WITH-clause items that claim the key; `claimed` has a row only when this request holds it now.
# A key past its lifetime is taken over in place; this user's other expired keys are purged in
# passing, so the table holds about a day of keys per active user. A concurrent request with
# the same key waits on the primary key until this one commits or rolls back, then finds the
# key taken (or free again, after a rollback).
CLAIM_CTES = """
    purged AS (
        DELETE FROM idempotency_keys
        WHERE user_id = %(claim_user_id)s AND key <> %(claim_key)s
          AND created_at < now() - %(claim_lifetime)s::interval
    ),
    claimed AS (
        INSERT INTO idempotency_keys (user_id, key, request_hash)
        VALUES (%(claim_user_id)s, %(claim_key)s, %(claim_hash)s)
        ON CONFLICT (user_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, created_at = now(),
            response_status = NULL, response_body = NULL
        WHERE idempotency_keys.created_at < now() - %(claim_lifetime)s::interval
        RETURNING key
    )"""


def begin(
    conn: Connection, *, user_id: uuid.UUID, key: str, fingerprint: str
) -> StoredAnswer | None:
    """Claim `key` for this request (None), or return the answer it already has.

    Call it inside the transaction that charges (a charge can claim in its own statement
    instead: `credits.debit(claim=...)`).
    """
    claim = Claim(user_id=user_id, key=key, fingerprint=fingerprint)
    row = conn.execute(
        f"WITH {CLAIM_CTES} SELECT count(*) AS claimed FROM claimed",  # noqa: S608 - constant
        claim.params(),
    ).fetchone()
    if row is not None and row["claimed"]:
        return None
    return stored_answer(conn, claim)


def stored_answer(conn: Connection, claim: Claim) -> StoredAnswer:
    """The answer of the earlier request that holds the key; Conflict while it has none, or
    when the key was used for a different request."""
    row = fetch_one(
        conn,
        KeyRow,
        "SELECT request_hash, response_status, response_body FROM idempotency_keys "
        "WHERE user_id = %s AND key = %s",
        (claim.user_id, claim.key),
    )
    if row is None:  # released since our claim failed: treat as in progress
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
    if row.request_hash != claim.fingerprint:
        raise Conflict("This Idempotency-Key was already used for a different request.")
    if row.response_status is None:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
    return StoredAnswer(status=row.response_status, body=dict(row.response_body or {}))


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
