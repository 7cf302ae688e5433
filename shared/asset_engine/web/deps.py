"""Dependencies routes declare by type: `Conn`, `CurrentUser`, `SignedInUserId`, `AdminUser`,
`ListParams`.

They are `async def` although they block on the database: an invocation serves exactly one
request on an event loop of its own (a Lambda container, or one gateway thread), so blocking
that loop delays nobody, and it saves FastAPI a thread hop per dependency (about a fifth of
the per-request overhead, measured with bench/deduct.py).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError

from asset_engine import db
from asset_engine.auth import users
from asset_engine.auth.tokens import AccessClaims, verify_access_token
from asset_engine.config import get_settings
from asset_engine.errors import ACCOUNT_GONE, Forbidden, NotFound, Unauthorized
from asset_engine.observability import logger
from asset_engine.pagination import MAX_CURSOR_LENGTH, Cursor, InvalidCursor


async def _connection(request: Request) -> AsyncIterator[db.Connection]:
    with db.checkout() as conn:
        request.state.connection = conn  # lent to `CurrentUser`, so one request uses one
        try:
            yield conn
        finally:
            request.state.connection = None


Conn = Annotated[db.Connection, Depends(_connection)]


Authorization = Annotated[str | None, Header(include_in_schema=False)]


def _bearer_claims(authorization: str | None) -> AccessClaims:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send 'Authorization: Bearer <access_token>'.")
    return verify_access_token(token.strip())


async def _current_user(request: Request, authorization: Authorization = None) -> users.User:
    claims = _bearer_claims(authorization)
    # Read the row on every request: a deleted user or a changed role takes effect at once.
    # Routes that call outside services take no `Conn`: the user is read on a connection
    # checked out for this read alone, so none is held while the provider answers. A route
    # that takes `Conn` lists it before `CurrentUser` (dependencies resolve in order), so the
    # read uses the request's connection: one checkout, and the read is its first round trip.
    lent: db.Connection | None = getattr(request.state, "connection", None)
    if lent is not None:
        user = users.get_user(lent, user_id=claims.user_id)
    else:
        user = db.read(lambda conn: users.get_user(conn, user_id=claims.user_id))
    if user is None:
        raise Unauthorized(ACCOUNT_GONE)
    logger.append_keys(user_id=str(user.id))
    return user


CurrentUser = Annotated[users.User, Depends(_current_user)]


async def _signed_in_user_id(authorization: Authorization = None) -> uuid.UUID:
    """Who is asking, from the token alone, for a route whose own first statement finds the
    user's row anyway and answers ACCOUNT_GONE when it is not there (a deduction's debit):
    the row is not read a second time first. Roles are not known here."""
    claims = _bearer_claims(authorization)
    logger.append_keys(user_id=str(claims.user_id))
    return claims.user_id


SignedInUserId = Annotated[uuid.UUID, Depends(_signed_in_user_id)]


async def _admin_user(user: CurrentUser) -> users.User:
    if not user.is_admin:
        raise Forbidden("Only an admin may do that.")
    return user


AdminUser = Annotated[users.User, Depends(_admin_user)]


async def _require_dev_environment() -> None:
    # A dependency, so it answers before the body is validated: elsewhere the path does not exist.
    if not get_settings().is_dev_like:
        raise NotFound("Not found.")


DevOnly = Depends(_require_dev_environment)


@dataclass(frozen=True)
class ListQuery:
    limit: int
    cursor: Cursor | None


async def _list_query(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)] = None,
) -> ListQuery:
    try:
        return ListQuery(limit=limit, cursor=Cursor.decode(cursor) if cursor else None)
    except InvalidCursor as exc:
        raise RequestValidationError(
            [{"loc": ("query", "cursor"), "msg": str(exc), "type": "value_error"}]
        ) from exc


ListParams = Annotated[ListQuery, Depends(_list_query)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",  # visible ASCII, as HTTP headers carry and Postgres stores
        description="Same key from the same user within 24 h: the first answer again, charged once.",
    ),
]
