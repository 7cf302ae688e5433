"""The text provider interface, and the choice between DeepSeek and the offline writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from asset_engine.built_once import BuiltOnce
from asset_engine.config import get_settings
from asset_engine.observability import logger
from asset_engine.prompts import CopyBrief, RefineBrief, ShortenBrief, SuggestionBrief

TextProviderName = Literal["deepseek", "mock"]


@dataclass(frozen=True)
class GeneratedText:
    title: str
    content: str


@dataclass(frozen=True)
class TextResult:
    texts: list[GeneratedText]
    provider: TextProviderName
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class TextProvider(Protocol):
    name: TextProviderName

    def generate_copy(self, brief: CopyBrief, variants: int) -> TextResult: ...

    def suggest(self, brief: SuggestionBrief, count: int) -> TextResult: ...

    def refine(self, brief: RefineBrief) -> TextResult: ...

    def shorten(self, brief: ShortenBrief) -> TextResult:
        """The brief's texts rewritten within its limit, one for one, in order."""
        ...


def describe() -> str:
    settings = get_settings()
    if settings.uses_deepseek:
        return f"deepseek (model {settings.deepseek_model})"
    return "mock (offline: DEEPSEEK_API_KEY unset)"


def _build() -> TextProvider:
    settings = get_settings()
    if settings.uses_deepseek:
        from asset_engine.providers.deepseek import DeepSeekClient

        return DeepSeekClient.from_settings(settings)
    from asset_engine.providers.offline_text import OfflineTextProvider

    logger.info("text provider: %s", describe())
    return OfflineTextProvider()


_provider: BuiltOnce[TextProvider] = BuiltOnce(_build)
get_text_provider = _provider.get  # the container's provider
reset_text_provider = _provider.reset  # tests that change the settings
