"""The embedded default: fixed-window counters in process memory (one process, no Redis)."""

from __future__ import annotations

import threading
import time

from asset_engine.ratelimit.decision import RateLimitDecision


class MemoryRateLimiter:
    def __init__(self, *, limit: int, window_s: int) -> None:
        self._limit = limit
        self._window_s = window_s
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()  # the local gateway serves requests in parallel threads

    def hit(self, identifier: str) -> RateLimitDecision:
        window = int(time.time() // self._window_s)
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
            count = self._counts.get((identifier, window), 0) + 1
            self._counts[(identifier, window)] = count
        return RateLimitDecision(
            allowed=count <= self._limit,
            limit=self._limit,
            remaining=max(0, self._limit - count),
            reset_at=float((window + 1) * self._window_s),
        )

    def ping(self) -> None:
        return None
