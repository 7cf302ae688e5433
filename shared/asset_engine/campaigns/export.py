"""A campaign's work, taken out: a CSV of its assets, or a ZIP of that CSV and its images.

Mangum buffers a Lambda's whole answer, and a synchronous Lambda answer is at most 6 MB once
its binary body is base64-encoded, so an export is built in memory up to `MAX_EXPORT_BYTES`
(4 MB: 5.3 MB as base64, with room for the headers) and refused past it with a 413, before
anything is sent. Memory stays bounded by that cap plus one image: the assets are read a page
at a time and each image is added and let go.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from asset_engine.assets import logic as assets
from asset_engine.assets.assets import Asset
from asset_engine.campaigns import logic
from asset_engine.db import Connection
from asset_engine.errors import TooLarge
from asset_engine.observability import logger
from asset_engine.storage import get_storage, url_for

ExportFormat = Literal["csv", "zip"]
MAX_EXPORT_BYTES = 4 * 1024 * 1024
COLUMNS = [
    "title",
    "channel",
    "kind",
    "content",
    "image_url",
    "version",
    "updated_at",
    "id",
    "asset_type",
    "image_file",
]
_PAGE = 100
# A spreadsheet runs a cell starting with these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportTooLarge(TooLarge):
    default_message = "This export is too large to send in one answer."


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str

    @property
    def content_disposition(self) -> str:
        ascii_name = self.filename.encode("ascii", "ignore").decode() or "export"
        return f'attachment; filename="{ascii_name}"'


def export_campaign(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID, fmt: ExportFormat
) -> ExportFile:
    campaign = logic.get_campaign(conn, user_id=user_id, campaign_id=campaign_id)  # 404
    stem = f"{_slug(campaign.name)}-{datetime.now(UTC):%Y%m%d}"
    table, images = _csv(
        assets.campaign_assets(conn, user_id=user_id, campaign_id=campaign_id, page_size=_PAGE)
    )
    if fmt == "csv":
        return ExportFile(table, "text/csv; charset=utf-8", f"{stem}.csv")
    return ExportFile(_zip(table, images), "application/zip", f"{stem}.zip")


def image_file_name(asset: Asset) -> str | None:
    """Where an image asset's current picture sits inside the ZIP."""
    if asset.kind != "image" or not asset.storage_path:
        return None
    return f"images/{_slug(asset.title)}-{str(asset.id)[:8]}-v{asset.current_version}.png"


def _csv(assets: Iterator[Asset]) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The CSV, and (zip name, storage path, asset id) of each image it lists."""
    images: list[tuple[str, str, str]] = []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for asset in assets:
        name = image_file_name(asset)
        if name is not None and asset.storage_path:
            images.append((name, asset.storage_path, str(asset.id)))
        channel = (asset.metadata or {}).get("channel")
        writer.writerow(
            [
                _cell(asset.title),
                channel if isinstance(channel, str) else "",
                asset.kind,
                _cell(asset.content or ""),
                url_for(asset.storage_path) or "",
                asset.current_version,
                asset.updated_at.isoformat(),
                str(asset.id),
                asset.asset_type or "",
                name or "",
            ]
        )
        _check_size(out.tell(), "csv")  # characters: at most a quarter of the bytes
    # A byte-order mark: Excel then reads the file as UTF-8 (accents, emoji, €).
    table = "\ufeff".encode() + out.getvalue().encode()
    _check_size(len(table), "csv")
    return table, images


def _zip(table: bytes, images: list[tuple[str, str, str]]) -> bytes:
    buffer = io.BytesIO()
    storage = get_storage()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("assets.csv", table, compress_type=zipfile.ZIP_DEFLATED)
        _check_size(buffer.tell(), "zip")
        for name, path, asset_id in images:
            try:
                picture = storage.get(path)
            except FileNotFoundError:
                logger.warning("image missing from storage", extra={"asset_id": asset_id})
                continue
            _check_size(buffer.tell() + len(picture), "zip")
            # PNGs are compressed already: stored as they are.
            archive.writestr(name, picture, compress_type=zipfile.ZIP_STORED)
    _check_size(buffer.tell(), "zip")
    return buffer.getvalue()


def _check_size(size: int, fmt: str) -> None:
    if size > MAX_EXPORT_BYTES:
        raise ExportTooLarge(
            f"This campaign's {fmt.upper()} export is over {MAX_EXPORT_BYTES // (1024 * 1024)} MB, "
            "more than one answer can carry. Export it as CSV (the images stay reachable through "
            "their image_url), or move some assets to another campaign.",
            limit_bytes=MAX_EXPORT_BYTES,
        )


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never run as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "campaign"
