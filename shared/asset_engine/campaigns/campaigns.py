"""Data access for `campaigns`; every query is scoped to its owner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asset_engine.db import Connection, fetch_all, fetch_one
from asset_engine.pagination import Cursor


@dataclass(frozen=True)
class Campaign:
    id: uuid.UUID
    name: str
    objective: str | None
    audience: str | None
    channels: list[str]
    brand_voice: str | None
    status: str
    start_date: date | None
    end_date: date | None
    created_at: datetime
    updated_at: datetime
    asset_count: int  # derived from `assets`, never stored


# asset_count is derived, never stored: it cannot drift from the assets table.
_COLUMNS = """
c.id, c.name, c.objective, c.audience, c.channels, c.brand_voice, c.status,
c.start_date, c.end_date, c.created_at, c.updated_at,
(SELECT count(*) FROM assets a WHERE a.campaign_id = c.id)::int AS asset_count
"""
_SELECT = f"SELECT {_COLUMNS} FROM campaigns c\n"  # noqa: S608 - constant columns only


def insert_campaign(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    name: str,
    objective: str | None,
    audience: str | None,
    channels: list[str],
    brand_voice: str | None,
    start_date: Any,
    end_date: Any,
) -> uuid.UUID:
    row = conn.execute(
        """
        INSERT INTO campaigns (user_id, name, objective, audience, channels, brand_voice,
                               start_date, end_date)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
        RETURNING id
        """,
        (user_id, name, objective, audience, channels, brand_voice, start_date, end_date),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def get_campaign(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID
) -> Campaign | None:
    return fetch_one(
        conn, Campaign, _SELECT + "WHERE c.id = %s AND c.user_id = %s", (campaign_id, user_id)
    )


def list_campaigns(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    status: str | None,
    limit: int,
    cursor: Cursor | None,
) -> list[Campaign]:
    """Newest first; `limit + 1` rows so the caller can tell whether a next page exists."""
    return fetch_all(
        conn,
        Campaign,
        _SELECT
        + """
            WHERE c.user_id = %(user_id)s
              AND (%(status)s::text IS NULL OR c.status = %(status)s)
              AND (%(at)s::timestamptz IS NULL OR (c.created_at, c.id) < (%(at)s, %(id)s))
            ORDER BY c.created_at DESC, c.id DESC
            LIMIT %(limit)s
            """,
        {
            "user_id": user_id,
            "status": status,
            "at": cursor.created_at if cursor else None,
            "id": cursor.id if cursor else None,
            "limit": limit + 1,
        },
    )


def move_status(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    campaign_id: uuid.UUID,
    from_statuses: list[str],
    to_status: str,
) -> Campaign | None:
    """Set the status only if it is still one it may leave from: one statement, no race.
    The campaign as this change left it, or None when it may not move."""
    return fetch_one(
        conn,
        Campaign,
        f"""
            UPDATE campaigns c SET status = %s, updated_at = now()
            WHERE c.id = %s AND c.user_id = %s AND c.status = ANY(%s)
            RETURNING {_COLUMNS}
            """,  # noqa: S608 - only the constant column list is interpolated
        (to_status, campaign_id, user_id, from_statuses),
    )


def lock_campaign(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID
) -> Campaign | None:
    """The campaign, its row locked until the transaction ends: edits queue up behind it."""
    return fetch_one(
        conn,
        Campaign,
        _SELECT + "WHERE c.id = %s AND c.user_id = %s FOR UPDATE OF c",
        (campaign_id, user_id),
    )


def update_details(
    conn: Connection,
    *,
    campaign_id: uuid.UUID,
    name: str,
    objective: str | None,
    audience: str | None,
    channels: list[str],
    brand_voice: str | None,
    start_date: date | None,
    end_date: date | None,
) -> Campaign:
    """Write a locked campaign's details (not its status); the campaign as written."""
    updated = fetch_one(
        conn,
        Campaign,
        f"""
            UPDATE campaigns c SET name = %s, objective = %s, audience = %s, channels = %s,
                                   brand_voice = %s, start_date = %s, end_date = %s,
                                   updated_at = now()
            WHERE c.id = %s
            RETURNING {_COLUMNS}
            """,  # noqa: S608 - only the constant column list is interpolated
        (name, objective, audience, channels, brand_voice, start_date, end_date, campaign_id),
    )
    assert updated is not None  # the caller holds the row lock
    return updated
