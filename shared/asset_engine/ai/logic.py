"""The AI text paths: what each one charges, asks the provider, and writes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

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
    campaign = campaigns.get_campaign(conn, user_id=user_id, campaign_id=campaign_id)
    return CampaignContext.from_row(campaign.model_dump())


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
    request = PaidRequest(
        user_id=user_id,
        route="POST /api/v1/ai/generate-text",
        body=_request_body(body),
        price=get_settings().price_text * body.variants,
        usage_kind="text_generation",
        idempotency_key=idempotency_key,
    )
    # What regenerate needs to write this asset again, kept with the asset.
    generation = {
        "prompt": body.prompt,
        "asset_type": body.asset_type,
        "tone": body.tone,
        "channel": body.channel,
        "request_id": str(request.request_id),
    }

    def write(
        conn: Connection, outcome: Outcome[TextResult], charge: Charge
    ) -> tuple[int, dict[str, Any]]:
        # Every variant in one statement (one round trip), the campaign's ownership checked
        # once, in it.
        created = assets.create_assets(
            conn,
            user_id=user_id,
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

    return run_paid_request(
        request,
        call_provider=lambda: _outcome(
            write_copy(get_text_provider(), brief, body.variants),
            asset_type=body.asset_type,
            variants=body.variants,
            channel=body.channel,
        ),
        write=write,
    )


def suggest(*, user_id: uuid.UUID, body: SuggestionsRequest, idempotency_key: str | None) -> Answer:
    with db.checkout() as conn:
        campaign = _campaign_context(conn, user_id=user_id, campaign_id=body.campaign_id)
    # Headlines and calls to action are copy with a channel limit; hashtags and angles are not.
    limit = limit_for(body.channel, "headline") if body.kind in ("headline", "cta") else None
    brief = SuggestionBrief(kind=body.kind, context=body.context, campaign=campaign, limit=limit)
    request = PaidRequest(
        user_id=user_id,
        route="POST /api/v1/ai/suggestions",
        body=_request_body(body),
        price=get_settings().price_suggestions,
        usage_kind="suggestions",
        idempotency_key=idempotency_key,
    )

    def write(
        conn: Connection, outcome: Outcome[TextResult], charge: Charge
    ) -> tuple[int, dict[str, Any]]:
        answer = SuggestionsResponse(
            suggestions=[text.content for text in outcome.result.texts],
            credits_charged=charge.credits_charged,
            balance=charge.balance,
            provider=outcome.result.provider,
            channel=body.channel,
            limit=limit.chars if limit else None,
        )
        return 200, answer.model_dump(mode="json")

    return run_paid_request(
        request,
        call_provider=lambda: _outcome(
            write_suggestions(get_text_provider(), brief, body.count),
            kind=body.kind,
            count=body.count,
            channel=body.channel,
        ),
        write=write,
    )


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


def _rewrite(
    *,
    asset: AssetPublic,
    request: PaidRequest,
    source: str,
    limit: ChannelLimit | None,
    call: Callable[[], Outcome[TextResult]],
) -> Answer:
    """Charge, ask the provider, and append its text as the asset's new version (its metadata
    saying how the new copy fits the asset's channel)."""
    channel = _asset_channel(asset)

    def write(
        conn: Connection, outcome: Outcome[TextResult], charge: Charge
    ) -> tuple[int, dict[str, Any]]:
        content = outcome.result.texts[0].content
        # Based on the version read before the call: an edit in between answers 409 (refunded).
        updated = assets.append_version(
            conn,
            user_id=request.user_id,
            asset_id=asset.id,
            source=source,
            content=content,
            metadata={**asset.metadata, **_fit(channel, limit, content)},
            expected_version=asset.current_version,
        )
        return 200, _with_charge(updated, charge, outcome.result.provider)

    return run_paid_request(request, call_provider=call, write=write)


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
    request = PaidRequest(
        user_id=user_id,
        route="POST /api/v1/ai/refine",
        body=body.model_dump(mode="json"),
        price=get_settings().price_refine,
        usage_kind="refine",
        idempotency_key=idempotency_key,
    )
    return _rewrite(
        asset=asset,
        request=request,
        source="ai_refine",
        limit=limit,
        call=lambda: _outcome(
            write_refinement(get_text_provider(), brief),
            asset_id=str(asset.id),
            instruction=body.instruction,
        ),
    )


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
    request = PaidRequest(
        user_id=user_id,
        route="POST /api/v1/ai/regenerate",
        body=body.model_dump(mode="json"),
        price=get_settings().price_text,
        usage_kind="regenerate",
        idempotency_key=idempotency_key,
    )
    return _rewrite(
        asset=asset,
        request=request,
        source="ai_regenerate",
        limit=limit,
        call=lambda: _outcome(write_copy(get_text_provider(), brief, 1), asset_id=str(asset.id)),
    )


def _with_charge(asset: AssetPublic, charge: Charge, provider: TextProviderName) -> dict[str, Any]:
    """API.md's `Asset`, plus what the call cost (added fields, nothing renamed)."""
    answer = AiAssetResponse(
        **asset.model_dump(),
        credits_charged=charge.credits_charged,
        balance=charge.balance,
        provider=provider,
    )
    return answer.model_dump(mode="json")
