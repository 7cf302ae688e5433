"""What the functions answer for a token: expired, of a deleted user, in another scheme."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.auth.tokens import ALGORITHM, issue_access_token
from asset_engine.config import get_settings
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi

NO_ACCOUNT = "The account behind this token no longer exists."
SEND_BEARER = "Send 'Authorization: Bearer <access_token>'."


def _me(api: LambdaApi, authorization: str | None) -> Answer:
    headers = {"authorization": authorization} if authorization is not None else None
    return api.get("/api/v1/me", headers=headers)


def _unauthorized(answer: Answer) -> str:
    assert (answer.status, answer.error_code) == (401, "unauthorized"), answer.body
    return str(answer.json["error"]["message"])


def test_a_session_lives_as_long_as_the_setting(api: LambdaApi) -> None:
    answer = api.post("/api/v1/dev-token", {"email": f"ttl-{uuid.uuid4().hex[:8]}@example.com"})
    settings = get_settings()
    assert answer.json["expires_in"] == settings.access_token_ttl_s
    claims = jwt.decode(
        answer.json["access_token"],
        settings.secret_key,
        algorithms=[ALGORITHM],
        audience=settings.jwt_audience,
    )
    assert claims["exp"] - claims["iat"] == settings.access_token_ttl_s


def test_an_expired_token_is_401_with_its_own_message(api: LambdaApi) -> None:
    user = sign_up(api)
    token, _ = issue_access_token(
        user_id=uuid.UUID(user.id), role="user", now=time.time() - 13 * 3600
    )
    assert _unauthorized(_me(api, f"Bearer {token}")) == (
        "The access token has expired; sign in again."
    )


def _erase_account(conn: db.Connection, user: SignedUp) -> None:
    """Delete the user as an operator erasing an account would: the ledger's append-only
    trigger is stepped around."""
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute("DELETE FROM credit_ledger WHERE user_id = %s", (user.id,))
        conn.execute("DELETE FROM users WHERE id = %s", (user.id,))


def test_a_deleted_users_token_is_401_not_500(api: LambdaApi, conn: db.Connection) -> None:
    # Given a user with a valid token, then deleted (the ledger's append-only trigger is
    # stepped around, as an operator erasing an account would)
    user = sign_up(api)
    _erase_account(conn, user)
    # Then the token opens nothing, on a path that reads the user row and on one that reads
    # only the account's balance
    assert _unauthorized(_me(api, f"Bearer {user.token}")) == NO_ACCOUNT
    balance = api.get("/api/v1/credits/balance", token=user.token)
    assert _unauthorized(balance) == NO_ACCOUNT


@pytest.mark.parametrize("key", [None, "deduct-after-deletion"])
def test_a_deleted_users_token_cannot_deduct(
    api: LambdaApi, conn: db.Connection, key: str | None
) -> None:
    # Given a deleted user's valid token (a deduction reads no user row before its debit)
    user = sign_up(api)
    _erase_account(conn, user)
    # When it deducts, with or without an Idempotency-Key
    headers = {"Idempotency-Key": key} if key else None
    answer = api.post(
        "/api/v1/credits/deduct", {"amount": 1, "reason": "x"}, token=user.token, headers=headers
    )
    # Then the debit's own statement refuses it as the other routes do, leaving nothing behind
    assert _unauthorized(answer) == NO_ACCOUNT
    for table in ("credit_ledger", "usage_events", "idempotency_keys"):
        left = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE user_id = %s", (user.id,))
        assert left.fetchone() == {"n": 0}, table


def test_only_the_bearer_scheme_is_accepted(api: LambdaApi) -> None:
    user = sign_up(api)
    for authorization in (
        f"Basic {user.token}",
        f"Token {user.token}",
        user.token,
        "Bearer",
        "Bearer    ",
        "",
    ):
        assert _unauthorized(_me(api, authorization)) == SEND_BEARER, authorization
    assert _unauthorized(_me(api, None)) == SEND_BEARER


def test_the_scheme_is_case_insensitive_and_spaces_around_the_token_are_ignored(
    api: LambdaApi,
) -> None:
    user = sign_up(api)
    for authorization in (f"bearer {user.token}", f"BEARER {user.token} ", f"Bearer  {user.token}"):
        answer = _me(api, authorization)
        assert (answer.status, answer.json["id"]) == (200, user.id), authorization


def test_the_users_row_decides_the_role_not_the_token(api: LambdaApi, conn: db.Connection) -> None:
    # A token claiming admin for a plain user opens no admin path
    user = sign_up(api)
    forged_role, _ = issue_access_token(user_id=uuid.UUID(user.id), role="admin")
    grant = {"amount": 5, "reason": "gift"}
    refused = api.post("/api/v1/credits/add", grant, token=forged_role)
    assert (refused.status, refused.error_code) == (403, "forbidden")
    assert refused.json["error"]["message"] == "Only an admin may do that."
    # and a user made admin is one at once, with the token they already hold
    make_admin(conn, email=user.user["email"])
    granted = api.post("/api/v1/credits/add", grant, token=user.token)
    assert (granted.status, granted.json["balance"]) == (200, 55)


@pytest.fixture
def one_connection_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A pool of one connection, as each Lambda container has (DB_POOL_SIZE=1)."""
    monkeypatch.setenv("DB_POOL_SIZE", "1")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT_S", "2")
    get_settings.cache_clear()
    db.close_pool()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    db.close_pool()


@pytest.mark.usefixtures("one_connection_pool")
def test_the_user_behind_a_token_is_read_on_the_requests_own_connection(api: LambdaApi) -> None:
    # With one connection per container, a route that holds the request's connection must
    # read the token's user on that same connection, or wait for itself until it gives up
    user = sign_up(api)
    for _ in range(2):
        balance = api.get("/api/v1/credits/balance", token=user.token)
        assert (balance.status, balance.json["balance"]) == (200, 50)
    me = api.get("/api/v1/me", token=user.token)
    assert (me.status, me.json["id"]) == (200, user.id)


def test_outside_dev_the_dev_token_path_is_a_plain_404(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", "prod")
    get_settings.cache_clear()
    try:
        answer = api.post("/api/v1/dev-token", {"email": "x@example.com"})
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert (answer.status, answer.json["error"]["message"]) == (404, "Not found.")


@contextlib.contextmanager
def _log_lines() -> Iterator[list[dict[str, Any]]]:
    """The JSON log lines written inside the block."""
    from asset_engine.observability import logger

    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    lines: list[dict[str, Any]] = []
    # Swapped without setStream, which flushes the old stream (closed under some runners)
    stream, handler.stream = handler.stream, written
    try:
        yield lines
    finally:
        handler.stream = stream
        lines += [
            json.loads(line) for line in written.getvalue().splitlines() if line.startswith("{")
        ]


def _a_bug(*args: object, **kwargs: object) -> None:
    """Stands in for a function of ours that fails unexpectedly."""
    raise KeyError("a bug")


def test_every_log_line_of_a_request_names_its_user(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A request that fails after its charge logs a warning; the line carries the user's id
    from asset_engine.ai import logic as ai_logic

    user = sign_up(api)
    monkeypatch.setattr(ai_logic, "write_copy", _a_bug)
    with _log_lines() as logged:
        answer = api.post(
            "/api/v1/ai/generate-text", {"prompt": "x", "asset_type": "tagline"}, token=user.token
        )
    assert answer.status == 500
    refunding = [line for line in logged if line.get("message") == "AI request failed; refunding"]
    assert [line.get("user_id") for line in refunding] == [user.id]


def test_a_deductions_log_lines_name_its_user_from_the_token(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A deduction reads no user row (SignedInUserId): its lines still name the user
    from asset_engine.billing import credits

    user = sign_up(api)
    monkeypatch.setattr(credits, "debit", _a_bug)
    with _log_lines() as logged:
        answer = api.post("/api/v1/credits/deduct", {"amount": 1, "reason": "x"}, token=user.token)
    assert answer.status == 500
    unhandled = [line for line in logged if line.get("message") == "unhandled error"]
    assert [line.get("user_id") for line in unhandled] == [user.id]
