"""Answers that may be replays of an Idempotency-Key: the one place their header is set."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from asset_engine.billing.charges import Answer


def answer_response(answer: Answer) -> JSONResponse:
    """The answer as sent; a stored one replayed for its key says so (`Idempotent-Replayed`)."""
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
