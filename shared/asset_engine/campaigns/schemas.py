"""Request and response models of the campaigns function."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, field_validator, model_validator

from asset_engine.schemas import StrictModel, Text

CampaignStatus = Literal["draft", "active", "paused", "completed", "archived"]

# Where a campaign's assets run; the AI tailors copy to these.
Channel = Literal[
    "email",
    "web",
    "blog",
    "landing_page",
    "search_ads",
    "display_ads",
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "tiktok",
    "youtube",
    "pinterest",
    "sms",
    "push",
    "print",
    "out_of_home",
    "podcast",
]
CHANNELS: tuple[str, ...] = get_args(Channel)


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
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date must be on or after start_date")
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
    def of(cls, row: dict[str, Any]) -> CampaignPublic:
        return cls.model_validate(row)
