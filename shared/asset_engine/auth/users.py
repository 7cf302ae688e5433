"""Data access for the `users` table."""

from __future__ import annotations

import uuid
from typing import Any

from asset_engine.db import Connection

UserRow = dict[str, Any]

_COLUMNS = "id, email, name, avatar_url, google_sub, role, credits_balance, created_at, updated_at"


def get_user(conn: Connection, *, user_id: uuid.UUID) -> UserRow | None:
    return conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,)).fetchone()  # noqa: S608


def get_user_by_email(conn: Connection, *, email: str) -> UserRow | None:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM users WHERE lower(email) = lower(%s)",  # noqa: S608
        (email,),
    ).fetchone()


def get_user_by_google_sub(conn: Connection, *, google_sub: str) -> UserRow | None:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM users WHERE google_sub = %s",  # noqa: S608
        (google_sub,),
    ).fetchone()


def insert_user_if_absent(
    conn: Connection,
    *,
    email: str,
    name: str | None,
    avatar_url: str | None,
    google_sub: str | None,
) -> UserRow | None:
    """The new row, or None when the email is taken (a concurrent sign-up waits, then gets None)."""
    return conn.execute(
        f"""
        INSERT INTO users (email, name, avatar_url, google_sub)
        VALUES (%(email)s, %(name)s, %(avatar_url)s, %(google_sub)s)
        ON CONFLICT (lower(email)) DO NOTHING
        RETURNING {_COLUMNS}
        """,  # noqa: S608
        {"email": email, "name": name, "avatar_url": avatar_url, "google_sub": google_sub},
    ).fetchone()


def update_profile(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    email: str,
    name: str | None,
    avatar_url: str | None,
    google_sub: str | None,
) -> UserRow | None:
    """Refresh what the identity provider tells us; never blanks a field it did not send.
    A changed email is taken unless another user already has it."""
    return conn.execute(
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
    ).fetchone()  # fmt: skip


def set_role(conn: Connection, *, email: str, role: str) -> UserRow | None:
    return conn.execute(
        f"UPDATE users SET role = %s, updated_at = now() WHERE lower(email) = lower(%s) "  # noqa: S608
        f"RETURNING {_COLUMNS}",
        (role, email),
    ).fetchone()
