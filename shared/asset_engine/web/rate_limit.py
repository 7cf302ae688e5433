"""`AiRateLimit`: one budget per user for the AI route group, counted before anything is charged
and only for requests that will run: a body that fails validation (the 422 that follows)
spends nothing.
"""

from __future__ import annotations

import email.message
import json
import math
import time
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.dependencies.utils import request_body_to_args
from fastapi.routing import APIRoute

from asset_engine.config import get_settings
from asset_engine.errors import RateLimited, ServiceUnavailable
from asset_engine.ratelimit import RateLimitDecision, get_rate_limiter
from asset_engine.web.deps import CurrentUser


async def _body_will_validate(request: Request) -> bool:
    """Whether FastAPI will accept this request's body: the same parse, the same validation.

    Dependencies run before FastAPI validates the body, so a limit counted in one would charge
    the budget for requests that are then refused."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.dependant.body_params:
        return True
    raw = await request.body()  # Starlette keeps it: FastAPI reads the same bytes next
    received: Any = None
    if raw:
        received = raw
        content_type = request.headers.get("content-type")
        if content_type:
            message = email.message.Message()
            message["content-type"] = content_type
            subtype = message.get_content_subtype()
            if message.get_content_maintype() == "application" and (
                subtype == "json" or subtype.endswith("+json")
            ):
                try:
                    received = json.loads(raw)
                except (ValueError, RecursionError):
                    return False
    _, errors = await request_body_to_args(
        route.dependant.body_params,
        received,
        embed_body_fields=bool(getattr(route, "_embed_body_fields", False)),
    )
    return not errors


def _headers(limit: int, remaining: int, reset_in: int) -> dict[str, str]:
    # On every AI answer, errors included. Reset is in seconds from now (as Retry-After is).
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset_in),
    }


async def _ai_rate_limit(request: Request, user: CurrentUser) -> RateLimitDecision | None:
    if not await _body_will_validate(request):
        return None  # FastAPI answers the 422 next; the route never runs
    try:
        decision = get_rate_limiter().hit(f"ai:{user.id}")
    except ServiceUnavailable:
        # Fail closed, and still say what the limit is: no budget can be promised now.
        limit, window_s = get_settings().rate_limit
        request.state.extra_headers.update(_headers(limit, 0, window_s))
        raise
    reset_in = max(0, math.ceil(decision.reset_at - time.time()))
    request.state.extra_headers.update(_headers(decision.limit, decision.remaining, reset_in))
    if not decision.allowed:
        raise RateLimited(
            f"Too many AI requests: {decision.limit} per window. Try again in {reset_in} s.",
            retry_after_s=reset_in,
        )
    return decision


AiRateLimit = Annotated[RateLimitDecision | None, Depends(_ai_rate_limit)]
