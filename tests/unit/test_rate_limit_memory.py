"""The embedded default's limiter: a fixed window in process memory, safe across threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from asset_engine.ratelimit.memory import MemoryRateLimiter


def test_the_limit_holds_within_a_window_and_users_are_separate() -> None:
    limiter = MemoryRateLimiter(limit=3, window_s=3600)
    decisions = [limiter.hit("ai:alice") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert limiter.hit("ai:bob").allowed
    assert decisions[0].reset_at % 3600 == 0


def test_concurrent_hits_count_exactly() -> None:
    limiter = MemoryRateLimiter(limit=20, window_s=60)
    with ThreadPoolExecutor(max_workers=16) as pool:
        allowed = sum(d.allowed for d in pool.map(lambda _: limiter.hit("ai:race"), range(50)))
    assert allowed == 20
