"""Parsing of request headers that carry domain values."""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError


def if_match_version(value: str | None) -> int | None:
    """`If-Match: 3`, `"3"` or `W/"3"` -> 3; anything else is a 422."""
    if value is None:
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise RequestValidationError(
            [
                {
                    "loc": ("header", "If-Match"),
                    "msg": "If-Match must be a version number",
                    "type": "value_error",
                }
            ]
        )
    return int(raw)
