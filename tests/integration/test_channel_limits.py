"""Channel limits and distinct variants through the AI function's real handler.

Every channel's limit binds the copy written for it, with the offline writer and with DeepSeek
(its double), including a DeepSeek that answers over the limit: the copy goes back once to be
shortened (no extra credit), and what is still over is cut at a boundary, never mid-word.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from asset_engine.billing import credits
from asset_engine.channels import ASSET_TYPES, CHANNEL_IDS, CHANNEL_TABLE, limit_for
from asset_engine.config import get_settings
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.deepseek_double import API_KEY, DeepSeekDouble, deepseek_double, ok
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi

PROMPT = "Spring sale: 30% off all linen shirts this weekend"
# Every channel with a limit, each with an asset type its limit binds.
BOUND = [
    (channel.id, next(t for t in ASSET_TYPES if limit_for(channel.id, t)))
    for channel in CHANNEL_TABLE
    if channel.limits
]


@pytest.fixture(autouse=True)
def fresh_providers(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    def apply() -> None:
        get_settings.cache_clear()
        reset_text_provider()
        reset_rate_limiter()

    monkeypatch.setenv("RATE_LIMIT_AI", "1000/60")
    apply()
    yield monkeypatch
    monkeypatch.undo()
    apply()


@pytest.fixture
def deepseek(fresh_providers: pytest.MonkeyPatch) -> Iterator[DeepSeekDouble]:
    with deepseek_double() as double:
        fresh_providers.setenv("DEEPSEEK_API_KEY", API_KEY)
        fresh_providers.setenv("DEEPSEEK_BASE_URL", double.url)
        fresh_providers.setenv("DEEPSEEK_BACKOFF_S", "0.01")
        get_settings.cache_clear()
        reset_text_provider()
        yield double


@pytest.fixture
def rich(api: LambdaApi, conn: Any) -> SignedUp:
    """A user with credits for many calls (granted through the ledger, as an admin would)."""
    user = sign_up(api)
    with conn.transaction():
        credits.credit(conn, user_id=uuid.UUID(user.id), amount=500, reason="admin_grant")
    return user


def _generate(api: LambdaApi, user: SignedUp, **fields: Any) -> Answer:
    body = {"prompt": PROMPT, "asset_type": "headline", **fields}
    return api.post("/api/v1/ai/generate-text", body, token=user.token)


def _within(asset: dict[str, Any], channel: str, asset_type: str) -> None:
    limit = limit_for(channel, asset_type)
    assert limit is not None
    meta = asset["metadata"]
    assert (meta["channel"], meta["limit"], meta["limit_field"]) == (
        channel,
        limit.chars,
        limit.field,
    )
    assert meta["length"] == limit.length(asset["content"]) <= limit.chars, asset["content"]


def test_the_channels_table_is_served(api: LambdaApi) -> None:
    user = sign_up(api)
    answer = api.get("/api/v1/channels", token=user.token)
    assert answer.status == 200
    table = {c["id"]: c for c in answer.json}
    assert list(table) == list(CHANNEL_IDS)  # every channel a campaign can name, in order
    assert table["x"]["limits"] == {"post": 280}
    assert table["linkedin"]["limits"] == {"post": 3000}
    assert table["search_ads"]["limits"] == {"headline": 30, "description": 90}
    assert table["facebook"]["limits"] == {"primary_text": 125, "headline": 40}
    assert table["instagram"]["limits"] == {"caption": 2200}
    assert table["email"]["limits"] == {"subject": 60}
    assert table["sms"]["limits"] == {"segment": 160}
    assert table["sms"]["segments"]["gsm7"] == {"single": 160, "multipart": 153}
    assert table["search_ads"]["asset_limits"]["headline"] == {
        "field": "headline",
        "limit": 30,
        "measure": "content",
    }
    assert table["email"]["asset_limits"]["email"]["measure"] == "subject_line"
    assert table["print"]["asset_limits"] == {}
    assert api.get("/api/v1/channels").status == 401


@pytest.mark.parametrize(("channel", "asset_type"), BOUND)
def test_every_channel_limit_binds_offline_copy(
    api: LambdaApi, rich: SignedUp, channel: str, asset_type: str
) -> None:
    answer = _generate(api, rich, channel=channel, asset_type=asset_type, variants=3)
    assert answer.status == 201, answer.body
    bound = limit_for(channel, asset_type)
    assert bound is not None
    assert (answer.json["channel"], answer.json["limit"]) == (channel, bound.chars)
    for asset in answer.json["assets"]:
        _within(asset, channel, asset_type)
        assert "30%" in asset["content"] or asset_type == "tagline"


@pytest.mark.parametrize(("channel", "asset_type"), BOUND)
def test_every_channel_limit_is_in_the_deepseek_prompt(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble, channel: str, asset_type: str
) -> None:
    answer = _generate(api, rich, channel=channel, asset_type=asset_type)
    assert answer.status == 201, answer.body
    limit = limit_for(channel, asset_type)
    assert limit is not None
    prompt = deepseek.requests[0]["messages"][-1]["content"]
    assert f"at most {limit.chars} characters" in prompt
    _within(answer.json["assets"][0], channel, asset_type)


def test_deepseek_over_the_limit_is_shortened_once_at_no_extra_charge(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    long = "Linen shirts at 30% off this weekend only, in every colour you love"
    deepseek.script(
        ok(json.dumps({"variants": [{"title": "A", "content": long}]})),
        ok(json.dumps({"texts": ["Linen shirts: 30% off"]})),
    )
    before = api.get("/api/v1/credits/balance", token=rich.token).json["balance"]
    answer = _generate(api, rich, channel="search_ads")
    assert answer.status == 201, answer.body
    asset = answer.json["assets"][0]
    assert asset["content"] == "Linen shirts: 30% off"
    _within(asset, "search_ads", "headline")
    assert len(deepseek.requests) == 2
    assert "Rewrite these 1 texts" in deepseek.requests[1]["messages"][-1]["content"]
    assert long in deepseek.requests[1]["messages"][-1]["content"]
    after = api.get("/api/v1/credits/balance", token=rich.token).json["balance"]
    assert before - after == 1  # one variant's price: the rewrite is free


def test_deepseek_still_over_is_cut_at_a_word_boundary(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    long = "Breathable linen shirts now thirty percent off for everyone"
    deepseek.script(
        ok(json.dumps({"variants": [{"title": "A", "content": long}]})),
        ok(json.dumps({"texts": [long + " this weekend"]})),  # still over
    )
    asset = _generate(api, rich, channel="search_ads").json["assets"][0]
    _within(asset, "search_ads", "headline")
    assert long.startswith(asset["content"])
    # Cut between words: what follows the cut in the original is a space.
    assert long[len(asset["content"])] == " "
    assert asset["content"] == "Breathable linen shirts now"


def test_an_email_subject_over_the_limit_is_cut_and_the_body_kept(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    subject = "Our spring sale is here. Everything in linen is thirty percent off, all weekend"
    email = f"Subject: {subject}\n\nHi there,\n\nShop now."
    deepseek.script(
        ok(json.dumps({"variants": [{"title": "A", "content": email}]})),
        ok("not json at all"),
        ok("still not json"),  # the shortening fails: cut, the request still succeeds
    )
    answer = _generate(api, rich, channel="email", asset_type="email")
    assert answer.status == 201, answer.body
    asset = answer.json["assets"][0]
    _within(asset, "email", "email")
    # A sentence end keeping under half the limit loses to the last word end within it.
    assert asset["content"] == (
        "Subject: Our spring sale is here. Everything in linen is thirty\n\nHi there,\n\nShop now."
    )


def test_an_unknown_channel_is_422_and_costs_nothing(api: LambdaApi) -> None:
    user = sign_up(api)
    for path, body in [
        ("/api/v1/ai/generate-text", {"prompt": "x", "asset_type": "headline", "channel": "fax"}),
        ("/api/v1/ai/suggestions", {"kind": "headline", "count": 2, "channel": "fax"}),
    ]:
        refused = api.post(path, body, token=user.token)
        assert (refused.status, refused.error_code) == (422, "validation_error")
        assert "channel" in json.dumps(refused.json["error"]["details"])
    assert api.get("/api/v1/credits/balance", token=user.token).json["balance"] == 50


def test_refine_and_regenerate_keep_the_assets_channel_limit(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    asset = _generate(api, rich, channel="x", asset_type="social_post").json["assets"][0]
    deepseek.script(ok("A" * 200 + " " + "B" * 200), ok(json.dumps({"texts": ["Short post."]})))
    refined = api.post(
        "/api/v1/ai/refine",
        {"asset_id": asset["id"], "instruction": "Longer"},
        token=rich.token,
    )
    assert refined.status == 200, refined.body
    assert "at most 280 characters" in deepseek.requests[-2]["messages"][-1]["content"]
    assert refined.json["content"] == "Short post."
    _within(refined.json, "x", "social_post")
    again = api.post("/api/v1/ai/regenerate", {"asset_id": asset["id"]}, token=rich.token)
    assert again.status == 200, again.body
    assert "at most 280 characters" in deepseek.requests[-1]["messages"][-1]["content"]
    _within(again.json, "x", "social_post")


def test_suggestions_fit_the_channel(api: LambdaApi, rich: SignedUp) -> None:
    answer = api.post(
        "/api/v1/ai/suggestions",
        {"kind": "headline", "count": 8, "context": PROMPT, "channel": "search_ads"},
        token=rich.token,
    )
    assert answer.status == 200, answer.body
    assert answer.json["limit"] == 30
    assert len(set(answer.json["suggestions"])) == 8
    assert all(len(s) <= 30 for s in answer.json["suggestions"])


@pytest.mark.parametrize("asset_type", ASSET_TYPES)
def test_variants_all_differ_for_every_asset_type(
    api: LambdaApi, rich: SignedUp, asset_type: str
) -> None:
    for variants in range(1, 6):
        for channel in (None, "search_ads"):
            fields = {"channel": channel} if channel else {}
            answer = _generate(api, rich, asset_type=asset_type, variants=variants, **fields)
            assert answer.status == 201, answer.body
            contents = [a["content"] for a in answer.json["assets"]]
            assert len(set(contents)) == variants, contents


def test_deepseek_duplicates_are_asked_for_again_once(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    twice = [
        {"title": "A", "content": "Linen, 30% off"},
        {"title": "B", "content": "Linen, 30% off"},
    ]
    deepseek.script(
        ok(json.dumps({"variants": [*twice, {"title": "C", "content": "Cool linen shirts"}]})),
        ok(json.dumps({"variants": [{"title": "D", "content": "Shirts for hot days"}]})),
    )
    answer = _generate(api, rich, variants=3)
    assert answer.status == 201, answer.body
    assert [a["content"] for a in answer.json["assets"]] == [
        "Linen, 30% off",
        "Shirts for hot days",
        "Cool linen shirts",
    ]
    first, again = (r["messages"][-1]["content"] for r in deepseek.requests)
    assert "different angle" in first
    assert "- Linen, 30% off" in again and "- Cool linen shirts" in again


def test_deepseek_repeating_itself_twice_fails_and_refunds(
    api: LambdaApi, rich: SignedUp, deepseek: DeepSeekDouble
) -> None:
    same = {"variants": [{"title": "A", "content": "Same"}, {"title": "B", "content": "same."}]}
    deepseek.script(
        ok(json.dumps(same)), ok(json.dumps({"variants": [{"title": "C", "content": "Same"}]}))
    )
    before = api.get("/api/v1/credits/balance", token=rich.token).json["balance"]
    answer = _generate(api, rich, variants=2)
    assert (answer.status, answer.error_code) == (502, "provider_error")
    assert api.get("/api/v1/credits/balance", token=rich.token).json["balance"] == before
