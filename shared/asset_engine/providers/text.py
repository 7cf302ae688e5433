"""The text provider interface, and the choice between DeepSeek and the offline writer."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, Protocol

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


_provider: TextProvider | None = None
_lock = threading.Lock()


def describe() -> str:
    settings = get_settings()
    if settings.uses_deepseek:
        return f"deepseek (model {settings.deepseek_model})"
    return "mock (offline: DEEPSEEK_API_KEY unset)"


def get_text_provider() -> TextProvider:
    """The container's provider, built on first use."""
    global _provider
    if _provider is None:
        with _lock:
            if _provider is None:
                settings = get_settings()
                if settings.uses_deepseek:
                    from asset_engine.providers.deepseek import DeepSeekClient

                    _provider = DeepSeekClient.from_settings(settings)
                else:
                    from asset_engine.providers.offline_text import OfflineTextProvider

                    logger.info("text provider: %s", describe())
                    _provider = OfflineTextProvider()
    return _provider


def reset_text_provider() -> None:
    """Forget the built provider (tests that change the settings)."""
    global _provider
    with _lock:
        _provider = None
