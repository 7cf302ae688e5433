"""The limiter over each store: the real upstash clients through the REST bridge, redis-py, memory."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from asset_engine.config import get_settings
from asset_engine.errors import ServiceUnavailable
from asset_engine.ratelimit import RateLimiter, describe, get_rate_limiter, reset_rate_limiter
from asset_engine.ratelimit.redis_stores import redis_rate_limiter, upstash_rate_limiter
from tests.support.lambda_api import LambdaApi
from tests.support.upstash_bridge import Bridge, upstash_bridge

LimiterFactory = Callable[[int, int], RateLimiter]


@pytest.fixture(scope="module")
def bridge(redis_url: str) -> Iterator[Bridge]:
    with upstash_bridge(redis_url) as running:
        yield running


@pytest.fixture(params=["upstash", "redis"])
def make_limiter(
    request: pytest.FixtureRequest, bridge: Bridge, redis_url: str, redis_prefix: str
) -> LimiterFactory:
    prefix = f"{redis_prefix}:{uuid.uuid4().hex[:6]}"
    if request.param == "upstash":
        return lambda limit, window: upstash_rate_limiter(
            url=bridge.url, token=bridge.token, limit=limit, window_s=window, prefix=prefix
        )
    return lambda limit, window: redis_rate_limiter(
        url=redis_url, limit=limit, window_s=window, prefix=prefix
    )


def test_the_21st_request_in_a_window_is_refused(make_limiter: LimiterFactory) -> None:
    limiter = make_limiter(20, 3600)
    decisions = [limiter.hit("ai:alice") for _ in range(21)]
    assert [d.allowed for d in decisions] == [True] * 20 + [False]
    assert decisions[0].remaining == 19
    assert decisions[-1].remaining == 0
    assert 0 < decisions[-1].reset_at - time.time() <= 3600
    # Another user has a budget of their own.
    assert limiter.hit("ai:bob").remaining == 19


def test_the_window_resets(make_limiter: LimiterFactory) -> None:
    limiter = make_limiter(2, 1)
    first = [limiter.hit("ai:carol").allowed for _ in range(3)]
    time.sleep(max(0.0, limiter.hit("ai:carol").reset_at - time.time()) + 0.05)
    assert first == [True, True, False]
    assert limiter.hit("ai:carol").allowed


def test_concurrent_hits_count_exactly(make_limiter: LimiterFactory) -> None:
    limiter = make_limiter(20, 3600)
    with ThreadPoolExecutor(max_workers=16) as pool:
        decisions = list(pool.map(lambda _: limiter.hit("ai:race"), range(50)))
    assert sum(d.allowed for d in decisions) == 20


def test_the_upstash_path_really_went_through_the_rest_protocol(
    bridge: Bridge, redis_prefix: str
) -> None:
    limiter = upstash_rate_limiter(
        url=bridge.url, token=bridge.token, limit=5, window_s=60, prefix=f"{redis_prefix}:proto"
    )
    before = len(bridge.commands)
    limiter.hit("ai:dave")
    assert bridge.commands[before][0].upper() == "EVAL"


@pytest.mark.parametrize("store", ["upstash", "redis", "upstash-bad-token"])
def test_an_unreachable_store_fails_closed(store: str, bridge: Bridge) -> None:
    limiter: RateLimiter
    if store == "upstash":
        limiter = upstash_rate_limiter(
            url="http://127.0.0.1:1", token="t", limit=5, window_s=60, prefix="x"
        )
    elif store == "upstash-bad-token":
        limiter = upstash_rate_limiter(
            url=bridge.url, token="wrong", limit=5, window_s=60, prefix="x"
        )
    else:
        limiter = redis_rate_limiter(url="redis://127.0.0.1:1/0", limit=5, window_s=60, prefix="x")
    with pytest.raises(ServiceUnavailable):
        limiter.hit("ai:erin")


def test_settings_choose_the_store(
    monkeypatch: pytest.MonkeyPatch, bridge: Bridge, redis_url: str
) -> None:
    def chosen() -> str:
        get_settings.cache_clear()
        reset_rate_limiter()
        get_rate_limiter()
        return describe()

    try:
        assert chosen() == "memory"
        monkeypatch.setenv("REDIS_URL", redis_url)
        assert chosen() == "redis"
        monkeypatch.setenv("UPSTASH_REDIS_REST_URL", bridge.url)
        monkeypatch.setenv("UPSTASH_REDIS_REST_TOKEN", bridge.token)
        assert chosen() == "upstash"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_rate_limiter()


def test_the_bridge_speaks_upstash_rest_to_the_real_client(
    bridge: Bridge, redis_prefix: str
) -> None:
    # The same upstash-redis client the limiter uses: single commands, pipeline, multi-exec.
    from upstash_redis import Redis as UpstashRedis

    client = UpstashRedis(url=bridge.url, token=bridge.token, allow_telemetry=False)
    key = f"{redis_prefix}:bridge"
    assert client.set(key, "héllo")  # base64 on the wire, decoded by the client
    assert client.get(key) == "héllo"
    pipe = client.pipeline()
    pipe.incr(f"{key}:n")
    pipe.incr(f"{key}:n")
    assert pipe.exec() == [1, 2]
    tx = client.multi()
    tx.incr(f"{key}:n")
    tx.get(key)
    assert tx.exec() == [3, "héllo"]


def test_the_deep_health_check_reaches_upstash(
    monkeypatch: pytest.MonkeyPatch, api: LambdaApi, bridge: Bridge
) -> None:
    # Given the ai function on Upstash (through the REST bridge, PING as Upstash answers it)
    monkeypatch.setenv("UPSTASH_REDIS_REST_URL", bridge.url)
    monkeypatch.setenv("UPSTASH_REDIS_REST_TOKEN", bridge.token)
    get_settings.cache_clear()
    reset_rate_limiter()
    try:
        answer = api.get("/api/v1/health/ai", query={"deep": "1"})
        # Then the store answers its ping and the deep check says so
        assert answer.status == 200, answer.body
        assert answer.json["checks"]["rate_limit_store"] == "ok"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_rate_limiter()
