"""Domain exceptions: each says what went wrong, nothing about HTTP.

Logic raises these; `asset_engine.web.envelope` holds the one table that answers each with
its status and API.md's envelope code.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error the API answers on purpose (its message and any details reach the client)."""

    default_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        self.message = message or self.default_message
        self.extra = extra  # added to the envelope's "error" object (e.g. allowed_next)
        super().__init__(self.message)


class InvalidRequest(AppError):
    """The request cannot be acted on as sent (beyond what its schema checks)."""

    default_message = "The request is not valid."


class InvalidField(InvalidRequest):
    """A field that is valid alone but not with what is stored (`loc` names it, as a schema
    error's details do)."""

    def __init__(self, message: str, *, loc: list[str]) -> None:
        super().__init__(message, details=[{"loc": loc, "msg": message}])


class Unauthorized(AppError):
    default_message = "Sign in again: the access token is missing, invalid or expired."


# A valid token whose account has since been deleted.
ACCOUNT_GONE = "The account behind this token no longer exists."


class Forbidden(AppError):
    default_message = "You are not allowed to do that."


class NotFound(AppError):
    default_message = "Not found."


class Conflict(AppError):
    default_message = "That conflicts with the current state."


class InsufficientCredits(AppError):
    default_message = "Not enough credits."


class TooLarge(AppError):
    """What was asked for is larger than one answer can carry."""

    default_message = "That is too large to send in one answer."


class RateLimited(AppError):
    default_message = "Too many requests; try again shortly."

    def __init__(self, message: str | None = None, *, retry_after_s: int, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.retry_after_s = max(1, retry_after_s)


class ProviderError(AppError):
    default_message = "The AI provider failed; any credits taken were refunded."


class ServiceUnavailable(AppError):
    default_message = "A backing service is unavailable; nothing was charged. Try again shortly."
