"""Per-user rate limits: one fixed-window limiter over the store the settings choose.

Upstash (REST) when UPSTASH_REDIS_REST_URL/_TOKEN are set, a plain Redis for REDIS_URL, and
in-process counters for the embedded default. A store that cannot be reached fails closed:
`hit` raises ServiceUnavailable, so nothing is charged.
"""

from __future__ import annotations

from asset_engine.built_once import BuiltOnce
from asset_engine.config import get_settings
from asset_engine.observability import logger
from asset_engine.ratelimit.decision import RateLimitDecision, RateLimiter

__all__ = [
    "RateLimitDecision",
    "RateLimiter",
    "check_store",
    "describe",
    "get_rate_limiter",
    "reset_rate_limiter",
]


def describe() -> str:
    settings = get_settings()
    if settings.uses_upstash:
        return "upstash"
    if settings.redis_url:
        return "redis"
    return "memory"


def _build() -> RateLimiter:
    settings = get_settings()
    limit, window_s = settings.rate_limit
    store = describe()
    if store == "memory":
        from asset_engine.ratelimit.memory import MemoryRateLimiter

        logger.info("rate limits kept in process memory (set UPSTASH_REDIS_REST_URL or REDIS_URL)")
        return MemoryRateLimiter(limit=limit, window_s=window_s)

    from asset_engine.ratelimit.redis_stores import redis_rate_limiter, upstash_rate_limiter

    if store == "upstash":
        assert settings.upstash_redis_rest_url and settings.upstash_redis_rest_token
        return upstash_rate_limiter(
            url=settings.upstash_redis_rest_url,
            token=settings.upstash_redis_rest_token,
            limit=limit,
            window_s=window_s,
            prefix=settings.rate_limit_prefix,
        )
    assert settings.redis_url
    return redis_rate_limiter(
        url=settings.redis_url, limit=limit, window_s=window_s, prefix=settings.rate_limit_prefix
    )


_limiter: BuiltOnce[RateLimiter] = BuiltOnce(_build)
get_rate_limiter = _limiter.get  # the container's limiter
reset_rate_limiter = _limiter.reset  # tests that change the settings


def check_store() -> None:
    """Deep health check: raises when the limiter's store cannot be reached."""
    get_rate_limiter().ping()
