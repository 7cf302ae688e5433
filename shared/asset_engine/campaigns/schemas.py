"""Request and response models of the campaigns function."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from asset_engine.campaigns.campaigns import Campaign
from asset_engine.channels import CHANNEL_IDS, ChannelId
from asset_engine.schemas import StrictModel, Text

CampaignStatus = Literal["draft", "active", "paused", "completed", "archived"]

# Where a campaign's assets run; the AI tailors copy to these. The ids and their limits are
# asset_engine.channels' one table.
Channel = ChannelId
CHANNELS: tuple[str, ...] = CHANNEL_IDS


def _require_dates_in_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValueError("end_date must be on or after start_date")


class CampaignCreate(StrictModel):
    name: Text = Field(min_length=1, max_length=200)
    objective: Text | None = Field(default=None, max_length=2000)
    audience: Text | None = Field(default=None, max_length=2000)
    channels: list[Channel] = Field(default_factory=list, max_length=len(CHANNELS))
    brand_voice: Text | None = Field(default=None, max_length=2000)
    start_date: date | None = None
    end_date: date | None = None

    @field_validator("channels")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a channel is listed twice")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> CampaignCreate:
        _require_dates_in_order(self.start_date, self.end_date)
        return self


class CampaignUpdate(StrictModel):
    """A campaign's details to change; a field left out keeps its value, an optional one sent
    as null is cleared. The status moves only through its own route."""

    name: Text | None = Field(default=None, min_length=1, max_length=200)
    objective: Text | None = Field(default=None, max_length=2000)
    audience: Text | None = Field(default=None, max_length=2000)
    channels: list[Channel] | None = Field(default=None, max_length=len(CHANNELS))
    brand_voice: Text | None = Field(default=None, max_length=2000)
    start_date: date | None = None
    end_date: date | None = None

    @field_validator("channels")
    @classmethod
    def _no_repeats(cls, value: list[str] | None) -> list[str] | None:
        return CampaignCreate._no_repeats(value) if value is not None else None

    @model_validator(mode="after")
    def _required_stay_set(self) -> CampaignUpdate:
        for field in ("name", "channels"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        _require_dates_in_order(self.start_date, self.end_date)  # both sent; logic checks the rest
        return self


class StatusChange(StrictModel):
    status: CampaignStatus


class CampaignPublic(BaseModel):
    id: uuid.UUID
    name: str
    objective: str | None
    audience: str | None
    channels: list[str]
    brand_voice: str | None
    status: CampaignStatus
    start_date: date | None
    end_date: date | None
    asset_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignPublic:
        return cls.model_validate(campaign, from_attributes=True)


class AssetLimit(BaseModel):
    field: str = Field(description="The channel's field whose limit binds this asset type.")
    limit: int = Field(description="At most this many characters (Unicode code points).")
    measure: Literal["content", "subject_line"] = Field(
        description="content: the whole copy counts; subject_line: only an email's first line, "
        "after 'Subject: '."
    )


class ChannelPublic(BaseModel):
    """A channel and its length limits: the one table the AI paths and the editor use."""

    id: str
    label: str
    limits: dict[str, int] = Field(description="Each field's limit in characters.")
    asset_limits: dict[str, AssetLimit] = Field(
        description="Per asset type, the limit its copy is written to; a type not listed has none."
    )
    segments: dict[str, dict[str, int]] | None = Field(
        default=None,
        description="SMS only: characters per message for GSM-7 and UCS-2 text, single and "
        "multipart.",
    )
