"""Request and response models of the billing function."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from asset_engine.schemas import StrictModel


class LedgerEntry(BaseModel):
    id: uuid.UUID
    delta: int = Field(description="Negative for spend.")
    balance_after: int
    reason: str
    ref_type: str | None
    ref_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> LedgerEntry:
        return cls.model_validate(row)


class BalancePublic(BaseModel):
    balance: int


class CreditsAdd(StrictModel):
    amount: int = Field(ge=1, le=1_000_000)
    reason: str = Field(min_length=1, max_length=200)
    user_id: uuid.UUID | None = Field(default=None, description="Defaults to the caller.")


class CreditsDeduct(StrictModel):
    amount: int = Field(ge=1, le=1_000_000)
    reason: str = Field(min_length=1, max_length=200)


class BalanceChange(BaseModel):
    balance: int
    entry: LedgerEntry


class UsageDay(BaseModel):
    date: date
    credits_spent: int
    text_generations: int
    image_generations: int


class UsageTotals(BaseModel):
    credits_spent: int
    text_generations: int
    image_generations: int


class UsageSummary(BaseModel):
    days: list[UsageDay] = Field(description="One entry per UTC day, oldest first.")
    totals: UsageTotals


class Prices(BaseModel):
    """What each AI call costs, in credits (the `PRICE_*` settings), so clients show real costs."""

    text: int = Field(description="generate-text, per variant")
    suggestions: int
    refine: int
    regenerate: int = Field(description="regenerating a text asset")
    image: int = Field(description="generate-image, and regenerating an image asset")
