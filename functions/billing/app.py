"""The billing function: credits balance, ledger, admin grants, deductions, usage, and buying
credits (packs and Stripe Checkout)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from mangum import Mangum
from mangum.types import LambdaContext

from asset_engine.billing import credits, logic, purchases
from asset_engine.billing.schemas import (
    BalanceChange,
    BalancePublic,
    CheckoutCreate,
    CheckoutSession,
    CreditsAdd,
    CreditsDeduct,
    LedgerEntry,
    PackPublic,
    Prices,
    UsageSummary,
)
from asset_engine.errors import ACCOUNT_GONE, Unauthorized
from asset_engine.observability import CORRELATION_ID_PATH, logger, metrics, tracer
from asset_engine.schemas import Page
from asset_engine.web.answers import answer_response
from asset_engine.web.deps import (
    AdminUser,
    Conn,
    CurrentUser,
    IdempotencyKey,
    ListParams,
    SignedInUserId,
)
from asset_engine.web.factory import create_app

router = APIRouter(prefix="/api/v1", tags=["billing"])


# `owed` only while something is owed. One read: the account's row is the user's.
@router.get("/credits/balance", response_model=BalancePublic, response_model_exclude_none=True)
async def balance(conn: Conn, user_id: SignedInUserId) -> BalancePublic:
    account = credits.account(conn, user_id=user_id)
    if account is None:
        raise Unauthorized(ACCOUNT_GONE)
    return BalancePublic(balance=account.credits_balance, owed=account.credits_owed or None)


@router.post("/credits/add", response_model=BalanceChange)
async def add(body: CreditsAdd, conn: Conn, admin: AdminUser) -> BalanceChange:
    return logic.add_credits(conn, admin=admin, body=body)


@router.post("/credits/deduct", response_model=BalanceChange)
async def deduct(
    body: CreditsDeduct,
    conn: Conn,
    user_id: SignedInUserId,  # the debit's own statement finds the user's row (one round trip)
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return answer_response(
        logic.deduct_credits(conn, user_id=user_id, body=body, idempotency_key=idempotency_key)
    )


@router.get("/credits/ledger", response_model=Page[LedgerEntry])
async def ledger(conn: Conn, user: CurrentUser, page: ListParams) -> Page[LedgerEntry]:
    items, next_cursor = logic.ledger_page(
        conn, user_id=user.id, limit=page.limit, cursor=page.cursor
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/credits/prices", response_model=Prices)
async def prices(_user: CurrentUser) -> Prices:
    return logic.prices()


# `credits_purchased` only where something was bought.
@router.get("/usage/summary", response_model=UsageSummary, response_model_exclude_none=True)
async def usage_summary(
    conn: Conn, user: CurrentUser, days: Annotated[int, Query(ge=1, le=365)] = 30
) -> UsageSummary:
    return logic.usage_summary(conn, user_id=user.id, days=days)


@router.get("/credits/packs", response_model=list[PackPublic])
async def packs(_user: CurrentUser) -> list[PackPublic]:
    return purchases.packs_on_sale()


# No `Conn`: none is held while Stripe answers.
@router.post("/credits/checkout", response_model=CheckoutSession, status_code=201)
async def checkout(
    body: CheckoutCreate, user: CurrentUser, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    return answer_response(
        purchases.start_checkout(user=user, body=body, idempotency_key=idempotency_key)
    )


app = create_app(service="billing", routers=[router])
asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=CORRELATION_ID_PATH, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asgi(event, context)
