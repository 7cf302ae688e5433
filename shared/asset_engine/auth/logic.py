"""Sign-in rules: one account per Google account (else per email), created once with its grant."""

from __future__ import annotations

import dataclasses

from asset_engine.auth import users
from asset_engine.auth.google import verify_google_id_token
from asset_engine.auth.schemas import SessionPublic, UserPublic
from asset_engine.auth.tokens import issue_access_token
from asset_engine.billing import credits
from asset_engine.config import get_settings
from asset_engine.db import Connection, transaction
from asset_engine.errors import NotFound, Unauthorized


def sign_in(
    conn: Connection,
    *,
    email: str,
    name: str | None = None,
    avatar_url: str | None = None,
    google_sub: str | None = None,
) -> SessionPublic:
    """Find or create the user and mint a session.

    A Google account is known by its `sub` (its email may change); otherwise by email. A new
    user and their `signup_grant` ledger row are written in one transaction, so the grant
    happens exactly once even when two first sign-ins race.
    """
    with transaction(conn):
        known = users.get_user_by_google_sub(conn, google_sub=google_sub) if google_sub else None
        if known is None:
            created = users.insert_user_if_absent(
                conn, email=email, name=name, avatar_url=avatar_url, google_sub=google_sub
            )
            if created is not None:
                return _session(_grant_signup_credits(conn, created))
            known = users.get_user_by_email(conn, email=email)
            assert known is not None  # the insert lost to this row
            if google_sub and known.google_sub not in (None, google_sub):
                raise Unauthorized("This email belongs to another Google account.")
        user = users.update_profile(
            conn,
            user_id=known.id,
            email=email,
            name=name,
            avatar_url=avatar_url,
            google_sub=google_sub,
        )
    assert user is not None
    return _session(user)


def _grant_signup_credits(conn: Connection, user: users.User) -> users.User:
    grant = get_settings().signup_credits
    if grant <= 0:
        return user
    entry = credits.credit(conn, user_id=user.id, amount=grant, reason="signup_grant")
    return dataclasses.replace(user, credits_balance=entry.balance_after)


def _session(user: users.User) -> SessionPublic:
    token, expires_in = issue_access_token(user_id=user.id, role=user.role)
    return SessionPublic(access_token=token, expires_in=expires_in, user=UserPublic.of(user))


def sign_in_with_google(conn: Connection, *, id_token: str) -> SessionPublic:
    identity = verify_google_id_token(id_token)
    return sign_in(
        conn,
        email=identity.email,
        name=identity.name,
        avatar_url=identity.picture,
        google_sub=identity.sub,
    )


def sign_in_for_development(
    conn: Connection, *, email: str, name: str | None, code: str | None = None
) -> SessionPublic:
    """The dev-token path; its route exists only when APP_ENV is dev or test (`DevOnly`). A
    deployed dev stack (a preview) also asks for its own code (`DEV_SIGN_IN_CODE`)."""
    if not get_settings().dev_sign_in_allowed(code):
        raise Unauthorized("This stack's developer sign-in needs its code (X-Dev-Sign-In-Code).")
    return sign_in(conn, email=email, name=name)


def make_admin(conn: Connection, *, email: str) -> UserPublic:
    with transaction(conn):
        user = users.set_role(conn, email=email, role="admin")
    if user is None:
        raise NotFound(f"No user with email {email}; they must sign in once first.")
    return UserPublic.of(user)
