"""Opaque keyset cursors for newest-first lists: (created_at, id) of the last row shown."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

MAX_CURSOR_LENGTH = 200


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), str(self.id)]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        # Ours are about 110 characters; anything much longer (say a deeply nested value that
        # would exhaust the JSON parser's recursion) is refused before it is parsed.
        if len(token) > MAX_CURSOR_LENGTH:
            raise InvalidCursor("cursor is not one this API gave out")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            created_at, row_id = json.loads(raw)
            if not (isinstance(created_at, str) and isinstance(row_id, str)):
                raise TypeError("cursor fields are strings")
            at = datetime.fromisoformat(created_at)
            if at.tzinfo is None:
                raise ValueError("cursor times carry their zone")
            return cls(at, uuid.UUID(row_id))
        except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
            raise InvalidCursor("cursor is not one this API gave out") from exc


class Listed(Protocol):
    """A row of a newest-first list: what its cursor is made of."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> uuid.UUID: ...


RowT = TypeVar("RowT", bound=Listed)


def page_of(rows: list[RowT], limit: int) -> tuple[list[RowT], str | None]:
    """Split `limit + 1` fetched rows into the page and the cursor of the next one."""
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], Cursor(last.created_at, last.id).encode()
