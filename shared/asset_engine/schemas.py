"""Schema building blocks shared by every area."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class StrictModel(BaseModel):
    """Request bodies reject unknown fields: a typo is a 422, not a silently ignored setting."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Page(BaseModel, Generic[T]):
    """API.md's list shape: newest first, with an opaque cursor to the next page."""

    items: list[T]
    next_cursor: str | None
