"""Parsing of request headers that carry domain values."""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError

from asset_engine.schemas import INT32_MAX


def if_match_version(value: str | None) -> int | None:
    """`If-Match: 3`, `"3"` or `W/"3"` -> 3; anything else is a 422."""
    if value is None:
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    # ASCII digits only ("²".isdigit() is true), and within the version column's `integer`.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) <= INT32_MAX):
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
