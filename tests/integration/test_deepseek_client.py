"""The real DeepSeek client against a local double speaking DeepSeek's wire format."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from asset_engine.errors import ProviderError
from asset_engine.prompts import CampaignContext, CopyBrief, RefineBrief, SuggestionBrief
from asset_engine.providers.deepseek import DeepSeekClient
from tests.support.deepseek_double import (
    API_KEY,
    DeepSeekDouble,
    busy,
    deepseek_double,
    error,
    ok,
    slow,
)

BRIEF = CopyBrief(
    prompt="Spring sale on linen shirts",
    asset_type="ad_copy",
    tone="playful",
    campaign=CampaignContext(name="Spring", audience="city commuters", brand_voice="Breezy"),
)


@pytest.fixture
def double() -> Iterator[DeepSeekDouble]:
    with deepseek_double() as running:
        yield running


def _client(double: DeepSeekDouble, **overrides: Any) -> DeepSeekClient:
    settings: dict[str, Any] = {
        "api_key": API_KEY,
        "base_url": double.url,
        "model": "deepseek-chat",
        "max_retries": 2,
        "backoff_s": 0.01,
        "read_timeout_s": 2.0,
        **overrides,
    }
    return DeepSeekClient(**settings)


def test_variants_come_back_in_json_mode_with_usage(double: DeepSeekDouble) -> None:
    result = _client(double).generate_copy(BRIEF, 3)
    assert [t.content for t in result.texts] == [
        "DeepSeek copy 1",
        "DeepSeek copy 2",
        "DeepSeek copy 3",
    ]
    assert (result.provider, result.model) == ("deepseek", "deepseek-chat")
    assert (result.prompt_tokens, result.completion_tokens) == (120, 80)
    sent = double.requests[0]
    assert sent["model"] == "deepseek-chat"
    assert sent["response_format"] == {"type": "json_object"}
    prompt = sent["messages"][-1]["content"]
    assert "json" in prompt and "city commuters" in prompt and "playful" in prompt


def test_refine_is_plain_text(double: DeepSeekDouble) -> None:
    result = _client(double).refine(RefineBrief(original="Old copy", instruction="Make it shorter"))
    assert result.texts[0].content == "DeepSeek rewrite: Old copy"
    assert "response_format" not in double.requests[0]


def test_a_429_is_retried_and_then_succeeds(double: DeepSeekDouble) -> None:
    double.script(error(429, retry_after="0"), ok())
    result = _client(double).suggest(SuggestionBrief(kind="cta"), 4)
    assert len(result.texts) == 4
    assert len(double.requests) == 2
    assert result.prompt_tokens == 120  # only the answered attempt used tokens


def test_three_500s_give_up_after_the_retries(double: DeepSeekDouble) -> None:
    double.script(error(500), error(500), error(500))
    with pytest.raises(ProviderError) as caught:
        _client(double).generate_copy(BRIEF, 1)
    assert len(double.requests) == 3  # one try and max_retries=2 retries
    assert caught.value.extra["upstream_status"] == 500
    assert API_KEY not in caught.value.message


def test_a_503_then_success(double: DeepSeekDouble) -> None:
    double.script(error(503), ok())
    assert len(_client(double).generate_copy(BRIEF, 2).texts) == 2


def test_a_timeout_is_retried_then_fails(double: DeepSeekDouble) -> None:
    double.script(slow(1.5), slow(1.5))
    with pytest.raises(ProviderError, match="timed out"):
        _client(double, read_timeout_s=0.5, max_retries=1).generate_copy(BRIEF, 1)
    assert len(double.requests) == 2


def test_a_402_is_not_retried(double: DeepSeekDouble) -> None:
    double.script(error(402))
    with pytest.raises(ProviderError, match="insufficient balance"):
        _client(double).generate_copy(BRIEF, 1)
    assert len(double.requests) == 1


def test_a_wrong_key_is_not_retried(double: DeepSeekDouble) -> None:
    with pytest.raises(ProviderError, match="API key"):
        _client(double, api_key="sk-wrong").generate_copy(BRIEF, 1)


def test_malformed_json_gets_one_repair_request(double: DeepSeekDouble) -> None:
    double.script(ok('{"variants": [{"title": "A", "content": '), ok())
    result = _client(double).generate_copy(BRIEF, 2)
    assert len(result.texts) == 2
    assert len(double.requests) == 2
    repair = double.requests[1]["messages"]
    assert repair[-2] == {
        "role": "assistant",
        "content": '{"variants": [{"title": "A", "content": ',
    }
    assert "json" in repair[-1]["content"]
    assert result.prompt_tokens == 240  # both calls counted


def test_malformed_twice_is_a_provider_error(double: DeepSeekDouble) -> None:
    double.script(ok("not json"), ok("still not json"))
    with pytest.raises(ProviderError, match="usable"):
        _client(double).generate_copy(BRIEF, 1)
    assert len(double.requests) == 2


def test_empty_content_is_repaired(double: DeepSeekDouble) -> None:
    double.script(ok(""), ok())
    assert len(_client(double).generate_copy(BRIEF, 1).texts) == 1


def test_the_wrong_number_of_variants_is_repaired(double: DeepSeekDouble) -> None:
    one = json.dumps({"variants": [{"title": "Only", "content": "one"}]})
    double.script(ok(one), ok())
    assert len(_client(double).generate_copy(BRIEF, 3).texts) == 3
    assert len(double.requests) == 2


def test_duplicate_suggestions_are_repaired(double: DeepSeekDouble) -> None:
    double.script(ok(json.dumps({"suggestions": ["Go", "go", "Go "]})), ok())
    result = _client(double).suggest(SuggestionBrief(kind="cta"), 3)
    assert len({t.content for t in result.texts}) == 3


def test_a_cut_off_answer_counts_as_unusable(double: DeepSeekDouble) -> None:
    from tests.support.deepseek_double import Behaviour

    double.script(Behaviour(content='{"variants": [', finish_reason="length"), ok())
    assert len(_client(double).generate_copy(BRIEF, 1).texts) == 1
    assert len(double.requests) == 2


def test_an_unreachable_api_is_a_provider_error() -> None:
    client = DeepSeekClient(api_key=API_KEY, base_url="http://127.0.0.1:1", model="deepseek-chat")
    with pytest.raises(ProviderError, match="reached"):
        client.generate_copy(BRIEF, 1)


def test_keep_alive_lines_before_the_answer_are_read_through(double: DeepSeekDouble) -> None:
    # DeepSeek keeps a waiting non-streaming request alive with empty lines
    double.script(busy(0.5))
    result = _client(double, read_timeout_s=0.3).generate_copy(BRIEF, 2)
    assert len(result.texts) == 2


def test_endless_keep_alive_ends_at_the_budget(double: DeepSeekDouble) -> None:
    # Given a DeepSeek that keeps the line alive far longer than our budget
    double.script(busy(10), busy(10), busy(10))
    started = time.monotonic()
    # Then the call gives up by its deadline (the read timeout never fires) ...
    with pytest.raises(ProviderError, match="timed out"):
        _client(double, budget_s=1.5, read_timeout_s=0.3).generate_copy(BRIEF, 1)
    assert time.monotonic() - started < 3.0  # 1.5 s budget, generous for a busy machine
    # ... without starting an attempt it has no time left for
    assert len(double.requests) == 1


def test_no_repair_is_started_without_time_for_it(double: DeepSeekDouble) -> None:
    # Given an unusable answer that arrives late in the budget
    double.script(busy(0.6, content="not json"))
    started = time.monotonic()
    with pytest.raises(ProviderError, match="in time"):
        _client(double, budget_s=3.5).generate_copy(BRIEF, 1)
    # Then no repair request is sent that could outlive the Lambda
    assert len(double.requests) == 1
    assert time.monotonic() - started < 3.5
