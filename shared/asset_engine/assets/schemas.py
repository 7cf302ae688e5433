"""Request and response models of the assets function."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from asset_engine.schemas import StrictModel
from asset_engine.storage_urls import public_url

AssetKind = Literal["text", "image"]
AssetStatus = Literal["ready", "pending", "failed"]
VersionSource = Literal["manual", "ai_generate", "ai_refine", "ai_regenerate"]
MAX_CONTENT = 100_000
MAX_METADATA_BYTES = 16 * 1024


def _small_object(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None and len(json.dumps(value)) > MAX_METADATA_BYTES:
        raise ValueError(f"metadata is over {MAX_METADATA_BYTES // 1024} KB")
    return value


class AssetCreate(StrictModel):
    kind: AssetKind
    title: str = Field(min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=MAX_CONTENT)
    campaign_id: uuid.UUID | None = None
    metadata: dict[str, Any] | None = None

    _metadata_size = field_validator("metadata")(_small_object)


class AssetUpdate(StrictModel):
    content: str | None = Field(default=None, max_length=MAX_CONTENT)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    metadata: dict[str, Any] | None = None

    _metadata_size = field_validator("metadata")(_small_object)

    @model_validator(mode="after")
    def _something_to_change(self) -> AssetUpdate:
        if self.content is None and self.title is None and self.metadata is None:
            raise ValueError("send at least one of content, title, metadata")
        return self


class AssetPublic(BaseModel):
    """An asset as its current version shows it."""

    id: uuid.UUID
    kind: AssetKind
    asset_type: str | None = None
    title: str
    campaign_id: uuid.UUID | None
    current_version: int
    latest_version: int
    content: str | None
    storage_url: str | None
    metadata: dict[str, Any]
    status: AssetStatus
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> AssetPublic:
        return cls.model_validate({**row, "storage_url": public_url(row.get("storage_path"))})


class AssetVersionPublic(BaseModel):
    version: int
    title: str | None
    content: str | None
    storage_url: str | None
    source: VersionSource
    created_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> AssetVersionPublic:
        return cls.model_validate({**row, "storage_url": public_url(row.get("storage_path"))})


class VersionHistory(BaseModel):
    items: list[AssetVersionPublic] = Field(description="Every version, newest first.")
    current_version: int
