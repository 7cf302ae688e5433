"""Every prompt the product sends, in one place: easy to read, easy to change.

Briefs carry what the marketer asked for and the campaign around it; the functions below turn
them into DeepSeek chat messages. Structured answers (variants, suggestions) are asked for as
a JSON object with its shape shown, as DeepSeek's JSON mode requires.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asset_engine.channels import ChannelLimit

Message = dict[str, str]

SYSTEM = (
    "You are a senior marketing copywriter. You write clear, specific, on-brand copy that a "
    "marketer can publish as is: no placeholders, no brackets, no commentary about the copy."
)

# What good copy of each asset type looks like.
ASSET_GUIDANCE = {
    "headline": "A headline of at most 12 words. Concrete benefit first; no clickbait.",
    "ad_copy": (
        "An ad: a headline line, one to three sentences of body copy, and a call to action on "
        "its own last line."
    ),
    "social_post": (
        "A social media post that fits the channel: a hook in the first line, one short "
        "paragraph, and 2 to 4 relevant hashtags at the end."
    ),
    "email": (
        "A marketing email: first line 'Subject: ...' (under 60 characters), then a greeting, "
        "two or three short paragraphs, a call to action, and a sign-off."
    ),
    "landing_page": (
        "Landing page copy: a hero headline, a subheading, three benefit bullets (each starting "
        "with '- '), and a call to action."
    ),
    "tagline": "A tagline of at most 8 words. Memorable, rhythmic, ownable.",
}

SUGGESTION_GUIDANCE = {
    "headline": "headlines of at most 12 words",
    "cta": "calls to action: short imperative phrases of 2 to 5 words",
    "hashtags": "hashtags: each a single token starting with '#', no spaces",
    "angles": "campaign angles: one sentence each, naming the insight and the promise",
}


@dataclass(frozen=True)
class CampaignContext:
    name: str | None = None
    objective: str | None = None
    audience: str | None = None
    channels: tuple[str, ...] = ()
    brand_voice: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | None) -> CampaignContext | None:
        if row is None:
            return None
        return cls(
            name=row.get("name"),
            objective=row.get("objective"),
            audience=row.get("audience"),
            channels=tuple(row.get("channels") or ()),
            brand_voice=row.get("brand_voice"),
        )

    def describe(self) -> str:
        lines = [
            f"Campaign: {self.name}" if self.name else "",
            f"Objective: {self.objective}" if self.objective else "",
            f"Audience: {self.audience}" if self.audience else "",
            f"Channels: {', '.join(self.channels)}" if self.channels else "",
            f"Brand voice: {self.brand_voice}" if self.brand_voice else "",
        ]
        return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class CopyBrief:
    prompt: str
    asset_type: str
    tone: str | None = None
    campaign: CampaignContext | None = None
    # 0 for a first draft; n for the n-th fresh take on the same brief (regenerate).
    variation: int = 0
    # The channel's limit on this copy, when it has one.
    limit: ChannelLimit | None = None
    # Copy already written for this request: the new variants must differ from it.
    avoid: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuggestionBrief:
    kind: str
    context: str | None = None
    campaign: CampaignContext | None = None
    limit: ChannelLimit | None = None


@dataclass(frozen=True)
class RefineBrief:
    original: str
    instruction: str
    asset_type: str | None = None
    campaign: CampaignContext | None = None
    limit: ChannelLimit | None = None


@dataclass(frozen=True)
class ShortenBrief:
    """Copy that came back over its channel's limit, to be rewritten within it."""

    texts: tuple[str, ...]
    limit: ChannelLimit
    asset_type: str | None = None


# Angles that make variants of one request differ in substance, not in a word or two.
ANGLES = (
    "the main benefit",
    "the offer or the number in the brief",
    "urgency",
    "social proof",
    "a question to the reader",
)


def _limit_block(limit: ChannelLimit | None) -> str:
    if limit is None:
        return ""
    plain = " Plain text only: no emoji, no curly quotes." if limit.channel == "sms" else ""
    return limit.describe() + plain


def _context_block(campaign: CampaignContext | None, tone: str | None) -> str:
    parts = [campaign.describe() if campaign else "", f"Tone: {tone}" if tone else ""]
    return "\n".join(part for part in parts if part)


def copy_messages(brief: CopyBrief, variants: int) -> list[Message]:
    example = {"variants": [{"title": "short internal name", "content": "the copy"}]}
    user = "\n\n".join(
        part
        for part in [
            f"Write {variants} distinct variant(s) of {brief.asset_type.replace('_', ' ')} copy.",
            ASSET_GUIDANCE.get(brief.asset_type, ""),
            _limit_block(brief.limit),
            (
                "Every variant takes a different angle (for example "
                + "; ".join(ANGLES[:variants])
                + ") and opens with different words: no two variants may be the same or "
                "differ only in a word or two."
                if variants > 1
                else ""
            ),
            _context_block(brief.campaign, brief.tone),
            f"Brief: {brief.prompt}",
            (
                "Already written for this brief; each new variant must differ from all of "
                "these:\n" + "\n".join(f"- {text}" for text in brief.avoid)
                if brief.avoid
                else ""
            ),
            (
                f"This is fresh take number {brief.variation + 1}: do not repeat earlier drafts."
                if brief.variation
                else ""
            ),
            "Answer in json only, exactly in this shape, with "
            f"{variants} item(s) in 'variants':\n{json.dumps(example)}",
        ]
        if part
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def suggestion_messages(brief: SuggestionBrief, count: int) -> list[Message]:
    example = {"suggestions": ["first", "second"]}
    user = "\n\n".join(
        part
        for part in [
            f"Suggest {count} distinct {SUGGESTION_GUIDANCE[brief.kind]}.",
            _limit_block(brief.limit).replace("the whole copy", "each suggestion"),
            _context_block(brief.campaign, None),
            f"Context: {brief.context}" if brief.context else "",
            f"Answer in json only, exactly in this shape, with {count} strings:\n"
            f"{json.dumps(example)}",
        ]
        if part
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def refine_messages(brief: RefineBrief) -> list[Message]:
    user = "\n\n".join(
        part
        for part in [
            "Rewrite the copy below following the instruction. Keep what the instruction does "
            "not ask to change. Answer with the rewritten copy only.",
            ASSET_GUIDANCE.get(brief.asset_type or "", ""),
            _limit_block(brief.limit),
            _context_block(brief.campaign, None),
            f"Instruction: {brief.instruction}",
            f"Copy:\n{brief.original}",
        ]
        if part
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def shorten_messages(brief: ShortenBrief) -> list[Message]:
    """The one rewrite of copy that came back over its limit (no extra charge)."""
    count = len(brief.texts)
    example = {"texts": ["the first copy, shortened"]}
    kind = (brief.asset_type or "marketing").replace("_", " ")
    user = "\n\n".join(
        part
        for part in [
            f"Rewrite these {count} texts of {kind} copy so that each fits its limit. Keep the "
            "message, the offer, every number and the call to action; drop words, not meaning. "
            "Never end mid-sentence.",
            _limit_block(brief.limit),
            "\n\n".join(
                f"Text {index + 1} ({brief.limit.length(text)} characters):\n{text}"
                for index, text in enumerate(brief.texts)
            ),
            f"Answer in json only, exactly in this shape, with {count} texts in 'texts', in "
            f"the same order:\n{json.dumps(example)}",
        ]
        if part
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def repair_message(error: str) -> Message:
    """The follow-up when a JSON answer did not parse or did not have the asked-for shape."""
    return {
        "role": "user",
        "content": f"That answer was not usable: {error}. Reply again with valid json only, "
        "in exactly the shape asked for.",
    }
