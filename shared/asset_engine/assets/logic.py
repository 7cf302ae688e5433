"""Asset rules: every change appends a version; undo and redo only move the pointer.

All of these work inside a caller's transaction too (they nest as savepoints), so the AI
function can write an asset and its charge's bookkeeping together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from asset_engine.assets import asset_versions, assets
from asset_engine.assets.assets import Asset, LockedAsset
from asset_engine.assets.schemas import AssetPublic, AssetVersionPublic, VersionHistory
from asset_engine.campaigns import logic as campaigns
from asset_engine.db import Connection, transaction
from asset_engine.errors import Conflict, NotFound
from asset_engine.pagination import Cursor, page_of

_NOT_FOUND = "Asset not found."


def create_asset(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    content: str | None = None,
    storage_path: str | None = None,
    campaign_id: uuid.UUID | None = None,
    metadata: dict[str, Any] | None = None,
    source: str = "manual",
    asset_type: str | None = None,
) -> AssetPublic:
    """A new ready asset at version 1 (NotFound when the campaign is not the user's)."""
    (created,) = create_assets(
        conn,
        user_id=user_id,
        kind=kind,
        campaign_id=campaign_id,
        asset_type=asset_type,
        source=source,
        drafts=[(title, content, storage_path, metadata or {})],
    )
    return created


def create_pending_image(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    title: str,
    campaign_id: uuid.UUID | None,
    metadata: dict[str, Any],
) -> AssetPublic:
    """An image asset still being painted: version 0 with no version rows; its first picture
    arrives through `append_version`."""
    if campaign_id is not None:
        campaigns.require_owned(conn, user_id=user_id, campaign_id=campaign_id)
    asset_id = assets.insert_pending_image(
        conn, user_id=user_id, title=title, campaign_id=campaign_id, metadata=metadata
    )
    return get_asset(conn, user_id=user_id, asset_id=asset_id)


def create_assets(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    kind: str,
    campaign_id: uuid.UUID | None,
    asset_type: str | None,
    source: str,
    drafts: list[tuple[str, str | None, str | None, dict[str, Any]]],
) -> list[AssetPublic]:
    """Ready assets at version 1, one per (title, content, storage_path, metadata) draft, in one
    statement (one round trip, the campaign's ownership checked in it: NotFound otherwise)."""
    rows = assets.insert_ready_assets(
        conn,
        user_id=user_id,
        kind=kind,
        campaign_id=campaign_id,
        asset_type=asset_type,
        source=source,
        drafts=drafts,
    )
    if len(rows) != len(drafts):
        raise NotFound("Campaign not found.")
    return [AssetPublic.of(row) for row in rows]


def get_asset(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> AssetPublic:
    row = assets.get_asset(conn, user_id=user_id, asset_id=asset_id)
    if row is None:
        raise NotFound(_NOT_FOUND)
    return AssetPublic.of(row)


def append_version(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    asset_id: uuid.UUID,
    source: str,
    content: str | None = None,
    storage_path: str | None = None,
    title: str | None = None,
    metadata: dict[str, Any] | None = None,
    expected_version: int | None = None,
    status: str | None = None,
) -> AssetPublic:
    """A new latest version, the pointer on it. Fields left None carry over from the current
    version. Edits made after an undo land on top of the latest: history is never rewritten."""
    with transaction(conn):
        # The row lock serialises concurrent edits: each gets the next number, none is lost.
        locked = assets.lock_asset(conn, user_id=user_id, asset_id=asset_id)
        if locked is None:
            raise NotFound(_NOT_FOUND)
        if expected_version is not None and locked.current_version != expected_version:
            raise Conflict(
                f"The asset is at version {locked.current_version}, not {expected_version}; "
                "reload it and try again.",
                current_version=locked.current_version,
            )
        new_title = title if title is not None else locked.title
        new_metadata = metadata if metadata is not None else locked.metadata
        if source == "manual" and locked.current_version == 0:
            # Only an image starts at version 0, waiting for its first picture: a rename
            # changes the asset in place. As a version it would hold no picture, and undoing
            # to it from the picture would show a `ready` image without one.
            assets.point_at_new_version(
                conn, asset_id=asset_id, version=0, title=new_title, metadata=new_metadata,
                status=locked.status,
            )  # fmt: skip
            return get_asset(conn, user_id=user_id, asset_id=asset_id)
        base = asset_versions.get_version(conn, asset_id=asset_id, version=locked.current_version)
        version = locked.latest_version + 1
        asset_versions.insert_version(
            conn,
            asset_id=asset_id,
            version=version,
            title=new_title,
            content=content if content is not None or base is None else base.content,
            storage_path=(
                storage_path if storage_path is not None or base is None else base.storage_path
            ),
            metadata=new_metadata,
            source=source,
        )
        assets.point_at_new_version(
            conn,
            asset_id=asset_id,
            version=version,
            title=new_title,
            metadata=new_metadata,
            status=status or locked.status,
        )
    return get_asset(conn, user_id=user_id, asset_id=asset_id)


# --- for the image jobs: an asset waits `pending` while its picture is painted ---------------

PAINTING = "This image is still being painted; wait for it to finish."


def mark_pending(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> None:
    """Inside the caller's transaction: the asset waits for a new picture. Two pictures never
    paint at once: the image job's unique index (one open job per asset) refuses the second."""
    if not assets.set_pending(conn, user_id=user_id, asset_id=asset_id):
        raise NotFound(_NOT_FOUND)


def hold_for_version(
    conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID
) -> LockedAsset | None:
    """Inside the caller's transaction: the asset's row, locked until it ends, so the version
    the caller is about to append cannot be taken meanwhile (None once it is deleted)."""
    return assets.lock_asset(conn, user_id=user_id, asset_id=asset_id)


def give_up_pending(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> None:
    """Inside the caller's transaction: an asset whose picture never came stops waiting: back
    to its previous version (`ready`), or `failed` when it has none."""
    locked = assets.lock_asset(conn, user_id=user_id, asset_id=asset_id)
    if locked is not None and locked.status == "pending":
        back = "ready" if locked.current_version >= 1 else "failed"
        assets.set_status(conn, asset_id=asset_id, status=back)


def campaign_assets(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID, page_size: int
) -> Iterator[Asset]:
    """Every asset of the campaign, newest first, read a page at a time."""
    cursor: Cursor | None = None
    while True:
        page = assets.list_assets(
            conn,
            user_id=user_id,
            campaign_id=campaign_id,
            kind=None,
            limit=page_size,
            cursor=cursor,
        )
        yield from page[:page_size]
        if len(page) <= page_size:
            return
        last = page[page_size - 1]
        cursor = Cursor(created_at=last.created_at, id=last.id)


def undo(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> AssetPublic:
    return _move(conn, user_id=user_id, asset_id=asset_id, step=-1)


def redo(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> AssetPublic:
    return _move(conn, user_id=user_id, asset_id=asset_id, step=+1)


def _move(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID, step: int) -> AssetPublic:
    with transaction(conn):
        # Under the row lock the pointer cannot move under us: an undo queued behind an edit
        # steps back from the edited version.
        locked = assets.lock_asset(conn, user_id=user_id, asset_id=asset_id)
        if locked is None:
            raise NotFound(_NOT_FOUND)
        target = locked.current_version + step
        if not 1 <= target <= locked.latest_version:
            where = "the first version" if step < 0 else "the latest version"
            raise Conflict(
                f"Nothing to {'undo' if step < 0 else 'redo'}: the asset is at {where}.",
                current_version=locked.current_version,
                latest_version=locked.latest_version,
            )
        assets.point_at_version(conn, asset_id=asset_id, version=target)
    return get_asset(conn, user_id=user_id, asset_id=asset_id)


def list_assets(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    campaign_id: uuid.UUID | None,
    kind: str | None,
    limit: int,
    cursor: Cursor | None,
) -> tuple[list[AssetPublic], str | None]:
    rows = assets.list_assets(
        conn, user_id=user_id, campaign_id=campaign_id, kind=kind, limit=limit, cursor=cursor
    )
    page, next_cursor = page_of(rows, limit)
    return [AssetPublic.of(row) for row in page], next_cursor


def version_history(conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID) -> VersionHistory:
    asset = get_asset(conn, user_id=user_id, asset_id=asset_id)
    rows = asset_versions.list_versions(conn, asset_id=asset_id)
    return VersionHistory(
        items=[AssetVersionPublic.of(row) for row in rows], current_version=asset.current_version
    )
