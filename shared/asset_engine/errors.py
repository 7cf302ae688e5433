"""Domain exceptions. Logic raises these; `asset_engine.web.envelope` maps them to API.md's envelope."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error the API answers on purpose, with its status and envelope code."""

    status_code = 500
    code = "internal"
    default_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        self.message = message or self.default_message
        self.extra = extra  # added to the envelope's "error" object (e.g. allowed_next)
        super().__init__(self.message)

    @property
    def headers(self) -> dict[str, str]:
        return {}


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    default_message = "Sign in again: the access token is missing, invalid or expired."


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    default_message = "You are not allowed to do that."


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    default_message = "That conflicts with the current state."


class InsufficientCredits(AppError):
    status_code = 402
    code = "insufficient_credits"
    default_message = "Not enough credits."


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    default_message = "Too many requests; try again shortly."

    def __init__(self, message: str | None = None, *, retry_after_s: int, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.retry_after_s = max(1, retry_after_s)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class ProviderError(AppError):
    status_code = 502
    code = "provider_error"
    default_message = "The AI provider failed; any credits taken were refunded."


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    default_message = "A backing service is unavailable; nothing was charged. Try again shortly."
