"""The AI function through its real handler: the order of work, credits conserved on every path."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from asset_engine.config import get_settings
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.deepseek_double import API_KEY, DeepSeekDouble, deepseek_double, error, slow
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi, load_event
from tests.support.upstash_bridge import upstash_bridge


@pytest.fixture(autouse=True)
def fresh_providers(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Each test chooses its own provider and limiter settings."""

    def apply() -> None:
        get_settings.cache_clear()
        reset_text_provider()
        reset_rate_limiter()

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


def _generate(api: LambdaApi, user: SignedUp, **fields: Any) -> Answer:
    headers = fields.pop("headers", None)
    body = {"prompt": "Spring sale on linen shirts", "asset_type": "ad_copy", **fields}
    return api.post("/api/v1/ai/generate-text", body, token=user.token, headers=headers)


def _balance(api: LambdaApi, user: SignedUp) -> int:
    return int(api.get("/api/v1/credits/balance", token=user.token).json["balance"])


def _ledger(conn: db.Connection, user: SignedUp) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT delta, reason, ref_type, ref_id FROM credit_ledger WHERE user_id = %s "
        "ORDER BY created_at, delta",
        (user.id,),
    ).fetchall()


def test_three_variants_make_three_assets_for_three_credits(
    api: LambdaApi, conn: db.Connection
) -> None:
    user = sign_up(api)
    answer = _generate(api, user, variants=3, tone="playful")

    assert answer.status == 201
    body = answer.json
    assert (body["credits_charged"], body["balance"], body["provider"]) == (3, 47, "mock")
    assert len(body["assets"]) == 3
    assert len({a["content"] for a in body["assets"]}) == 3
    for asset in body["assets"]:
        assert (asset["kind"], asset["current_version"], asset["status"]) == ("text", 1, "ready")
        assert asset["asset_type"] == "ad_copy"
    # The rate-limit headers come with every AI answer.
    assert answer.headers["x-ratelimit-limit"] == "20"
    assert answer.headers["x-ratelimit-remaining"] == "19"
    assert 0 <= int(answer.headers["x-ratelimit-reset"]) <= 60
    # One debit, explained in the ledger and in usage.
    ledger = _ledger(conn, user)
    assert [(e["delta"], e["reason"]) for e in ledger] == [
        (50, "signup_grant"),
        (-3, "ai_text_generation"),
    ]
    usage = conn.execute(
        "SELECT kind, status, credits_spent, provider FROM usage_events WHERE user_id = %s",
        (user.id,),
    ).fetchall()
    assert usage == [
        {"kind": "text_generation", "status": "succeeded", "credits_spent": 3, "provider": "mock"}
    ]
    versions = api.get(f"/api/v1/assets/{body['assets'][0]['id']}/versions", token=user.token).json
    assert [v["source"] for v in versions["items"]] == ["ai_generate"]


def test_the_offline_writer_is_deterministic(api: LambdaApi) -> None:
    first = _generate(api, sign_up(api), variants=2).json["assets"]
    second = _generate(api, sign_up(api), variants=2).json["assets"]
    assert [a["content"] for a in first] == [a["content"] for a in second]


def test_copy_is_shaped_by_the_campaign(
    api: LambdaApi, conn: db.Connection, deepseek: DeepSeekDouble
) -> None:
    user = sign_up(api)
    campaign = api.post(
        "/api/v1/campaigns",
        {
            "name": "Linen",
            "audience": "city commuters",
            "brand_voice": "Breezy",
            "channels": ["instagram"],
        },
        token=user.token,
    ).json
    answer = _generate(api, user, campaign_id=campaign["id"])
    assert answer.status == 201
    assert answer.json["provider"] == "deepseek"
    assert answer.json["assets"][0]["campaign_id"] == campaign["id"]
    prompt = deepseek.requests[0]["messages"][-1]["content"]
    assert "city commuters" in prompt and "Breezy" in prompt and "instagram" in prompt
    tokens = conn.execute(
        "SELECT provider, prompt_tokens, completion_tokens FROM usage_events WHERE user_id = %s",
        (user.id,),
    ).fetchone()
    assert tokens == {"provider": "deepseek", "prompt_tokens": 120, "completion_tokens": 80}
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json["asset_count"] == 1


def test_refine_appends_version_2_and_undo_returns_to_1(api: LambdaApi) -> None:
    user = sign_up(api)
    asset = _generate(api, user).json["assets"][0]
    refined = api.post(
        "/api/v1/ai/refine",
        {"asset_id": asset["id"], "instruction": "Make it shorter"},
        token=user.token,
    )
    assert refined.status == 200
    assert (refined.json["current_version"], refined.json["credits_charged"]) == (2, 1)
    assert refined.json["content"] != asset["content"]
    undone = api.post(f"/api/v1/assets/{asset['id']}/undo", token=user.token).json
    assert (undone["current_version"], undone["content"]) == (1, asset["content"])
    history = api.get(f"/api/v1/assets/{asset['id']}/versions", token=user.token).json
    assert [v["source"] for v in history["items"]] == ["ai_refine", "ai_generate"]


def test_regenerate_writes_a_fresh_take_as_a_new_version(api: LambdaApi) -> None:
    user = sign_up(api)
    asset = _generate(api, user, asset_type="headline").json["assets"][0]
    again = api.post("/api/v1/ai/regenerate", {"asset_id": asset["id"]}, token=user.token)
    assert again.status == 200
    assert again.json["current_version"] == 2
    assert again.json["content"] != asset["content"]
    history = api.get(f"/api/v1/assets/{asset['id']}/versions", token=user.token).json
    assert [v["source"] for v in history["items"]] == ["ai_regenerate", "ai_generate"]
    assert _balance(api, user) == 48


def test_suggestions_are_distinct_and_cost_one_credit(api: LambdaApi) -> None:
    user = sign_up(api)
    for kind in ("headline", "cta", "hashtags", "angles"):
        answer = api.post(
            "/api/v1/ai/suggestions",
            {"kind": kind, "count": 7, "context": "linen shirts"},
            token=user.token,
        )
        assert answer.status == 200
        assert len(set(answer.json["suggestions"])) == 7
        assert answer.json["credits_charged"] == 1
    assert _balance(api, user) == 46


def test_refine_refuses_images_and_other_users_assets_before_charging(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    image = api.post("/api/v1/assets", {"kind": "image", "title": "Hero"}, token=owner.token).json
    text = _generate(api, owner).json["assets"][0]

    on_image = api.post(
        "/api/v1/ai/refine", {"asset_id": image["id"], "instruction": "x"}, token=owner.token
    )
    assert (on_image.status, on_image.error_code) == (409, "conflict")
    for path, body in [
        ("/api/v1/ai/refine", {"asset_id": text["id"], "instruction": "mine now"}),
        ("/api/v1/ai/regenerate", {"asset_id": text["id"]}),
        ("/api/v1/ai/refine", {"asset_id": str(uuid.uuid4()), "instruction": "x"}),
    ]:
        refused = api.post(path, body, token=stranger.token)
        assert (refused.status, refused.error_code) == (404, "not_found"), path
    assert _balance(api, owner) == 49
    assert _balance(api, stranger) == 50


def test_another_users_campaign_is_404_and_costs_nothing(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = api.post("/api/v1/campaigns", {"name": "Mine"}, token=owner.token).json
    answer = _generate(api, stranger, campaign_id=campaign["id"])
    assert answer.status == 404
    assert _balance(api, stranger) == 50


def test_short_balance_answers_402_without_calling_the_provider(
    api: LambdaApi, conn: db.Connection, deepseek: DeepSeekDouble
) -> None:
    user = sign_up(api)
    api.post("/api/v1/credits/deduct", {"amount": 49, "reason": "spend down"}, token=user.token)
    answer = _generate(api, user, variants=2)
    assert (answer.status, answer.error_code) == (402, "insufficient_credits")
    assert answer.headers["x-ratelimit-remaining"] == "19"  # on error answers too
    assert deepseek.requests == []
    assert _balance(api, user) == 1
    assert conn.execute(
        "SELECT count(*) AS n FROM assets WHERE user_id = %s", (user.id,)
    ).fetchone() == {"n": 0}


def test_a_failing_provider_refunds_and_answers_502(
    api: LambdaApi, conn: db.Connection, deepseek: DeepSeekDouble
) -> None:
    user = sign_up(api)
    deepseek.script(error(500), error(500), error(500))
    answer = _generate(api, user, variants=2)

    assert (answer.status, answer.error_code) == (502, "provider_error")
    assert len(deepseek.requests) == 3
    assert _balance(api, user) == 50
    ledger = _ledger(conn, user)
    assert [(e["delta"], e["reason"]) for e in ledger] == [
        (50, "signup_grant"),
        (-2, "ai_text_generation"),
        (2, "refund"),
    ]
    assert ledger[1]["ref_id"] == ledger[2]["ref_id"] is not None
    assert conn.execute(
        "SELECT count(*) AS n FROM assets WHERE user_id = %s", (user.id,)
    ).fetchone() == {"n": 0}
    failed = conn.execute(
        "SELECT status, provider, credits_spent FROM usage_events WHERE user_id = %s", (user.id,)
    ).fetchall()
    assert failed == [{"status": "failed", "provider": "deepseek", "credits_spent": 0}]


def test_a_refine_overtaken_by_an_edit_answers_409_and_refunds(
    api: LambdaApi, conn: db.Connection, deepseek: DeepSeekDouble
) -> None:
    # Given a refine whose provider call is slow
    user = sign_up(api)
    asset = _generate(api, user).json["assets"][0]
    deepseek.script(slow(1.0))
    with ThreadPoolExecutor(max_workers=1) as pool:
        refine = pool.submit(
            api.post,
            "/api/v1/ai/refine",
            {"asset_id": asset["id"], "instruction": "Make it shorter"},
            token=user.token,
        )
        time.sleep(0.3)
        # When the marketer edits the asset meanwhile
        edited = api.patch(f"/api/v1/assets/{asset['id']}", {"content": "Mine"}, token=user.token)
        assert edited.status == 200
        answer = refine.result(timeout=30)
    # Then the refine does not overwrite the edit: 409, and its credit comes back
    assert (answer.status, answer.error_code) == (409, "conflict")
    assert _balance(api, user) == 49  # the generate's credit only
    assert [e["reason"] for e in _ledger(conn, user)][-2:] == ["ai_refine", "refund"]
    current = api.get(f"/api/v1/assets/{asset['id']}", token=user.token).json
    assert (current["current_version"], current["content"]) == (2, "Mine")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/ai/suggestions", {"kind": "cta", "count": 3}),
        ("/api/v1/ai/refine", None),
        ("/api/v1/ai/regenerate", None),
    ],
)
def test_every_paid_path_refunds_on_provider_failure(
    api: LambdaApi, deepseek: DeepSeekDouble, path: str, body: dict[str, Any] | None
) -> None:
    user = sign_up(api)
    asset = _generate(api, user).json["assets"][0]
    before = _balance(api, user)
    deepseek.script(error(503), error(503), error(503))
    payload = body or {
        "asset_id": asset["id"],
        **({"instruction": "x"} if path.endswith("refine") else {}),
    }
    answer = api.post(path, payload, token=user.token)
    assert (answer.status, answer.error_code) == (502, "provider_error")
    assert _balance(api, user) == before
    assert api.get(f"/api/v1/assets/{asset['id']}", token=user.token).json["latest_version"] == 1


def test_the_21st_request_is_rate_limited_and_charges_nothing(
    api: LambdaApi, fresh_providers: pytest.MonkeyPatch
) -> None:
    # A day-long window: 21 requests cannot straddle two fixed windows (a minute's could).
    fresh_providers.setenv("RATE_LIMIT_AI", "20/86400")
    get_settings.cache_clear()
    reset_rate_limiter()
    user = sign_up(api)
    answers = [
        api.post("/api/v1/ai/suggestions", {"kind": "cta", "count": 1}, token=user.token)
        for _ in range(21)
    ]
    assert [a.status for a in answers[:20]] == [200] * 20
    limited = answers[20]
    assert (limited.status, limited.error_code) == (429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert _balance(api, user) == 30


def test_an_unreachable_limiter_store_answers_503_and_charges_nothing(
    api: LambdaApi, fresh_providers: pytest.MonkeyPatch
) -> None:
    user = sign_up(api)
    fresh_providers.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    reset_rate_limiter()
    answer = _generate(api, user)
    assert (answer.status, answer.error_code) == (503, "service_unavailable")
    assert _balance(api, user) == 50
    deep = api.get("/api/v1/health/ai", query={"deep": "1"})
    assert deep.status == 503
    assert deep.json["error"]["checks"]["rate_limit_store"] == "down"


def test_limits_are_kept_in_upstash_when_configured(
    api: LambdaApi, fresh_providers: pytest.MonkeyPatch, redis_url: str, redis_prefix: str
) -> None:
    user = sign_up(api)
    with upstash_bridge(redis_url) as bridge:
        fresh_providers.setenv("UPSTASH_REDIS_REST_URL", bridge.url)
        fresh_providers.setenv("UPSTASH_REDIS_REST_TOKEN", bridge.token)
        fresh_providers.setenv("RATE_LIMIT_AI", "2/60")
        fresh_providers.setenv("RATE_LIMIT_PREFIX", f"{redis_prefix}:ai")
        get_settings.cache_clear()
        reset_rate_limiter()
        statuses = [_generate(api, user).status for _ in range(3)]
        assert any(cmd[0].upper() == "EVAL" for cmd in bridge.commands)
    assert statuses == [201, 201, 429]
    assert _balance(api, user) == 48


def test_an_idempotency_key_replays_and_charges_once(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"gen-{uuid.uuid4()}"}
    first = _generate(api, user, variants=2, headers=key)
    again = _generate(api, user, variants=2, headers=key)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert again.headers["idempotent-replayed"] == "true"
    assert _balance(api, user) == 48
    other = _generate(api, user, variants=3, headers=key)
    assert (other.status, other.error_code) == (409, "conflict")


def test_concurrent_requests_with_one_key_charge_once(api: LambdaApi, conn: db.Connection) -> None:
    # Given five copies of one request sent at once, as a double-clicking client might
    user = sign_up(api)
    key = {"Idempotency-Key": f"race-{uuid.uuid4()}"}
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: _generate(api, user, variants=2, headers=key), range(5)))
    # Then one ran; each other one replayed its answer or was told it is still in progress
    ran = [a for a in answers if a.status == 201 and "idempotent-replayed" not in a.headers]
    assert len(ran) == 1
    for answer in answers:
        if answer.status == 201:
            assert answer.json == ran[0].json
        else:
            assert (answer.status, answer.error_code) == (409, "conflict")
    assert _balance(api, user) == 48
    assert conn.execute(
        "SELECT count(*) AS n FROM assets WHERE user_id = %s", (user.id,)
    ).fetchone() == {"n": 2}


def test_variants_written_together_page_one_by_one(api: LambdaApi) -> None:
    # Three variants share one created_at; the cursor must still visit each exactly once
    user = sign_up(api)
    made = {a["id"] for a in _generate(api, user, variants=3).json["assets"]}
    seen, cursor = [], None
    while True:
        query = {"limit": "1", **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/assets", token=user.token, query=query).json
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 3 and set(seen) == made


def test_a_failed_request_frees_its_key_for_a_retry(
    api: LambdaApi, deepseek: DeepSeekDouble
) -> None:
    user = sign_up(api)
    key = {"Idempotency-Key": f"retry-{uuid.uuid4()}"}
    deepseek.script(error(500), error(500), error(500))
    assert _generate(api, user, headers=key).status == 502
    retried = _generate(api, user, headers=key)
    assert retried.status == 201
    assert _balance(api, user) == 49


@pytest.mark.parametrize(
    "body",
    [
        {"prompt": "", "asset_type": "headline"},
        {"prompt": "x", "asset_type": "billboard"},
        {"prompt": "x", "asset_type": "headline", "variants": 6},
        {"prompt": "x" * 4001, "asset_type": "headline"},
        {"prompt": "x", "asset_type": "headline", "temperature": 2},
    ],
)
def test_invalid_requests_answer_422_and_charge_nothing(
    api: LambdaApi, body: dict[str, Any]
) -> None:
    user = sign_up(api)
    answer = api.post("/api/v1/ai/generate-text", body, token=user.token)
    assert (answer.status, answer.error_code) == (422, "validation_error")
    assert _balance(api, user) == 50


def test_ai_paths_need_a_token(api: LambdaApi) -> None:
    for path in ("generate-text", "suggestions", "refine", "regenerate"):
        answer = api.post(f"/api/v1/ai/{path}", {})
        assert (answer.status, answer.error_code) == (401, "unauthorized")


def test_sam_local_event(api: LambdaApi) -> None:
    user = sign_up(api)
    route, _ = api.route("POST", "/api/v1/ai/generate-text")
    answer = api.invoke(route, load_event("ai/generate_text.json", access_token=user.token))
    assert answer.status == 201
    assert len(answer.json["assets"]) == 3
