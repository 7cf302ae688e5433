"""What the AI paths ask a text provider, and the checks its answer must pass.

- Every text fits its channel's limit: copy over it goes back to the provider once to be
  rewritten shorter (inside the same paid request: no extra charge); what is still over is
  cut at a sentence or word boundary, never mid-word.
- Every variant of one request differs from the others: a duplicate is asked for again once,
  with the variants already written to avoid; a provider that repeats itself twice fails the
  request (refunded) rather than charge for copies.

Runs inside `call_provider` of a paid request: no database connection is held here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from asset_engine.channels import ChannelLimit
from asset_engine.errors import ProviderError
from asset_engine.observability import logger, traced
from asset_engine.prompts import CopyBrief, RefineBrief, ShortenBrief, SuggestionBrief
from asset_engine.providers.text import GeneratedText, TextProvider, TextResult

_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"')\]]|$)|\n")
_TRAILING = " \t\n,;:-/&([\u2013\u2014"


@dataclass
class _Tally:
    """Token use across every call of one request, and what the checks had to do."""

    results: list[TextResult] = field(default_factory=list)
    shortened: int = 0
    cut: int = 0
    asked_again: int = 0

    def merged(self, texts: Sequence[GeneratedText]) -> TextResult:
        first = self.results[0]
        return TextResult(
            texts=list(texts),
            provider=first.provider,
            model=first.model,
            prompt_tokens=_sum(r.prompt_tokens for r in self.results),
            completion_tokens=_sum(r.completion_tokens for r in self.results),
        )

    def notes(self) -> dict[str, int]:
        counts = {"shortened": self.shortened, "cut": self.cut, "asked_again": self.asked_again}
        return {name: count for name, count in counts.items() if count}


def _sum(values: Iterable[int | None]) -> int | None:
    found = [v for v in values if v is not None]
    return sum(found) if found else None


@dataclass(frozen=True)
class Written:
    result: TextResult
    notes: dict[str, int]


@traced
def write_copy(provider: TextProvider, brief: CopyBrief, variants: int) -> Written:
    """`variants` distinct texts, each within the brief's limit."""
    tally = _Tally()
    first = provider.generate_copy(brief, variants)
    tally.results.append(first)
    texts = _fit(provider, first.texts, brief.limit, brief.asset_type, tally)
    repeated = duplicate_positions([t.content for t in texts])
    if repeated:
        tally.asked_again = len(repeated)
        logger.info("variants repeat each other; asking once more", extra={"repeats": repeated})
        kept = [t.content for i, t in enumerate(texts) if i not in repeated]
        again = provider.generate_copy(dataclasses.replace(brief, avoid=tuple(kept)), len(repeated))
        tally.results.append(again)
        fresh = _fit(provider, again.texts, brief.limit, brief.asset_type, tally)
        for position, text in zip(repeated, fresh, strict=True):
            texts[position] = text
        if duplicate_positions([t.content for t in texts]):
            raise ProviderError(
                f"{provider.name} wrote the same copy twice; any credits taken were refunded.",
                provider=provider.name,
            )
    return Written(tally.merged(texts), tally.notes())


@traced
def write_suggestions(provider: TextProvider, brief: SuggestionBrief, count: int) -> Written:
    """`count` distinct suggestions, each within the brief's limit."""
    tally = _Tally()
    first = provider.suggest(brief, count)
    tally.results.append(first)
    texts = _fit(provider, first.texts, brief.limit, None, tally)
    if duplicate_positions([t.content for t in texts]):
        raise ProviderError(
            f"{provider.name} did not suggest {count} distinct fitting items; any credits taken "
            "were refunded.",
            provider=provider.name,
        )
    return Written(tally.merged(texts), tally.notes())


@traced
def write_refinement(provider: TextProvider, brief: RefineBrief) -> Written:
    tally = _Tally()
    first = provider.refine(brief)
    tally.results.append(first)
    texts = _fit(provider, first.texts, brief.limit, brief.asset_type, tally)
    return Written(tally.merged(texts), tally.notes())


def _fit(
    provider: TextProvider,
    texts: Sequence[GeneratedText],
    limit: ChannelLimit | None,
    asset_type: str | None,
    tally: _Tally,
) -> list[GeneratedText]:
    fitted = list(texts)
    if limit is None:
        return fitted
    over = [i for i, text in enumerate(fitted) if not limit.fits(text.content)]
    if not over:
        return fitted
    tally.shortened += len(over)
    shorter: list[str] = []
    try:
        answer = provider.shorten(
            ShortenBrief(
                texts=tuple(fitted[i].content for i in over), limit=limit, asset_type=asset_type
            )
        )
        tally.results.append(answer)
        shorter = [text.content for text in answer.texts]
    except ProviderError as exc:
        # The copy is written and paid for: cut it rather than fail the request.
        logger.warning("shortening failed; cutting instead", extra={"error": exc.message})
    for n, i in enumerate(over):
        candidate = shorter[n].strip() if n < len(shorter) and shorter[n].strip() else ""
        if not candidate or not limit.fits(candidate):
            tally.cut += 1
            candidate = cut_to_limit(candidate or fitted[i].content, limit)
        fitted[i] = dataclasses.replace(fitted[i], content=candidate)
    return fitted


def cut_to_limit(text: str, limit: ChannelLimit) -> str:
    """`text` within `limit`, cut at a boundary; an email keeps its body, its subject cut."""
    if limit.fits(text):
        return text
    if limit.measure == "subject_line":
        first, newline, rest = text.lstrip().partition("\n")
        label = "Subject: " if first[:8].lower() == "subject:" else ""
        subject = limit.measured(text)
        return f"{label}{cut_at_boundary(subject, limit.chars)}{newline}{rest}"
    return cut_at_boundary(text, limit.chars)


def cut_at_boundary(text: str, chars: int) -> str:
    """At most `chars` characters of `text`, ending at a sentence end when that keeps at least
    half of them, else at a word end; never inside a word (unless its first word alone is
    longer than `chars`, when there is no boundary to cut at)."""
    text = text.strip()
    if len(text) <= chars:
        return text
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= chars]
    sentence_ends = [end for end in sentence_ends if end >= chars // 2]
    if sentence_ends:
        return text[: max(sentence_ends)].rstrip()
    # A word ends where the next character is a space (or the text ends).
    word_ends = [i for i in range(1, chars + 1) if text[i].isspace() and not text[i - 1].isspace()]
    if not word_ends:
        return text[:chars]
    head = text[: max(word_ends)].rstrip(_TRAILING)
    return head or text[: max(word_ends)]


def duplicate_positions(texts: Sequence[str]) -> list[int]:
    """Positions of texts equal (ignoring case, spacing and end punctuation) to an earlier one."""
    seen: set[str] = set()
    repeated = []
    for position, text in enumerate(texts):
        key = " ".join(text.casefold().split()).rstrip(".!?… ")
        if key in seen:
            repeated.append(position)
        seen.add(key)
    return repeated
