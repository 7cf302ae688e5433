"""upstash-ratelimit's fixed window over Upstash's REST API, or over a plain Redis.

Both stores run the very same limiter (upstash_ratelimit.FixedWindow): for a self-hosted
Redis, a small adapter gives redis-py the one method the limiter calls, `eval`.
"""

from __future__ import annotations

from typing import Any

import httpx
import redis
from upstash_ratelimit import FixedWindow, Ratelimit
from upstash_redis import Redis as UpstashRedis
from upstash_redis.errors import UpstashError

from asset_engine.errors import ServiceUnavailable
from asset_engine.ratelimit.decision import RateLimitDecision

# A dead store must not eat the Lambda's 29 s: fail fast, then fail closed.
STORE_TIMEOUT_S = 2.0
_STORE_ERRORS = (httpx.HTTPError, UpstashError, redis.RedisError, OSError, ValueError)


class FixedWindowLimiter:
    def __init__(self, ratelimit: Ratelimit, ping: Any) -> None:
        self._ratelimit = ratelimit
        self._ping = ping

    def hit(self, identifier: str) -> RateLimitDecision:
        try:
            answer = self._ratelimit.limit(identifier)
        except _STORE_ERRORS as exc:
            raise ServiceUnavailable(
                "Rate limiting is unavailable right now; nothing was charged. Try again shortly."
            ) from exc
        return RateLimitDecision(
            allowed=answer.allowed,
            limit=answer.limit,
            remaining=answer.remaining,
            reset_at=answer.reset,
        )

    def ping(self) -> None:
        self._ping()


def upstash_rate_limiter(
    *, url: str, token: str, limit: int, window_s: int, prefix: str
) -> FixedWindowLimiter:
    client = UpstashRedis(url=url, token=token, rest_retries=0, allow_telemetry=False)
    # upstash-redis builds its httpx client with no timeout at all; give it one.
    client._http._client = httpx.Client(timeout=STORE_TIMEOUT_S)
    ratelimit = Ratelimit(
        redis=client, limiter=FixedWindow(max_requests=limit, window=window_s), prefix=prefix
    )
    return FixedWindowLimiter(ratelimit, ping=client.ping)


class _RedisScripts:
    """The slice of upstash_redis.Redis that upstash-ratelimit calls, over redis-py."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def eval(
        self, script: str, keys: list[str] | None = None, args: list[Any] | None = None
    ) -> Any:
        keys, args = keys or [], args or []
        return self._client.eval(_without_shebang(script), len(keys), *keys, *args)


def _without_shebang(script: str) -> str:
    # The limiter's scripts open with "#!lua flags=allow-key-locking", which Redis before 7.2
    # refuses; the flag only matters to Upstash, so plain Redis runs the script without it.
    first, _, rest = script.lstrip().partition("\n")
    return rest if first.startswith("#!") else script


def redis_rate_limiter(*, url: str, limit: int, window_s: int, prefix: str) -> FixedWindowLimiter:
    client = redis.Redis.from_url(
        url, socket_timeout=STORE_TIMEOUT_S, socket_connect_timeout=STORE_TIMEOUT_S
    )
    ratelimit = Ratelimit(
        redis=_RedisScripts(client),  # type: ignore[arg-type]
        limiter=FixedWindow(max_requests=limit, window=window_s),
        prefix=prefix,
    )

    def ping() -> None:
        client.ping()

    return FixedWindowLimiter(ratelimit, ping=ping)
