"""Request and response models of the AI function."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from asset_engine.assets.schemas import AssetPublic
from asset_engine.channels import AssetType, ChannelId
from asset_engine.providers.text import TextProviderName
from asset_engine.schemas import Int32, StrictModel, Text

__all__ = ["AssetType"]
SuggestionKind = Literal["headline", "cta", "hashtags", "angles"]
ProviderName = TextProviderName


class GenerateTextRequest(StrictModel):
    prompt: Text = Field(min_length=1, max_length=4000, description="What the copy is about.")
    asset_type: AssetType
    campaign_id: uuid.UUID | None = Field(
        default=None,
        description="A campaign of yours: its objective, audience and voice shape the copy.",
    )
    tone: Text | None = Field(default=None, max_length=100, examples=["playful", "confident"])
    variants: Int32 = Field(default=1, ge=1, le=5, description="How many alternatives to write.")
    channel: ChannelId | None = Field(
        default=None,
        description="Where the copy runs (GET /api/v1/channels): its limit binds the copy, and "
        "is kept with each asset for refine and regenerate.",
    )


class GenerateTextResponse(BaseModel):
    assets: list[AssetPublic] = Field(
        description="Each asset's metadata holds channel, length, limit and limit_field when a "
        "channel limit binds it."
    )
    credits_charged: int
    balance: int
    provider: ProviderName
    channel: str | None = None
    limit: int | None = Field(default=None, description="The limit every asset's copy is within.")


class SuggestionsRequest(StrictModel):
    campaign_id: uuid.UUID | None = None
    context: Text | None = Field(default=None, max_length=4000)
    kind: SuggestionKind
    count: Int32 = Field(default=5, ge=1, le=10)
    channel: ChannelId | None = Field(
        default=None, description="Headlines and calls to action fit this channel's limit."
    )


class SuggestionsResponse(BaseModel):
    suggestions: list[str]
    credits_charged: int
    balance: int
    provider: ProviderName
    channel: str | None = None
    limit: int | None = None


class RefineRequest(StrictModel):
    asset_id: uuid.UUID
    instruction: Text = Field(
        min_length=1, max_length=2000, examples=["Make it shorter and more urgent"]
    )


class RegenerateRequest(StrictModel):
    asset_id: uuid.UUID


class AiAssetResponse(AssetPublic):
    """API.md's `Asset` at its new version, plus what the call cost."""

    credits_charged: int
    balance: int
    provider: ProviderName
