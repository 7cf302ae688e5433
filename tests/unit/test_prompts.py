"""Prompts carry the campaign, the asset type's guidance, the tone, and the JSON shape asked for."""

from __future__ import annotations

from asset_engine.prompts import (
    ASSET_GUIDANCE,
    CampaignContext,
    CopyBrief,
    RefineBrief,
    SuggestionBrief,
    copy_messages,
    refine_messages,
    suggestion_messages,
)

CAMPAIGN = CampaignContext.from_row(
    {
        "name": "Winter sale",
        "objective": "Clear last season's stock",
        "audience": "returning customers",
        "channels": ["email", "instagram"],
        "brand_voice": "Warm and direct",
    }
)


def test_copy_prompt_has_everything_the_writer_needs() -> None:
    system, user = copy_messages(CopyBrief("Coats at 40% off", "email", "urgent", CAMPAIGN), 3)
    assert system["role"] == "system"
    text = user["content"]
    for expected in (
        "3 distinct variant",
        ASSET_GUIDANCE["email"],
        "returning customers",
        "Warm and direct",
        "email, instagram",
        "Clear last season's stock",
        "Tone: urgent",
        "Coats at 40% off",
        '"variants"',
        "json",
    ):
        assert expected in text, expected


def test_a_fresh_take_says_so() -> None:
    first = copy_messages(CopyBrief("Coats", "headline"), 1)[1]["content"]
    again = copy_messages(CopyBrief("Coats", "headline", variation=2), 1)[1]["content"]
    assert "fresh take" not in first
    assert "fresh take number 3" in again


def test_suggestion_prompt_names_kind_count_and_shape() -> None:
    text = suggestion_messages(SuggestionBrief("hashtags", "ski trips", CAMPAIGN), 6)[1]["content"]
    assert "Suggest 6 distinct hashtags" in text
    assert "ski trips" in text and '"suggestions"' in text and "json" in text


def test_refine_prompt_carries_the_copy_and_instruction() -> None:
    text = refine_messages(RefineBrief("Old copy here", "Make it punchier", "tagline", None))[1][
        "content"
    ]
    assert "Old copy here" in text and "Make it punchier" in text
    assert ASSET_GUIDANCE["tagline"] in text
    assert "json" not in text


def test_a_missing_campaign_is_none() -> None:
    assert CampaignContext.from_row(None) is None
