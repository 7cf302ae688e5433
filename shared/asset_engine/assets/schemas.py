"""Request and response models of the assets function."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from asset_engine.assets.asset_versions import AssetVersion
from asset_engine.assets.assets import Asset
from asset_engine.schemas import JsonObject, StrictModel, Text
from asset_engine.storage import url_for

AssetKind = Literal["text", "image"]
AssetStatus = Literal["ready", "pending", "failed"]
VersionSource = Literal["manual", "ai_generate", "ai_refine", "ai_regenerate"]
MAX_CONTENT = 100_000


class AssetCreate(StrictModel):
    kind: AssetKind
    title: Text = Field(min_length=1, max_length=200)
    content: Text | None = Field(default=None, max_length=MAX_CONTENT)
    campaign_id: uuid.UUID | None = None
    metadata: JsonObject | None = None


class AssetUpdate(StrictModel):
    content: Text | None = Field(default=None, max_length=MAX_CONTENT)
    title: Text | None = Field(default=None, min_length=1, max_length=200)
    metadata: JsonObject | None = None

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
    def of(cls, asset: Asset) -> AssetPublic:
        return cls.model_validate(
            {**dataclasses.asdict(asset), "storage_url": url_for(asset.storage_path)}
        )


class AssetVersionPublic(BaseModel):
    version: int
    title: str | None
    content: str | None
    storage_url: str | None
    source: VersionSource
    created_at: datetime

    @classmethod
    def of(cls, version: AssetVersion) -> AssetVersionPublic:
        return cls.model_validate(
            {**dataclasses.asdict(version), "storage_url": url_for(version.storage_path)}
        )


class VersionHistory(BaseModel):
    items: list[AssetVersionPublic] = Field(description="Every version, newest first.")
    current_version: int
