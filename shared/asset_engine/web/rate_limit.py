"""`AiRateLimit`: one budget per user for the AI route group, counted before anything is charged."""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request

from asset_engine.errors import RateLimited
from asset_engine.ratelimit import RateLimitDecision, get_rate_limiter
from asset_engine.web.deps import CurrentUser


def _ai_rate_limit(request: Request, user: CurrentUser) -> RateLimitDecision:
    decision = get_rate_limiter().hit(f"ai:{user['id']}")
    reset_in = max(0, math.ceil(decision.reset_at - time.time()))
    # On every AI answer, errors included. Reset is in seconds from now (as Retry-After is).
    request.state.extra_headers.update(
        {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
            "X-RateLimit-Reset": str(reset_in),
        }
    )
    if not decision.allowed:
        raise RateLimited(
            f"Too many AI requests: {decision.limit} per window. Try again in {reset_in} s.",
            retry_after_s=reset_in,
        )
    return decision


AiRateLimit = Annotated[RateLimitDecision, Depends(_ai_rate_limit)]
