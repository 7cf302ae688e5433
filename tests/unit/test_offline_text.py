"""The offline writer: deterministic, varied across variants, shaped per asset type."""

from __future__ import annotations

from typing import Any

import pytest

from asset_engine.prompts import CampaignContext, CopyBrief, RefineBrief, SuggestionBrief
from asset_engine.providers.offline_text import OfflineTextProvider

WRITER = OfflineTextProvider()
CAMPAIGN = CampaignContext(
    audience="busy parents", objective="Grow app installs", brand_voice="Kind"
)


def _texts(asset_type: str, variants: int = 3, **kwargs: Any) -> list[str]:
    brief = CopyBrief(
        "Launch of our meal planning app for families", asset_type, campaign=CAMPAIGN, **kwargs
    )
    result = WRITER.generate_copy(brief, variants)
    assert result.provider == "mock"
    assert len(result.texts) == variants
    return [t.content for t in result.texts]


def test_the_same_brief_gives_the_same_copy_and_variants_differ() -> None:
    assert _texts("ad_copy") == _texts("ad_copy")
    assert len(set(_texts("ad_copy", 5))) == 5


def test_a_fresh_take_differs_from_the_first_draft() -> None:
    assert _texts("headline", 1) != _texts("headline", 1, variation=1)


def test_each_asset_type_keeps_its_shape() -> None:
    for headline in _texts("headline"):
        assert len(headline.split()) <= 12
    for tagline in _texts("tagline"):
        assert len(tagline.split()) <= 8
    for email in _texts("email"):
        assert email.startswith("Subject: ")
    for ad in _texts("ad_copy"):
        assert len(ad.splitlines()) == 3  # headline, body, call to action
    for page in _texts("landing_page"):
        assert sum(line.startswith("- ") for line in page.splitlines()) == 3
    for post in _texts("social_post"):
        tags = [w for w in post.split() if w.startswith("#")]
        assert 2 <= len(tags) <= 4


def test_copy_uses_the_brief_and_the_campaign() -> None:
    text = "\n".join(_texts("ad_copy"))
    assert "meal planning app" in text.lower()
    assert "busy parents" in text


@pytest.mark.parametrize("kind", ["headline", "cta", "hashtags", "angles"])
@pytest.mark.parametrize("count", [1, 5, 10])
def test_suggestions_are_distinct_and_of_their_kind(kind: str, count: int) -> None:
    result = WRITER.suggest(SuggestionBrief(kind, "meal planning app", CAMPAIGN), count)
    found = [t.content for t in result.texts]
    assert len(set(found)) == len(found) == count
    if kind == "hashtags":
        assert all(s.startswith("#") and " " not in s for s in found)
    if kind == "cta":
        assert all(len(s.split()) <= 5 for s in found)


@pytest.mark.parametrize(
    "instruction",
    ["Make it shorter", "More formal please", "Add emoji", "Make it urgent", "Mention Berlin"],
)
def test_refine_always_changes_the_text(instruction: str) -> None:
    original = (
        "Hi there! Plan a week of dinners in five minutes. Your family will thank you. Try it now."
    )
    refined = WRITER.refine(RefineBrief(original, instruction)).texts[0].content
    assert refined and refined != original


def test_shorter_keeps_whole_sentences_and_clauses() -> None:
    def shorter(text: str) -> str:
        return WRITER.refine(RefineBrief(text, "Make it shorter")).texts[0].content

    assert shorter("Hi there! Plan dinners in minutes. Your family will thank you. Try it.") == (
        "Hi there! Plan dinners in minutes."
    )
    assert shorter("Meet Trailblazer: light, and it pays for itself in the first month") == (
        "Meet Trailblazer: light."
    )
    assert shorter("Subject: Hello\n\nHi there,\n\nIt saves hours.\n\nTry it.").startswith(
        "Subject: Hello\n\nHi there,\n\nIt saves hours."
    )
