"""Request and response models of the billing function."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from asset_engine.billing.credits import LedgerRow
from asset_engine.schemas import Int32, StrictModel, Text


class LedgerEntry(BaseModel):
    id: uuid.UUID
    delta: int = Field(description="Negative for spend.")
    balance_after: int
    reason: str
    ref_type: str | None
    ref_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: LedgerRow) -> LedgerEntry:
        return cls.model_validate(row, from_attributes=True)


class BalancePublic(BaseModel):
    balance: int
    owed: int | None = Field(
        default=None,
        description="Only while above 0: credits a refunded purchase could not take back "
        "(already spent). Nothing can be spent meanwhile; the next purchase settles them first.",
    )


# Reasons the system writes on its own rows (`ai_*` for AI charges, `user:*` for deductions):
# an admin's grant may not pose as one of them.
SYSTEM_REASONS = frozenset({"refund", "signup_grant", "purchase", "purchase_refund", "admin_grant"})
SYSTEM_REASON_PREFIXES = ("ai_", "user:")


def _not_a_system_reason(reason: str) -> str:
    if reason in SYSTEM_REASONS or reason.startswith(SYSTEM_REASON_PREFIXES):
        raise ValueError(f"'{reason}' is a reason only the system writes")
    return reason


class CreditsAdd(StrictModel):
    amount: Int32 = Field(ge=1, le=1_000_000)
    reason: Annotated[Text, AfterValidator(_not_a_system_reason)] = Field(
        min_length=1, max_length=200
    )
    user_id: uuid.UUID | None = Field(default=None, description="Defaults to the caller.")


class CreditsDeduct(StrictModel):
    amount: Int32 = Field(ge=1, le=1_000_000)
    reason: Text = Field(
        min_length=1,
        max_length=200,
        description="Your own words; the ledger keeps them as `user:<reason>`, apart from the "
        "reasons the system writes (`refund`, `signup_grant`, ...).",
    )


class BalanceChange(BaseModel):
    balance: int
    entry: LedgerEntry


class UsageDay(BaseModel):
    date: date
    credits_spent: int
    text_generations: int
    image_generations: int
    credits_purchased: int | None = Field(
        default=None, description="Credits bought that day (packs); absent on days without."
    )


class UsageTotals(BaseModel):
    credits_spent: int
    text_generations: int
    image_generations: int
    credits_purchased: int | None = Field(
        default=None, description="Credits bought (packs); absent when none were."
    )


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


class PackPublic(BaseModel):
    """A pack of credits on sale (the `CREDIT_PACKS` setting)."""

    id: str
    credits: int
    price_cents: int = Field(description="What the pack costs, in the currency's minor unit.")
    currency: str = Field(description="ISO 4217, lower case (e.g. usd).")


def _a_pack_on_sale(pack_id: str) -> str:
    from asset_engine.billing import packs

    if packs.find(pack_id) is None:
        on_sale = ", ".join(p.id for p in packs.on_sale())
        raise ValueError(f"'{pack_id}' is not a pack on sale (on sale: {on_sale})")
    return pack_id


class CheckoutCreate(StrictModel):
    pack: Annotated[Text, AfterValidator(_a_pack_on_sale)] = Field(
        min_length=1, max_length=40, description="A pack's id from GET /api/v1/credits/packs."
    )


class CheckoutSession(BaseModel):
    session_id: str = Field(description="Stripe's Checkout Session id.")
    checkout_url: str = Field(description="Where to send the buyer to pay.")


class WebhookAnswer(BaseModel):
    received: bool
    replay: bool = Field(description="This event id was handled before; nothing changed now.")
    outcome: str = Field(description="What handling the event did (or why it did nothing).")
