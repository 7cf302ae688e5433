"""Data access for `asset_versions`: rows are only ever inserted (a trigger refuses updates)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from asset_engine.db import Connection, fetch_all, fetch_one


@dataclass(frozen=True)
class AssetVersion:
    version: int
    title: str | None
    content: str | None
    storage_path: str | None
    source: str
    metadata: dict[str, Any]
    created_at: datetime


_COLUMNS = "version, title, content, storage_path, source, metadata, created_at"


def insert_version(
    conn: Connection,
    *,
    asset_id: uuid.UUID,
    version: int,
    title: str,
    content: str | None,
    storage_path: str | None,
    metadata: dict[str, Any],
    source: str,
) -> None:
    conn.execute(
        """
        INSERT INTO asset_versions (asset_id, version, title, content, storage_path, metadata, source)
        VALUES (%s, %s, %s, %s, %s, %s, %s)
        """,
        (asset_id, version, title, content, storage_path, Jsonb(metadata), source),
    )


def get_version(conn: Connection, *, asset_id: uuid.UUID, version: int) -> AssetVersion | None:
    return fetch_one(
        conn,
        AssetVersion,
        f"SELECT {_COLUMNS} FROM asset_versions WHERE asset_id = %s AND version = %s",  # noqa: S608
        (asset_id, version),
    )


def list_versions(conn: Connection, *, asset_id: uuid.UUID) -> list[AssetVersion]:
    return fetch_all(
        conn,
        AssetVersion,
        f"SELECT {_COLUMNS} FROM asset_versions WHERE asset_id = %s ORDER BY version DESC",  # noqa: S608
        (asset_id,),
    )
