"""What a limiter answers, and the interface every store implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RateLimitDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # epoch seconds when the current window ends


class RateLimiter(Protocol):
    def hit(self, identifier: str) -> RateLimitDecision:
        """Count one request for `identifier`; raises ServiceUnavailable when the store is down."""
        ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""
        ...
