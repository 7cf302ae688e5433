"""The offline writer: deterministic marketing copy with no network and no key.

Same brief, same copy; different variants, different copy. Each asset type keeps its real
shape (an email has a subject line, an ad ends on a call to action, …) so the product behaves
as it will with DeepSeek. Reported as provider "mock".
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re

from asset_engine.ai.prompts import CampaignContext, CopyBrief, RefineBrief, SuggestionBrief
from asset_engine.providers.text import GeneratedText, TextResult

# Words that carry no subject: "Write a headline for the launch of our app" is about the app.
_NOT_SUBJECT = """
a an the and or for to of in on with our your my we you is are be it this that about write
make create copy some new please launch launching promote promoting announce announcing
introduce introducing sell advertise headline headlines tagline email post ad ads landing page
social
"""
_STOPWORDS = frozenset(_NOT_SUBJECT.split())
_OPENERS = ["Meet", "Discover", "Say hello to", "Introducing", "Get to know", "Unlock"]
_BENEFITS = [
    "saves you hours every week",
    "turns first-time visitors into fans",
    "makes the hard part effortless",
    "gives you results you can measure",
    "fits the way you already work",
    "pays for itself in the first month",
]
_CTAS = ["Start free today", "Try it now", "Book a demo", "Get started", "See it in action",
         "Claim your offer", "Join the waitlist"]  # fmt: skip
_TONE_WORDS = {
    "playful": ["seriously fun", "delightfully simple", "no-sweat"],
    "confident": ["proven", "unmatched", "category-leading"],
    "urgent": ["today", "before it's gone", "right now"],
    "formal": ["reliable", "professional", "trusted"],
    "friendly": ["easy", "welcoming", "made for you"],
}
_DEFAULT_TONE_WORDS = ["simple", "smart", "effective"]
_HASHTAG_POOL = ["#marketing", "#growth", "#smallbusiness", "#productivity", "#startup",
                 "#innovation", "#tips", "#newlaunch", "#brand", "#community"]  # fmt: skip


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _subject(text: str, words: int = 4) -> str:
    """The brief's key phrase: its first meaningful words, up to the first 'for', 'to', …"""
    head = re.split(r"\b(?:for|to|with|that|which|so|because)\b", text, maxsplit=1, flags=re.I)
    tokens = [t for t in re.findall(r"[A-Za-z0-9'-]+", head[0]) if t.lower() not in _STOPWORDS]
    if not tokens:  # the brief starts with a preposition: use all of it
        tokens = [t for t in re.findall(r"[A-Za-z0-9'-]+", text) if t.lower() not in _STOPWORDS]
    return " ".join(tokens[:words]) or "your next big idea"


def _audience(campaign: CampaignContext | None) -> str:
    return (campaign.audience if campaign and campaign.audience else "teams like yours").rstrip(".")


def _tone_words(tone: str | None) -> list[str]:
    return _TONE_WORDS.get((tone or "").strip().lower(), _DEFAULT_TONE_WORDS)


def _hashtags(rng: random.Random, subject: str, count: int) -> list[str]:
    own = "#" + re.sub(r"[^A-Za-z0-9]", "", subject.title())[:24]
    return [own, *rng.sample(_HASHTAG_POOL, count - 1)]


def _shorten(text: str) -> str:
    """Half the sentences (line breaks kept); one sentence loses its last clause. Never cuts
    a phrase in two."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", text)]
    if ends:
        return text[: ends[(len(ends) + 1) // 2 - 1]].rstrip()
    head, _, _ = re.sub(r"[.!?]$", "", text).rpartition(", ")
    if not head:
        head, _, _ = text.rpartition(": ")
    return f"{head}." if len(head.split()) >= 2 else text


class OfflineTextProvider:
    name = "mock"

    def generate_copy(self, brief: CopyBrief, variants: int) -> TextResult:
        texts = [self._one(brief, index) for index in range(variants)]
        return TextResult(texts=texts, provider=self.name)

    def _one(self, brief: CopyBrief, index: int) -> GeneratedText:
        rng = _rng(brief, index)
        # A fresh take (regenerate) turns every choice one step on from the first draft's, so
        # it never comes back as the same copy.
        first_draft = _rng(dataclasses.replace(brief, variation=0), index)

        def pick(pool: list[str]) -> str:
            return pool[(first_draft.randrange(len(pool)) + brief.variation) % len(pool)]

        subject = _subject(brief.prompt)
        who = _audience(brief.campaign)
        word = pick(_tone_words(brief.tone))
        benefit = pick(_BENEFITS)
        cta = pick(_CTAS)
        opener = pick(_OPENERS)
        headlines = [
            f"The {subject} that {benefit}",
            f"{opener} {subject}: {word}, and it {benefit}",
            f"{word.capitalize()} {subject} for {who}",
            f"Why {who} switch to {subject}",
        ]
        # A headline stays within 12 words by choice of shape, never by cutting a phrase.
        fitting = [h for h in headlines if len(h.split()) <= 12] or [min(headlines, key=len)]
        headline = pick(fitting)
        objective = (
            brief.campaign.objective if brief.campaign and brief.campaign.objective else None
        )
        voice = (
            brief.campaign.brand_voice if brief.campaign and brief.campaign.brand_voice else None
        )
        why = f" Built to {objective[0].lower()}{objective[1:].rstrip('.')}." if objective else ""

        content: str
        match brief.asset_type:
            case "headline":
                content = headline
            case "tagline":
                noun = " ".join(subject.split()[-2:])
                content = rng.choice(
                    [
                        f"{noun.capitalize()}, {word}.",
                        f"Less effort. Better {noun}.",
                        f"Your {noun}, only {word}.",
                        f"{word.capitalize()} {noun}. Every day.",
                    ]
                )
            case "ad_copy":
                content = f"{headline}\n{subject.capitalize()} {benefit} for {who}.{why}\n{cta} →"
            case "social_post":
                tags = " ".join(_hashtags(rng, subject, rng.randint(2, 4)))
                content = f"{opener} {subject} ✨\nIt {benefit} — {word}, for {who}.{why}\n{tags}"
            case "email":
                content = (
                    f"Subject: {' '.join(f'{opener} {subject}'.split()[:7])}\n\n"
                    f"Hi there,\n\n{subject.capitalize()} {benefit}.{why}\n\n"
                    f"We made it {word} for {who}"
                    + (f", in a voice that is {voice.lower().rstrip('.')}" if voice else "")
                    + f".\n\n{cta}: it takes two minutes.\n\nCheers,\nThe team"
                )
            case "landing_page":
                bullets = rng.sample(_BENEFITS, 3)
                content = (
                    f"{headline}\n{subject.capitalize()} for {who}.{why}\n"
                    + "".join(f"- It {b}\n" for b in bullets)
                    + f"{cta}"
                )
            case _:
                content = f"{headline}\n{subject.capitalize()} {benefit}."
        title = f"{brief.asset_type.replace('_', ' ').title()} {index + 1}: {subject}"[:200]
        if brief.variation:
            title = f"{title} (take {brief.variation + 1})"[:200]
        return GeneratedText(title=title, content=content)

    def suggest(self, brief: SuggestionBrief, count: int) -> TextResult:
        rng = _rng(brief, count)
        subject = _subject(brief.context or (brief.campaign.name if brief.campaign else "") or "")
        who = _audience(brief.campaign)
        pools = {
            "headline": [f"{o} {subject}: it {b}" for o in _OPENERS for b in _BENEFITS],
            "cta": [*_CTAS, "Get the guide", "Talk to sales", "Reserve your spot", "Shop the drop",
                    "Download free", "Start your trial", "See pricing", "Watch the demo"],
            "hashtags": [*_hashtags(rng, subject, 2)[:1], *_HASHTAG_POOL, "#howto", "#launchday", "#bts", "#customerlove"],
            "angles": [
                f"For {who}, {subject} {b} — lead with that promise." for b in _BENEFITS
            ]
            + [
                f"Show the before and after: life for {who} without and with {subject}.",
                f"Let customers tell it: real stories of how {subject} {rng.choice(_BENEFITS)}.",
                f"Make it about time: {subject} gives {who} their afternoons back.",
                f"Challenge the status quo: why the old way fails {who}.",
            ],
        }  # fmt: skip
        pool = list(dict.fromkeys(pools[brief.kind]))
        chosen = rng.sample(pool, count)
        return TextResult(texts=[GeneratedText(s, s) for s in chosen], provider=self.name)

    def refine(self, brief: RefineBrief) -> TextResult:
        text, instruction = brief.original.strip(), brief.instruction.lower()
        if "short" in instruction or "concise" in instruction:
            text = _shorten(text)
        if "formal" in instruction:
            text = text.replace("Hi there", "Dear customer").replace("!", ".").replace("→", "")
        if "casual" in instruction or "friendly" in instruction:
            text = text.replace("Dear customer", "Hey there") + " 🙂"
        if "urgent" in instruction:
            text = f"Last chance: {text} Offer ends soon."
        if "emoji" in instruction:
            text = f"🚀 {text} ✨"
        if "exclamation" in instruction or "excit" in instruction:
            text = text.rstrip(".") + "!"
        if text == brief.original.strip():
            # Nothing above matched: show the instruction was applied rather than ignore it.
            text = f"{text}\n\n({brief.instruction.strip().rstrip('.')}.)"
        return TextResult(texts=[GeneratedText("Refined", text)], provider=self.name)
