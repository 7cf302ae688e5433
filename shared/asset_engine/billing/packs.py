"""The packs of credits on sale: the `CREDIT_PACKS` setting, each mapped to a Stripe Price in
the cloud."""

from __future__ import annotations

from asset_engine.config import CreditPack, get_settings


def on_sale() -> list[CreditPack]:
    return list(get_settings().credit_packs)


def find(pack_id: str) -> CreditPack | None:
    return next((pack for pack in on_sale() if pack.id == pack_id), None)
