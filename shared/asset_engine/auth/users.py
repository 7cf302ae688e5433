"""Data access for the `users` table. Rows come back as `User`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from asset_engine.db import Connection, fetch_one

Role = Literal["user", "admin"]

_COLUMNS = "id, email, name, avatar_url, google_sub, role, credits_balance, created_at, updated_at"


@dataclass(frozen=True)
class User:
    id: uuid.UUID
    email: str
    name: str | None
    avatar_url: str | None
    google_sub: str | None
    role: Role
    credits_balance: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _one(conn: Connection, sql: str, params: Any) -> User | None:
    return fetch_one(conn, User, sql, params)


def get_user(conn: Connection, *, user_id: uuid.UUID) -> User | None:
    return _one(conn, f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))  # noqa: S608


def get_user_by_email(conn: Connection, *, email: str) -> User | None:
    return _one(
        conn,
        f"SELECT {_COLUMNS} FROM users WHERE lower(email) = lower(%s)",  # noqa: S608
        (email,),
    )


def get_user_by_google_sub(conn: Connection, *, google_sub: str) -> User | None:
    return _one(
        conn,
        f"SELECT {_COLUMNS} FROM users WHERE google_sub = %s",  # noqa: S608
        (google_sub,),
    )


def insert_user_if_absent(
    conn: Connection,
    *,
    email: str,
    name: str | None,
    avatar_url: str | None,
    google_sub: str | None,
) -> User | None:
    """The new row, or None when the email is taken (a concurrent sign-up waits, then gets None)."""
    return _one(
        conn,
        f"""
        INSERT INTO users (email, name, avatar_url, google_sub)
        VALUES (%(email)s, %(name)s, %(avatar_url)s, %(google_sub)s)
        ON CONFLICT (lower(email)) DO NOTHING
        RETURNING {_COLUMNS}
        """,  # noqa: S608
        {"email": email, "name": name, "avatar_url": avatar_url, "google_sub": google_sub},
    )


def update_profile(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    email: str,
    name: str | None,
    avatar_url: str | None,
    google_sub: str | None,
) -> User | None:
    """Refresh what the identity provider tells us; never blanks a field it did not send.
    A changed email is taken unless another user already has it."""
    return _one(
        conn,
        f"""
        UPDATE users SET
            email = CASE WHEN EXISTS (
                        SELECT 1 FROM users other
                        WHERE lower(other.email) = lower(%(email)s) AND other.id <> users.id
                    ) THEN email ELSE %(email)s END,
            name = COALESCE(%(name)s, name),
            avatar_url = COALESCE(%(avatar_url)s, avatar_url),
            google_sub = COALESCE(google_sub, %(google_sub)s),
            updated_at = now()
        WHERE id = %(user_id)s
        RETURNING {_COLUMNS}
        """,  # noqa: S608
        {"user_id": user_id, "email": email, "name": name, "avatar_url": avatar_url,
         "google_sub": google_sub},
    )  # fmt: skip


def set_role(conn: Connection, *, email: str, role: Role) -> User | None:
    return _one(
        conn,
        f"UPDATE users SET role = %s, updated_at = now() WHERE lower(email) = lower(%s) "  # noqa: S608
        f"RETURNING {_COLUMNS}",
        (role, email),
    )
