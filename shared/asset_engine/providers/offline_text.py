"""The offline writer: deterministic marketing copy with no network and no key.

It reads the brief the way a copywriter would: the product ("linen shirts"), the offer exactly as
written ("30% off", "$20", "2 for 1": numbers and signs are never reworded), the moment ("this
weekend") and the occasion (a sale, a launch). It writes each asset type in its real shape (an
email has a subject line, an ad ends on a call to action, …) in the manner of its channel (an X
post is short, a LinkedIn post has no emoji, an SMS is plain text in one message), and within the
channel's limit. Same brief, same copy; the variants of one request all differ. Reported as
provider "mock".
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections.abc import Callable

from asset_engine.channels import ChannelLimit
from asset_engine.prompts import (
    CampaignContext,
    CopyBrief,
    RefineBrief,
    ShortenBrief,
    SuggestionBrief,
)
from asset_engine.providers.text import GeneratedText, TextProviderName, TextResult

# An offer as the marketer wrote it: "30% off", "-20%", "$49", "€10 off", "2 for 1", "BOGO".
_OFFER = re.compile(
    r"(?:[-+]?\d+(?:[.,]\d+)?\s?%(?:\s?off)?"
    r"|[$€£]\s?\d+(?:[.,]\d+)?(?:\s?off)?"
    r"|\d+(?:[.,]\d+)?\s?(?:USD|EUR|GBP|dollars|euros)(?:\s?off)?"
    r"|\b\d+\s?for\s?\d+\b|\bBOGO\b|\bbuy one,? get one(?: free)?\b|\bfree shipping\b)",
    re.I,
)
_WHEN = re.compile(
    r"\b(?:this (?:weekend|week|month|spring|summer|fall|autumn|winter)|today|tonight|tomorrow"
    r"|(?:until|through|till|ends) [A-Z0-9][\w.]*(?: \d+)?|(?:on|from) (?:Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)|(?:in|from) (?:January|February|March|April|May|"
    r"June|July|August|September|October|November|December))\b",
)
_OCCASION_WORDS = (
    r"sale|launch|release|drop|deal|deals|promo|promotion|offer|discount|event|opening"
)
_OCCASION = re.compile(rf"\b((?:[\w'-]+\s){{0,2}}?(?:{_OCCASION_WORDS}))\b", re.I)
# Words that are not the product: instructions, occasions, articles.
_NOT_PRODUCT = frozenset(
    """a an the and or our your my we you is are be it this that these those about write make
    create copy some new please launch launching launched promote promoting announce announcing
    introduce introducing sell selling advertise headline headlines tagline taglines email post
    ad ads landing page social all every sale release drop deal deals promo promotion offer
    discount event opening get now off up spring summer fall autumn winter big huge mega flash
    weekend week month today""".split()  # noqa: SIM905 - a word list reads best as prose
)
_NOT_OCCASION = frozenset(["the", "a", "an", "our", "your", "my", "this", "for", "of", "on", "at"])
_BREAK = re.compile(
    r"\s(?:for|to|with|that|which|so|because|at|in|until|through|from|this|when|while|on|by)\s|[,.;:!?()\n\u2013\u2014]",
    re.I,
)
# Typography that GSM-7 lacks (one such character makes an SMS a 70-character UCS-2 message).
_GSM_SAFE = str.maketrans(
    {"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
    | {"\u2026": "...", "\u2192": ">"}
)

_TONE_WORDS = {
    "playful": ["seriously fun", "a little bit magic", "pure joy"],
    "confident": ["built to last", "the real deal", "made right"],
    "urgent": ["going fast", "not for long", "while it lasts"],
    "formal": ["carefully made", "dependable", "thoughtfully designed"],
    "friendly": ["easy to love", "made for you", "a small joy"],
    "luxury": ["quietly luxurious", "made with care", "simply beautiful"],
}
_DEFAULT_TONE_WORDS = ["made to be loved", "easy to love", "worth a look"]
_EMOJI = {"sale": "🏷️", "launch": "✨", "default": "👉"}


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,.;:-")


@dataclasses.dataclass(frozen=True)
class Brief:
    """What the writer read in the marketer's words."""

    product: str
    offer: str | None
    when: str | None
    occasion: str | None  # "Spring sale", "launch"
    audience: str | None
    kind: str  # "sale", "launch" or "default": picks the calls to action

    @property
    def are(self) -> str:
        """The verb the product takes: "Linen shirts are", "The app is"."""
        last = self.product.split()[-1].lower() if self.product else ""
        return "are" if last.endswith("s") and not last.endswith("ss") else "is"

    @property
    def capitalized(self) -> str:
        """The product at the start of a sentence."""
        return self.product[:1].upper() + self.product[1:]


def read_brief(prompt: str, campaign: CampaignContext | None = None) -> Brief:
    text = " ".join(prompt.split())[:400]
    # "Write a headline for the launch of our app": the instruction is not the brief.
    text = re.sub(
        r"^(?:please\s+)?(?:write|make|create|draft|give me)\b.*?\b(?:for|about)\s+",
        "",
        text,
        flags=re.I,
    )
    offer_match = _OFFER.search(text)
    offer = offer_match.group(0).strip() if offer_match else None
    when_match = _WHEN.search(text)
    when = when_match.group(0) if when_match else None
    rest = text
    for found in (offer, when):
        if found:
            rest = rest.replace(found, " ")
    occasion_match = _OCCASION.search(rest)
    occasion = None
    if occasion_match:
        *before, last = occasion_match.group(1).split()
        kept = [w for w in before if w.lower() not in _NOT_OCCASION]
        occasion = " ".join([*kept, last]) if kept else last
    # "<occasion> on|of|for <product>": the product follows the occasion.
    after = re.search(rf"\b(?:{_OCCASION_WORDS})\s+(?:on|of|for)\s+(.+)", rest, re.I) or re.search(
        r"^(?:write|make|create)\b.*?\b(?:for|about)\s+(.+)", rest, re.I
    )
    source = after.group(1) if after else rest
    phrase = _BREAK.split(" " + source.strip() + " ", maxsplit=1)[0]
    words = [w for w in re.findall(r"[\w'&+-]+", phrase) if w.lower() not in _NOT_PRODUCT]
    if not words:
        words = [w for w in re.findall(r"[\w'&+-]+", rest) if w.lower() not in _NOT_PRODUCT][:3]
    product = " ".join(words[:5]) or "new arrivals"
    audience_match = re.search(r"\bfor ((?:\w+\s?){1,4})", rest)
    audience = None
    if campaign and campaign.audience:
        audience = campaign.audience.rstrip(".")
    elif audience_match and audience_match.group(1).strip().lower() not in product.lower():
        audience = audience_match.group(1).strip()
    lowered = f"{occasion or ''} {text}".lower()
    kind = (
        "sale"
        if offer or re.search(r"\b(sale|deal|discount|promo|offer)\b", lowered)
        else "launch"
        if re.search(r"\b(launch|new|introduc|release|drop|announc)", lowered)
        else "default"
    )
    if occasion and occasion.lower() in ("sale", "launch"):
        occasion = None  # a bare word says nothing the kind does not
    return Brief(product, offer, when, occasion, audience, kind)


def _ctas(brief: Brief) -> list[str]:
    if brief.kind == "sale":
        own = [f"Claim your {brief.offer}"] if brief.offer else []
        return [*own, "Shop now", "Shop the sale", "Get the deal", "Shop before it ends"]
    if brief.kind == "launch":
        return ["Get yours", "Be among the first", "See what's new", "Discover it now", "Try it"]
    return ["Learn more", "Find out more", "Take a look", "Get started", "See for yourself"]


def _short_forms(b: Brief) -> list[Brief]:
    """The brief, then with the product's last two words and last word ("coffee mugs",
    "mugs"): tight limits still get several distinct lines."""
    words = b.product.split()
    shorter = [" ".join(words[-n:]) for n in (2, 1) if n < len(words)]
    return [b, *(dataclasses.replace(b, product=product) for product in shorter)]


def _headlines(b: Brief, word: str) -> list[str]:
    """Headline-sized lines, the brief's offer and moment kept word for word."""
    return [line for form in _short_forms(b) for line in _headlines_of(form, word)]


def _headlines_of(b: Brief, word: str) -> list[str]:
    p, P, offer, when = b.product, b.capitalized, b.offer, b.when
    lines: list[str] = []
    if offer:
        lines += [
            f"{P}: {offer}" + (f" {when}" if when else ""),
            f"{offer[:1].upper()}{offer[1:]} {p}" + (f", {when}" if when else ""),
            f"Your {p}, now {offer}",
            f"{b.occasion}: {offer} {p}" if b.occasion else f"{P} at {offer}",
            f"{P}, {offer}. Only {when}" if when else f"{P}, {offer}. Don't wait",
            f"Yes, {offer} {p}",
        ]
    if b.kind == "launch":
        lines += [f"Meet {p}", f"{P} is here", f"New: {p}", f"Say hello to {p}"]
    if b.kind == "sale":
        lines += [f"Shop {p}", f"{P} for less", f"{P} on sale"]
    if when:
        lines += [f"{P}, {when}"]
    lines += [
        f"{P}, {word}",
        f"{P} for {b.audience}" if b.audience else f"{P} you'll love",
        f"Discover {p}",
        f"Why everyone's talking about {p}",
        f"{P}. {word[:1].upper()}{word[1:]}.",
        f"{P}",
        f"Love {p}?",
        f"All about {p}",
        f"The {p} edit",
        f"{P}, reimagined",
    ]
    return [_squash(line) for line in lines]


def _pick(
    candidates: list[str],
    fits: Callable[[str], bool],
    start: int,
    index: int,
    prefer: str | None = None,
) -> str:
    """The index-th of the fitting candidates, from a start of the brief's own; only those
    saying `prefer` (the offer) when there are enough of them for five variants."""
    usable = list(dict.fromkeys(c for c in candidates if c and fits(c)))
    preferred = [c for c in usable if prefer and prefer in c]
    if len(preferred) >= 5:
        usable = preferred
    if not usable:
        usable = [min(candidates, key=len)]
    return usable[(start + index) % len(usable)]


class OfflineTextProvider:
    name: TextProviderName = "mock"

    def generate_copy(self, brief: CopyBrief, variants: int) -> TextResult:
        texts: list[GeneratedText] = []
        for index in range(variants):
            avoid = {t.content for t in texts} | set(brief.avoid)
            texts.append(self._one(brief, index, avoid))
        return TextResult(texts=texts, provider=self.name)

    def _one(self, brief: CopyBrief, index: int, avoid: set[str]) -> GeneratedText:
        read = read_brief(brief.prompt, brief.campaign)
        # Every choice starts from the first draft's; a fresh take (regenerate) moves them on,
        # so it never comes back as the same copy.
        first_draft = _rng(dataclasses.replace(brief, variation=0, avoid=()))
        start = first_draft.randrange(997)
        step = index + brief.variation
        words = _TONE_WORDS.get((brief.tone or "").strip().lower(), _DEFAULT_TONE_WORDS)
        word = words[(start + step) % len(words)]
        limit = brief.limit
        channel = limit.channel if limit else ""
        content = ""
        for attempt in range(12):  # a shape that fits and is not a copy of one already written
            content = self._shaped(
                brief.asset_type, read, word, channel, limit, start, step + attempt
            )
            if channel == "sms":
                content = content.translate(_GSM_SAFE)
            if content not in avoid and (limit is None or limit.fits(content)):
                break
        title = f"{brief.asset_type.replace('_', ' ').title()} {index + 1}: {read.product}"[:200]
        if brief.variation:
            title = f"{title} (take {brief.variation + 1})"[:200]
        return GeneratedText(title=title, content=content)

    def _shaped(
        self,
        asset_type: str,
        b: Brief,
        word: str,
        channel: str,
        limit: ChannelLimit | None,
        start: int,
        step: int,
    ) -> str:
        fits = limit.fits if limit and limit.measure == "content" else (lambda _: True)
        subject_fits = (
            limit.fits if limit and limit.measure == "subject_line" else (lambda s: len(s) <= 60)
        )
        headline = _pick(
            [h for h in _headlines(b, word) if len(h.split()) <= 12], fits, start, step, b.offer
        )
        ctas = _ctas(b)
        cta = ctas[(start + step) % len(ctas)]
        who = b.audience or "you"
        offer_line = (
            f"{b.offer[:1].upper()}{b.offer[1:]} {b.product}" + (f" {b.when}" if b.when else "")
            if b.offer
            else f"{b.capitalized}" + (f", {b.when}" if b.when else "")
        )
        body = f"{b.capitalized} {b.are} {word}, and made for {who}." + (
            f" {offer_line}." if b.offer else ""
        )
        arrow = "" if channel == "sms" else " →"
        emoji = channel in ("instagram", "facebook", "tiktok", "pinterest", "")
        tag = "#" + re.sub(r"[^\w]", "", b.product.title())[:30]
        pool = ["#" + b.kind.title() if b.kind != "default" else "#New", "#ShopSmall", "#Style",
                "#TreatYourself", "#NewIn", "#Deals"]  # fmt: skip
        match asset_type:
            case "headline":
                return headline
            case "tagline":
                lines = [
                    line
                    for form in _short_forms(b)
                    for line in (
                        f"{form.capitalized}. {word[:1].upper()}{word[1:]}.",
                        f"Made for {who}.",
                        f"Everyday {form.product}, done right.",
                        f"Your {form.product}, your way.",
                        f"{form.capitalized}, simply.",
                        f"Love your {form.product}.",
                        f"{form.capitalized}. Nothing less.",
                    )
                ]
                return _pick([t for t in lines if len(t.split()) <= 8], fits, start, step)
            case "ad_copy":
                shapes = [
                    f"{headline}\n{body}\n{cta}{arrow}",
                    f"{_sentence(headline)} {cta}.",
                    f"{_sentence(headline)} {body}",
                    f"{body} {cta}.",
                    _sentence(headline),
                ]
                return _pick(shapes, fits, 0, 0) if limit else shapes[0]
            case "social_post":
                if channel == "x":
                    shapes = [f"{_sentence(headline)} {cta}. {tag}", f"{_sentence(headline)} {tag}"]
                elif channel == "linkedin":
                    shapes = [
                        f"{_sentence(headline)}\n\n{body}\n\n{cta}: the link is in the comments.\n\n{tag}"
                    ]
                elif channel == "sms":
                    shapes = [
                        f"{_sentence(headline)} {cta}. Reply STOP to opt out.",
                        f"{_sentence(headline)} {cta}.",
                    ]
                else:
                    hashtags = " ".join([tag, *pool[(start + step) % 3 : (start + step) % 3 + 2]])
                    mark = _EMOJI[b.kind] + " " if emoji else ""
                    shapes = [
                        f"{mark}{headline}\n{body}\n{hashtags}",
                        f"{_sentence(headline)} {cta}. {tag}",
                        f"{_sentence(headline)} {tag}",
                    ]
                return _pick(shapes, fits, 0, 0)
            case "email":
                subject = _pick(
                    [h for h in _headlines(b, word) if len(h.split()) <= 9],
                    subject_fits,
                    start,
                    step,
                    b.offer,
                )
                greeting = f"Subject: {subject}\n\nHi there,\n\n"
                shapes = [
                    f"{greeting}{body}\n\n{cta}: it only takes a minute.\n\nWarm wishes,\nThe team",
                    f"Subject: {subject}\n\n{body}\n\n{cta}.",
                    f"Subject: {subject}\n\n{cta}.",
                ]
                return _pick(shapes, fits, 0, 0)
            case "landing_page":
                bullets = [
                    f"- {b.offer[:1].upper()}{b.offer[1:]} on {b.product}"
                    + (f", {b.when}" if b.when else "")
                    if b.offer
                    else f"- {b.capitalized}, {word}",
                    f"- Chosen with {who} in mind",
                    "- Easy to order, easy to love",
                ]
                page = f"{headline}\n{body}\n" + "".join(f"{line}\n" for line in bullets) + cta
                return _pick(
                    [page, f"{_sentence(headline)} {body}", f"{_sentence(headline)} {cta}."],
                    fits,
                    0,
                    0,
                )
            case _:
                return f"{headline}\n{body}"

    def suggest(self, brief: SuggestionBrief, count: int) -> TextResult:
        rng = _rng(brief, count)
        campaign = brief.campaign
        source = (
            brief.context
            or (campaign.objective if campaign else None)
            or (campaign.name if campaign else None)
            or ""
        )
        b = read_brief(source, campaign)
        who = b.audience or "your customers"
        fits = brief.limit.fits if brief.limit else (lambda _: True)
        words = _DEFAULT_TONE_WORDS + [w for ws in _TONE_WORDS.values() for w in ws]
        pools = {
            "headline": [h for w in words for h in _headlines(b, w)],
            "cta": [*_ctas(b), "Shop now", "Get yours", "Learn more", "Find out more",
                    "Take a look", "Reserve yours", "Order today", "See the collection",
                    "Grab the deal", "Sign up", "Join us"],
            "hashtags": ["#" + re.sub(r"[^\w]", "", b.product.title())[:30], "#NewIn",
                         "#ShopSmall", "#Style", "#TreatYourself", "#Deals", "#MustHave",
                         "#InstaGood", "#Seasonal", "#GiftIdeas", "#LimitedEdition"],
            "angles": [
                f"Lead with the offer: {b.offer} on {b.product}, said plainly." if b.offer
                else f"Lead with the product: what makes {b.product} worth it.",
                f"Show the moment: {who} using {b.product} on an ordinary day.",
                f"Let customers tell it: real reviews of {b.product}.",
                f"Make it about time: {b.when or 'now'} is when to get {b.product}.",
                f"Compare: life before and after {b.product}.",
                f"Behind the scenes: how {b.product} is made.",
                f"Gift it: {b.product} as the present {who} will remember.",
                f"Answer the doubt: why {b.product} is worth the price.",
                f"Ask a question: what would {who} do with {b.product}?",
                f"Scarcity: once {b.product} is gone, it's gone.",
            ],
        }  # fmt: skip
        pool = [p for p in dict.fromkeys(pools[brief.kind]) if fits(p)]
        chosen = rng.sample(pool, min(count, len(pool)))
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

    def shorten(self, brief: ShortenBrief) -> TextResult:
        """Whole sentences dropped from the end until the text fits (or one is left)."""
        texts = []
        for text in brief.texts:
            while not brief.limit.fits(text):
                shorter = _shorten(text)
                if shorter == text:
                    break
                text = shorter
            texts.append(GeneratedText("Shortened", text))
        return TextResult(texts=texts, provider=self.name)


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?" else f"{text}."


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
