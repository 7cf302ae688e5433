"""Schema building blocks shared by every area.

Every request model takes its input through these types, so what the database and the JSON
encoder cannot hold is refused once, here, as a 422:

- `Text`: a string without NUL (Postgres `text` refuses it) or lone surrogates (not UTF-8),
  and never longer than `MAX_TEXT` whatever its field says.
- `JsonObject`: a small, shallow object whose strings are `Text`-clean (jsonb refuses
  `\\u0000`; a deep object fails to serialize on the way out).
- `Int32`: a strict integer (JSON `1.0`, `"5"` and `true` are refused) within Postgres
  `integer`; fields narrow it with `Field(ge=..., le=...)`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict

T = TypeVar("T")

MAX_TEXT = 100_000
INT32_MAX = 2**31 - 1
JSON_MAX_DEPTH = 8
JSON_MAX_BYTES = 16 * 1024


class StrictModel(BaseModel):
    """Request bodies reject unknown fields: a typo is a 422, not a silently ignored setting."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def storable_text_problem(value: str) -> str | None:
    """Why `value` cannot be stored or sent as text, or None when it can."""
    if "\x00" in value:
        return "must not contain the NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode (no lone surrogates)"
    return None


def _storable_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValueError(f"must be at most {MAX_TEXT} characters")
    problem = storable_text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Text = Annotated[str, AfterValidator(_storable_text)]
"""Every free-text request field: `name: Text = Field(min_length=1, max_length=200)`."""


def _small_json_object(value: Any) -> Any:
    """Checked before pydantic walks it, iteratively: no recursion however deep the input."""
    if not isinstance(value, dict):
        return value  # pydantic's own type check answers
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > JSON_MAX_DEPTH:
            raise ValueError(f"must be nested at most {JSON_MAX_DEPTH} levels deep")
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in children:
            for text in (key, child) if isinstance(key, str) else (child,):
                if isinstance(text, str) and (problem := storable_text_problem(text)):
                    raise ValueError(f"a string in it {problem}")
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    if len(json.dumps(value)) > JSON_MAX_BYTES:
        raise ValueError(f"must be at most {JSON_MAX_BYTES // 1024} KB as JSON")
    return value


JsonObject = Annotated[dict[str, Any], BeforeValidator(_small_json_object)]
"""A free-form JSON object field (asset metadata), capped in depth and size."""


def _within_int32(value: int) -> int:
    if not -(2**31) <= value <= INT32_MAX:
        raise ValueError("is out of range")
    return value


Int32 = Annotated[int, Strict(), AfterValidator(_within_int32)]
"""Every integer request field: strict, within Postgres `integer` even where a field forgets
its bounds; each field states its own: `amount: Int32 = Field(ge=1, le=1_000_000)`."""


class Page(BaseModel, Generic[T]):
    """API.md's list shape: newest first, with an opaque cursor to the next page."""

    items: list[T]
    next_cursor: str | None
