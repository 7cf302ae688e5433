"""The AI text paths. Each route declares what it sells as data (a `Sale`: its path, usage
kind, price, provider call and writer, all plain functions of the route's order), and `_sell`
runs any of them through the one paid path (`run_paid_request`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from asset_engine import db
from asset_engine.ai.copywriting import (
    Written,
    write_copy,
    write_refinement,
    write_suggestions,
)
from asset_engine.ai.paid_requests import Answer, Charge, Outcome, PaidRequest, run_paid_request
from asset_engine.ai.schemas import (
    AiAssetResponse,
    GenerateTextRequest,
    GenerateTextResponse,
    RefineRequest,
    RegenerateRequest,
    SuggestionsRequest,
    SuggestionsResponse,
)
from asset_engine.assets import logic as assets
from asset_engine.assets.schemas import AssetPublic
from asset_engine.campaigns import logic as campaigns
from asset_engine.channels import CHANNELS, ChannelLimit, limit_for
from asset_engine.config import get_settings
from asset_engine.db import Connection
from asset_engine.errors import Conflict
from asset_engine.images import logic as images
from asset_engine.prompts import CampaignContext, CopyBrief, RefineBrief, SuggestionBrief
from asset_engine.providers.text import TextProviderName, TextResult, get_text_provider


def _campaign_context(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID | None
) -> CampaignContext | None:
    """The campaign that shapes the copy; another user's id is a 404 before anything is charged."""
    if campaign_id is None:
        return None
    campaign = campaigns.require_owned(conn, user_id=user_id, campaign_id=campaign_id)
    return CampaignContext(
        name=campaign.name,
        objective=campaign.objective,
        audience=campaign.audience,
        channels=tuple(campaign.channels),
        brand_voice=campaign.brand_voice,
    )


def _outcome(written: Written, **metadata: Any) -> Outcome[TextResult]:
    result = written.result
    return Outcome(
        result=result,
        provider=result.provider,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        metadata={"model": result.model, **metadata, **written.notes},
    )


def _fit(channel: str | None, limit: ChannelLimit | None, content: str) -> dict[str, Any]:
    """What an asset's metadata says about its copy: its length and, on a channel, the limit
    (null when the channel does not bound this asset type)."""
    if limit is not None:
        return limit.report(content)
    return {"channel": channel, "length": len(content), "limit": None} if channel else {}


def _request_body(body: Any) -> dict[str, Any]:
    """The body as the idempotency fingerprint sees it; an unset channel is left out, so keys
    stored before channels existed still match their replays."""
    dumped: dict[str, Any] = body.model_dump(mode="json")
    if dumped.get("channel") is None:
        dumped.pop("channel", None)
    return dumped


def _asset_channel(asset: AssetPublic) -> str | None:
    """The channel an asset was written for (a hand-set unknown one binds nothing)."""
    channel = asset.metadata.get("channel")
    return channel if isinstance(channel, str) and channel in CHANNELS else None


class Order(Protocol):
    """What one request to a paid route asks for, read and checked before it is charged."""

    @property
    def user_id(self) -> uuid.UUID: ...

    @property
    def request_id(self) -> uuid.UUID: ...

    def key_body(self) -> dict[str, Any]:
        """The body as the Idempotency-Key's fingerprint sees it."""
        ...


OrderT = TypeVar("OrderT", bound=Order)


@dataclass(frozen=True)
class Sale(Generic[OrderT]):
    """What a paid AI route sells: its path, the usage kind it records, its price, how the
    provider is asked, and how the result is written (inside the final transaction)."""

    route: str
    usage_kind: str
    price: Callable[[OrderT], int]
    call: Callable[[OrderT], Outcome[TextResult]]
    write: Callable[[OrderT, Connection, Outcome[TextResult], Charge], tuple[int, dict[str, Any]]]


def _sell(sale: Sale[OrderT], order: OrderT, *, idempotency_key: str | None) -> Answer:
    request = PaidRequest(
        user_id=order.user_id,
        route=sale.route,
        body=order.key_body(),
        price=sale.price(order),
        usage_kind=sale.usage_kind,
        idempotency_key=idempotency_key,
        request_id=order.request_id,
    )
    return run_paid_request(
        request, call_provider=partial(sale.call, order), write=partial(sale.write, order)
    )


# --- generate-text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCopy:
    user_id: uuid.UUID
    body: GenerateTextRequest
    brief: CopyBrief
    limit: ChannelLimit | None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def key_body(self) -> dict[str, Any]:
        return _request_body(self.body)


def _price_of_copy(order: NewCopy) -> int:
    return get_settings().price_text * order.body.variants


def _ask_for_copy(order: NewCopy) -> Outcome[TextResult]:
    body = order.body
    return _outcome(
        write_copy(get_text_provider(), order.brief, body.variants),
        asset_type=body.asset_type,
        variants=body.variants,
        channel=body.channel,
    )


def _write_new_assets(
    order: NewCopy, conn: Connection, outcome: Outcome[TextResult], charge: Charge
) -> tuple[int, dict[str, Any]]:
    body, limit = order.body, order.limit
    # What regenerate needs to write this asset again, kept with the asset.
    generation = {
        "prompt": body.prompt,
        "asset_type": body.asset_type,
        "tone": body.tone,
        "channel": body.channel,
        "request_id": str(order.request_id),
    }
    # Every variant in one statement (one round trip), the campaign's ownership checked
    # once, in it.
    created = assets.create_assets(
        conn,
        user_id=order.user_id,
        kind="text",
        campaign_id=body.campaign_id,
        asset_type=body.asset_type,
        source="ai_generate",
        drafts=[
            (
                text.title[:200] or body.asset_type.replace("_", " ").title(),
                text.content,
                None,
                {
                    **generation,
                    "provider": outcome.provider,
                    "variant": index + 1,
                    **_fit(body.channel, limit, text.content),
                },
            )
            for index, text in enumerate(outcome.result.texts)
        ],
    )
    answer = GenerateTextResponse(
        assets=created,
        credits_charged=charge.credits_charged,
        balance=charge.balance,
        provider=outcome.result.provider,
        channel=body.channel,
        limit=limit.chars if limit else None,
    )
    return 201, answer.model_dump(mode="json")


GENERATE_TEXT: Sale[NewCopy] = Sale(
    route="POST /api/v1/ai/generate-text",
    usage_kind="text_generation",
    price=_price_of_copy,
    call=_ask_for_copy,
    write=_write_new_assets,
)


def generate_text(
    *, user_id: uuid.UUID, body: GenerateTextRequest, idempotency_key: str | None
) -> Answer:
    with db.checkout() as conn:
        campaign = _campaign_context(conn, user_id=user_id, campaign_id=body.campaign_id)
    limit = limit_for(body.channel, body.asset_type)
    brief = CopyBrief(
        prompt=body.prompt,
        asset_type=body.asset_type,
        tone=body.tone,
        campaign=campaign,
        limit=limit,
    )
    order = NewCopy(user_id=user_id, body=body, brief=brief, limit=limit)
    return _sell(GENERATE_TEXT, order, idempotency_key=idempotency_key)


# --- suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestions:
    user_id: uuid.UUID
    body: SuggestionsRequest
    brief: SuggestionBrief
    limit: ChannelLimit | None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def key_body(self) -> dict[str, Any]:
        return _request_body(self.body)


def _price_of_suggestions(order: Suggestions) -> int:
    return get_settings().price_suggestions


def _ask_for_suggestions(order: Suggestions) -> Outcome[TextResult]:
    body = order.body
    return _outcome(
        write_suggestions(get_text_provider(), order.brief, body.count),
        kind=body.kind,
        count=body.count,
        channel=body.channel,
    )


def _write_suggestions(
    order: Suggestions, conn: Connection, outcome: Outcome[TextResult], charge: Charge
) -> tuple[int, dict[str, Any]]:
    answer = SuggestionsResponse(
        suggestions=[text.content for text in outcome.result.texts],
        credits_charged=charge.credits_charged,
        balance=charge.balance,
        provider=outcome.result.provider,
        channel=order.body.channel,
        limit=order.limit.chars if order.limit else None,
    )
    return 200, answer.model_dump(mode="json")


SUGGESTIONS: Sale[Suggestions] = Sale(
    route="POST /api/v1/ai/suggestions",
    usage_kind="suggestions",
    price=_price_of_suggestions,
    call=_ask_for_suggestions,
    write=_write_suggestions,
)


def suggest(*, user_id: uuid.UUID, body: SuggestionsRequest, idempotency_key: str | None) -> Answer:
    with db.checkout() as conn:
        campaign = _campaign_context(conn, user_id=user_id, campaign_id=body.campaign_id)
    # Headlines and calls to action are copy with a channel limit; hashtags and angles are not.
    limit = limit_for(body.channel, "headline") if body.kind in ("headline", "cta") else None
    brief = SuggestionBrief(kind=body.kind, context=body.context, campaign=campaign, limit=limit)
    order = Suggestions(user_id=user_id, body=body, brief=brief, limit=limit)
    return _sell(SUGGESTIONS, order, idempotency_key=idempotency_key)


# --- refine and regenerate: a new version of a text asset ------------------------------------


def _text_asset(
    conn: Connection, *, user_id: uuid.UUID, asset_id: uuid.UUID, refusal: str
) -> AssetPublic:
    """The text asset to rewrite; checked (404 / 409) before anything is charged."""
    asset = assets.get_asset(conn, user_id=user_id, asset_id=asset_id)
    if asset.kind != "text":
        raise Conflict(refusal)
    if asset.status == "pending":
        raise Conflict("This asset is still being generated.")
    return asset


@dataclass(frozen=True, kw_only=True)
class Rewrite:
    """A new version of a text asset, based on the version read before the call."""

    user_id: uuid.UUID
    asset: AssetPublic
    limit: ChannelLimit | None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: ClassVar[str]  # the new version's source


@dataclass(frozen=True, kw_only=True)
class Refinement(Rewrite):
    body: RefineRequest
    brief: RefineBrief
    source: ClassVar[str] = "ai_refine"

    def key_body(self) -> dict[str, Any]:
        return self.body.model_dump(mode="json")


@dataclass(frozen=True, kw_only=True)
class FreshTake(Rewrite):
    body: RegenerateRequest
    brief: CopyBrief
    source: ClassVar[str] = "ai_regenerate"

    def key_body(self) -> dict[str, Any]:
        return self.body.model_dump(mode="json")


def _write_new_version(
    order: Rewrite, conn: Connection, outcome: Outcome[TextResult], charge: Charge
) -> tuple[int, dict[str, Any]]:
    """Append the provider's text as the asset's new version, its metadata saying how the new
    copy fits the asset's channel."""
    asset = order.asset
    content = outcome.result.texts[0].content
    # Based on the version read before the call: an edit in between answers 409 (refunded).
    updated = assets.append_version(
        conn,
        user_id=order.user_id,
        asset_id=asset.id,
        source=order.source,
        content=content,
        metadata={**asset.metadata, **_fit(_asset_channel(asset), order.limit, content)},
        expected_version=asset.current_version,
    )
    return 200, _with_charge(updated, charge, outcome.result.provider)


def _price_of_refine(order: Refinement) -> int:
    return get_settings().price_refine


def _ask_for_refinement(order: Refinement) -> Outcome[TextResult]:
    return _outcome(
        write_refinement(get_text_provider(), order.brief),
        asset_id=str(order.asset.id),
        instruction=order.body.instruction,
    )


REFINE: Sale[Refinement] = Sale(
    route="POST /api/v1/ai/refine",
    usage_kind="refine",
    price=_price_of_refine,
    call=_ask_for_refinement,
    write=_write_new_version,
)


def _price_of_fresh_take(order: FreshTake) -> int:
    return get_settings().price_text  # a fresh take costs what one variant does


def _ask_for_fresh_take(order: FreshTake) -> Outcome[TextResult]:
    return _outcome(write_copy(get_text_provider(), order.brief, 1), asset_id=str(order.asset.id))


REGENERATE: Sale[FreshTake] = Sale(
    route="POST /api/v1/ai/regenerate",
    usage_kind="regenerate",
    price=_price_of_fresh_take,
    call=_ask_for_fresh_take,
    write=_write_new_version,
)


def refine(*, user_id: uuid.UUID, body: RefineRequest, idempotency_key: str | None) -> Answer:
    with db.checkout() as conn:
        asset = _text_asset(
            conn,
            user_id=user_id,
            asset_id=body.asset_id,
            refusal="Only text assets can be refined; regenerate an image instead.",
        )
        campaign = _campaign_context(conn, user_id=user_id, campaign_id=asset.campaign_id)
    limit = limit_for(_asset_channel(asset), asset.asset_type)
    brief = RefineBrief(
        original=asset.content or "",
        instruction=body.instruction,
        asset_type=asset.asset_type,
        campaign=campaign,
        limit=limit,
    )
    order = Refinement(user_id=user_id, asset=asset, limit=limit, body=body, brief=brief)
    return _sell(REFINE, order, idempotency_key=idempotency_key)


def regenerate(
    *,
    user_id: uuid.UUID,
    body: RegenerateRequest,
    idempotency_key: str | None,
    callback_base: str,
) -> Answer:
    """A fresh take on an asset: text at once (200), an image through a new job (202)."""
    with db.checkout() as conn:
        asset = assets.get_asset(conn, user_id=user_id, asset_id=body.asset_id)
        if asset.kind == "image":
            campaign = None
        else:
            asset = _text_asset(conn, user_id=user_id, asset_id=body.asset_id, refusal="")
            campaign = _campaign_context(conn, user_id=user_id, campaign_id=asset.campaign_id)
    if asset.kind == "image":
        return images.regenerate_image(
            user_id=user_id,
            asset=asset,
            idempotency_key=idempotency_key,
            callback_base=callback_base,
        )
    generation = asset.metadata
    # An asset written by hand has no prompt of its own: its title and text stand in for one.
    prompt = str(generation.get("prompt") or f"{asset.title}\n\n{asset.content or ''}")[:4000]
    tone = generation.get("tone")
    asset_type = str(generation.get("asset_type") or asset.asset_type or "ad_copy")
    limit = limit_for(_asset_channel(asset), asset_type)
    brief = CopyBrief(
        prompt=prompt,
        asset_type=asset_type,
        tone=str(tone) if tone else None,
        campaign=campaign,
        variation=asset.latest_version,  # a fresh take, not the first draft again
        limit=limit,
    )
    order = FreshTake(user_id=user_id, asset=asset, limit=limit, body=body, brief=brief)
    return _sell(REGENERATE, order, idempotency_key=idempotency_key)


def _with_charge(asset: AssetPublic, charge: Charge, provider: TextProviderName) -> dict[str, Any]:
    """API.md's `Asset`, plus what the call cost (added fields, nothing renamed)."""
    answer = AiAssetResponse(
        **asset.model_dump(),
        credits_charged=charge.credits_charged,
        balance=charge.balance,
        provider=provider,
    )
    return answer.model_dump(mode="json")
