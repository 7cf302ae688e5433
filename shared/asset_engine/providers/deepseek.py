"""DeepSeek's OpenAI-compatible chat completions API, over httpx.

Retries (with backoff) only what may pass: 429, 500, 503 and timeouts. The whole exchange,
retries and the repair request included, ends by a wall-clock deadline (`budget_s`) that fits
the Lambda's 29 s with room for our database work: httpx's read timeout alone cannot promise
that, because DeepSeek keeps a busy request alive by sending empty lines. Structured answers
use JSON mode; an answer that does not parse or has the wrong shape gets one repair request
before we give up.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, Field, ValidationError

from asset_engine.config import Settings
from asset_engine.errors import ProviderError
from asset_engine.observability import logger, trace_calls_through
from asset_engine.prompts import (
    CopyBrief,
    Message,
    RefineBrief,
    ShortenBrief,
    SuggestionBrief,
    copy_messages,
    refine_messages,
    repair_message,
    shorten_messages,
    suggestion_messages,
)
from asset_engine.providers.text import GeneratedText, TextProviderName, TextResult

M = TypeVar("M", bound=BaseModel)
RETRYABLE_STATUSES = frozenset({429, 500, 503})
_FAILURES = {
    400: "DeepSeek refused the request format",
    401: "DeepSeek refused our API key",
    402: "DeepSeek reports an insufficient balance on our account",
    422: "DeepSeek refused the request parameters",
    429: "DeepSeek is rate limiting us",
    500: "DeepSeek had a server error",
    503: "DeepSeek is overloaded",
}


# An attempt (or the repair request) is only started with at least this much time left.
MIN_ATTEMPT_S = 3.0


class InvalidAnswer(ValueError):
    """The model answered, but not with something we can use."""


class _OutOfTime(Exception):
    """The deadline passed before DeepSeek finished answering."""


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    headers: httpx.Headers


class _Variant(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1)


class _Variants(BaseModel):
    variants: list[_Variant]


class _Suggestions(BaseModel):
    suggestions: list[str]


class _Shortened(BaseModel):
    texts: list[str]


@dataclass
class _Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, usage: dict[str, Any] | None) -> None:
        self.prompt_tokens += int((usage or {}).get("prompt_tokens") or 0)
        self.completion_tokens += int((usage or {}).get("completion_tokens") or 0)


@dataclass
class DeepSeekClient:
    api_key: str
    base_url: str
    model: str
    connect_timeout_s: float = 3.0
    # Silence (not even a keep-alive line) for this long means the connection is dead.
    read_timeout_s: float = 10.0
    max_retries: int = 2
    backoff_s: float = 0.5
    # Leaves room inside the Lambda's 29 s for our own database work around the call.
    budget_s: float = 25.0
    name: TextProviderName = "deepseek"
    _http: httpx.Client | None = field(default=None, repr=False)
    _pool: ThreadPoolExecutor | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeepSeekClient:
        assert settings.deepseek_api_key
        return cls(
            api_key=settings.deepseek_api_key,
            base_url=settings.deepseek_base_url.rstrip("/"),
            model=settings.deepseek_model,
            connect_timeout_s=settings.deepseek_connect_timeout_s,
            read_timeout_s=settings.deepseek_read_timeout_s,
            max_retries=settings.deepseek_max_retries,
            backoff_s=settings.deepseek_backoff_s,
            budget_s=settings.deepseek_budget_s,
        )

    # --- the provider interface ----------------------------------------------------------

    def generate_copy(self, brief: CopyBrief, variants: int) -> TextResult:
        def parse(content: str) -> list[GeneratedText]:
            found = _parse_json(content, _Variants).variants
            if len(found) != variants:
                raise InvalidAnswer(f"expected {variants} variants, got {len(found)}")
            return [GeneratedText(v.title.strip(), v.content.strip()) for v in found]

        return self._complete(copy_messages(brief, variants), parse, json_mode=True)

    def suggest(self, brief: SuggestionBrief, count: int) -> TextResult:
        def parse(content: str) -> list[GeneratedText]:
            found = _distinct(_parse_json(content, _Suggestions).suggestions)
            if len(found) < count:
                raise InvalidAnswer(f"expected {count} distinct suggestions, got {len(found)}")
            return [GeneratedText(s, s) for s in found[:count]]

        return self._complete(suggestion_messages(brief, count), parse, json_mode=True)

    def refine(self, brief: RefineBrief) -> TextResult:
        def parse(content: str) -> list[GeneratedText]:
            return [GeneratedText("Refined", content.strip())]

        return self._complete(refine_messages(brief), parse, json_mode=False)

    def shorten(self, brief: ShortenBrief) -> TextResult:
        def parse(content: str) -> list[GeneratedText]:
            found = _parse_json(content, _Shortened).texts
            if len(found) != len(brief.texts) or not all(text.strip() for text in found):
                raise InvalidAnswer(f"expected {len(brief.texts)} texts, got {len(found)}")
            return [GeneratedText("Shortened", text.strip()) for text in found]

        return self._complete(shorten_messages(brief), parse, json_mode=True)

    # --- the HTTP exchange ---------------------------------------------------------------

    def _complete(
        self,
        messages: list[Message],
        parse: Callable[[str], list[GeneratedText]],
        *,
        json_mode: bool,
    ) -> TextResult:
        usage = _Usage()
        deadline = time.monotonic() + self.budget_s
        content = self._chat(messages, json_mode=json_mode, usage=usage, deadline=deadline)
        try:
            texts = parse(_usable(content))
        except InvalidAnswer as first_error:
            if deadline - time.monotonic() < MIN_ATTEMPT_S:
                raise ProviderError(
                    "DeepSeek did not return usable copy in time; any credits taken were refunded.",
                    provider=self.name,
                ) from first_error
            logger.info(
                "DeepSeek answer unusable; asking once more", extra={"error": str(first_error)}
            )
            repair = [
                *messages,
                {"role": "assistant", "content": content or ""},
                repair_message(str(first_error)),
            ]
            content = self._chat(repair, json_mode=json_mode, usage=usage, deadline=deadline)
            try:
                texts = parse(_usable(content))
            except InvalidAnswer as exc:
                raise ProviderError(
                    "DeepSeek did not return usable copy; any credits taken were refunded.",
                    provider=self.name,
                ) from exc
        return TextResult(
            texts=texts,
            provider=self.name,
            model=self.model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )

    def _client(self) -> httpx.Client:
        if self._http is None:
            with self._lock:
                if self._http is None:
                    trace_calls_through("httpx")
                    self._http = httpx.Client(
                        base_url=self.base_url,
                        headers={"Authorization": f"Bearer {self.api_key}"},
                        timeout=httpx.Timeout(self.read_timeout_s, connect=self.connect_timeout_s),
                    )
                    # Threads start only as needed: a Lambda uses one; the local gateway
                    # serves concurrent requests from this one client.
                    self._pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="deepseek")
        return self._http

    def _chat(
        self, messages: list[Message], *, json_mode: bool, usage: _Usage, deadline: float
    ) -> str | None:
        """The answer's content (None or "" when empty), after retries; ProviderError otherwise."""
        payload: dict[str, Any] = {"model": self.model, "messages": messages, "stream": False}
        if json_mode:
            payload["response_format"] = {"type": "json_object"}
        failure = "DeepSeek did not answer"
        status: int | None = None
        for attempt in range(self.max_retries + 1):
            retry_after: float | None = None
            try:
                reply = self._post(payload, deadline)
            except (httpx.TimeoutException, _OutOfTime):
                failure, status = "DeepSeek timed out", None
            except httpx.TransportError as exc:
                raise ProviderError("DeepSeek could not be reached.", provider=self.name) from exc
            else:
                status = reply.status
                if status == 200:
                    return _read_answer(reply.body, usage)
                failure = _FAILURES.get(status, f"DeepSeek answered HTTP {status}")
                if status not in RETRYABLE_STATUSES:
                    break
                retry_after = _retry_after(reply.headers)
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            if attempt == self.max_retries or time.monotonic() + wait + MIN_ATTEMPT_S > deadline:
                break
            logger.info("retrying DeepSeek", extra={"attempt": attempt + 1, "reason": failure})
            time.sleep(wait)
        raise ProviderError(
            f"{failure}; any credits taken were refunded.",
            provider=self.name,
            upstream_status=status,
        )

    def _post(self, payload: dict[str, Any], deadline: float) -> _Reply:
        """One request, answered by the deadline or abandoned (_OutOfTime).

        The exchange runs on a worker thread so that waiting for it can stop at the deadline
        even while keep-alive lines trickle in; an abandoned worker stops at its next chunk."""
        client = self._client()
        assert self._pool is not None
        abandoned = threading.Event()

        def exchange() -> _Reply:
            with client.stream("POST", "/chat/completions", json=payload) as response:
                chunks = []
                for chunk in response.iter_bytes():
                    if abandoned.is_set():
                        raise _OutOfTime
                    chunks.append(chunk)
                return _Reply(response.status_code, b"".join(chunks), response.headers)

        future: Future[_Reply] = self._pool.submit(exchange)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            abandoned.set()
            raise _OutOfTime from None

    def _backoff(self, attempt: int) -> float:
        return float(self.backoff_s * 2.0**attempt * (1 + random.random() / 2))


def _read_answer(body: bytes, usage: _Usage) -> str | None:
    try:
        # Keep-alive empty lines before the JSON are whitespace to the parser.
        answer = json.loads(body)
        usage.add(answer.get("usage"))
        choice = answer["choices"][0]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ProviderError(
            "DeepSeek sent a reply we could not read.", provider="deepseek"
        ) from exc
    if choice.get("finish_reason") == "length":
        return None  # cut off: as unusable as an empty answer
    content = (choice.get("message") or {}).get("content")
    return content if isinstance(content, str) else None


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 5 else None


def _usable(content: str | None) -> str:
    if not content or not content.strip():
        raise InvalidAnswer("the answer was empty")
    return content


def _parse_json(content: str, model: type[M]) -> M:
    try:
        return model.model_validate(json.loads(content))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise InvalidAnswer(f"not the json asked for ({type(exc).__name__})") from exc


def _distinct(items: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in (i.strip() for i in items):
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept
