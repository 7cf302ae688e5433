"""Data access for `assets`. Reads join the current version: an asset shows what it points at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from asset_engine.db import Connection, fetch_all, fetch_one
from asset_engine.pagination import Cursor


@dataclass(frozen=True)
class Asset:
    """An asset as its current version shows it."""

    id: uuid.UUID
    kind: str
    asset_type: str | None
    campaign_id: uuid.UUID | None
    status: str
    current_version: int
    latest_version: int
    title: str
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    content: str | None
    storage_path: str | None


@dataclass(frozen=True)
class LockedAsset:
    """The asset's own row, locked for a version write."""

    id: uuid.UUID
    status: str
    current_version: int
    latest_version: int
    title: str
    metadata: dict[str, Any]


_SELECT = """
SELECT a.id, a.kind, a.asset_type, a.campaign_id, a.status, a.current_version, a.latest_version,
       a.title, a.metadata, a.created_at, a.updated_at, v.content, v.storage_path
FROM assets a
LEFT JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.current_version
"""


def insert_pending_image(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    title: str,
    campaign_id: uuid.UUID | None,
    metadata: dict[str, Any],
) -> uuid.UUID:
    """An image asset waiting for its first picture: version 0, no version rows yet."""
    row = conn.execute(
        """
        INSERT INTO assets (user_id, kind, title, campaign_id, metadata, status,
                            current_version, latest_version)
        VALUES (%s, 'image', %s, %s, %s, 'pending', 0, 0)
        RETURNING id
        """,
        (user_id, title, campaign_id, Jsonb(metadata)),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def insert_ready_assets(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    kind: str,
    campaign_id: uuid.UUID | None,
    asset_type: str | None,
    source: str,
    drafts: list[tuple[str, str | None, str | None, dict[str, Any]]],
) -> list[Asset]:
    """New assets at version 1, one per (title, content, storage_path, metadata) draft, with
    their first versions: one statement. Rows shaped as `get_asset`'s, in the drafts' order;
    none when `campaign_id` is not this user's campaign (checked in the same statement)."""
    ids = [uuid.uuid4() for _ in drafts]
    return fetch_all(
        conn,
        Asset,
        """
        WITH draft AS MATERIALIZED (
            SELECT d.*
            FROM unnest(%(ids)s::uuid[], %(titles)s::text[], %(contents)s::text[],
                        %(paths)s::text[], %(metadata)s::jsonb[])
                 WITH ORDINALITY AS d(id, title, content, storage_path, metadata, ord)
            WHERE %(campaign_id)s::uuid IS NULL OR EXISTS (
                SELECT 1 FROM campaigns WHERE id = %(campaign_id)s AND user_id = %(user_id)s)
        ),
        made AS (
            INSERT INTO assets (id, user_id, kind, title, campaign_id, metadata, asset_type,
                                status, current_version, latest_version)
            SELECT id, %(user_id)s, %(kind)s, title, %(campaign_id)s, metadata, %(asset_type)s,
                   'ready', 1, 1
            FROM draft ORDER BY ord
            RETURNING id, kind, asset_type, campaign_id, status, current_version,
                      latest_version, title, metadata, created_at, updated_at
        ),
        first_version AS (
            INSERT INTO asset_versions (asset_id, version, title, content, storage_path,
                                        metadata, source)
            SELECT id, 1, title, content, storage_path, metadata, %(source)s FROM draft
        )
        SELECT made.*, draft.content, draft.storage_path
        FROM made JOIN draft USING (id)
        ORDER BY draft.ord
        """,
        {
            "ids": ids,
            "titles": [title for title, _, _, _ in drafts],
            "contents": [content for _, content, _, _ in drafts],
            "paths": [path for _, _, path, _ in drafts],
            "metadata": [Jsonb(metadata) for _, _, _, metadata in drafts],
            "user_id": user_id,
            "kind": kind,
            "campaign_id": campaign_id,
            "asset_type": asset_type,
            "source": source,
        },
    )


def get_asset(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
    return fetch_one(
        conn, Asset, _SELECT + "WHERE a.id = %s AND a.user_id = %s", (asset_id, user_id)
    )


def lock_asset(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> LockedAsset | None:
    """The asset row, locked until the transaction ends: version writes queue up behind it."""
    return fetch_one(
        conn,
        LockedAsset,
        "SELECT id, status, current_version, latest_version, title, metadata FROM assets "
        "WHERE id = %s AND user_id = %s FOR UPDATE",
        (asset_id, user_id),
    )


def point_at_new_version(
    conn: Connection,
    *,
    asset_id: uuid.UUID,
    version: int,
    title: str,
    metadata: dict[str, Any],
    status: str,
) -> None:
    conn.execute(
        """
        UPDATE assets SET current_version = %s, latest_version = %s, title = %s, metadata = %s,
                          status = %s, updated_at = now()
        WHERE id = %s
        """,
        (version, version, title, Jsonb(metadata), status, asset_id),
    )


def point_at_version(conn: Connection, *, asset_id: uuid.UUID, version: int) -> None:
    """Move the pointer (undo/redo) to an existing version; the caller holds the row lock."""
    conn.execute(
        """
        UPDATE assets a
        SET current_version = v.version, title = COALESCE(v.title, a.title),
            metadata = v.metadata, updated_at = now()
        FROM asset_versions v
        WHERE a.id = %(asset_id)s AND v.asset_id = a.id AND v.version = %(version)s
        """,
        {"asset_id": asset_id, "version": version},
    )


def list_assets(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    campaign_id: uuid.UUID | None,
    kind: str | None,
    limit: int,
    cursor: Cursor | None,
) -> list[Asset]:
    """Newest first; `limit + 1` rows so the caller can tell whether a next page exists."""
    return fetch_all(
        conn,
        Asset,
        _SELECT
        + """
        WHERE a.user_id = %(user_id)s
          AND (%(campaign_id)s::uuid IS NULL OR a.campaign_id = %(campaign_id)s)
          AND (%(kind)s::text IS NULL OR a.kind = %(kind)s)
          AND (%(at)s::timestamptz IS NULL OR (a.created_at, a.id) < (%(at)s, %(id)s))
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT %(limit)s
        """,
        {
            "user_id": user_id,
            "campaign_id": campaign_id,
            "kind": kind,
            "at": cursor.created_at if cursor is not None else None,
            "id": cursor.id if cursor is not None else None,
            "limit": limit + 1,
        },
    )


def set_pending(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> bool:
    """The user's asset marked pending, its row locked until the transaction ends (False: they
    have no such asset)."""
    updated = conn.execute(
        "UPDATE assets SET status = 'pending', updated_at = now() WHERE id = %s AND user_id = %s",
        (asset_id, user_id),
    )
    return updated.rowcount == 1


def set_status(conn: Connection, *, asset_id: uuid.UUID, status: str) -> None:
    """Mark an asset pending, ready or failed; the caller holds the row lock."""
    conn.execute(
        "UPDATE assets SET status = %s, updated_at = now() WHERE id = %s", (status, asset_id)
    )
