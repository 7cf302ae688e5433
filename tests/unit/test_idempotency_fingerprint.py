"""A request's idempotency fingerprint: the same request gives the same one, across releases.

Keys live 24 hours, so a key claimed before a deploy is replayed after it: the fingerprint is
pinned to known values here, and a change to how it is computed is a deliberate migration.
"""

from __future__ import annotations

import datetime
import uuid

from asset_engine.billing.idempotency import request_fingerprint

DEDUCT = "POST /api/v1/credits/deduct"


def test_the_fingerprint_is_stable_across_releases() -> None:
    assert request_fingerprint({"amount": 5, "reason": "x"}, route=DEDUCT) == (
        "b8cac63ad4db416aa17bb790d5b4b7a57ffe066959efe1ebed521c02fc184923"
    )
    body = {"asset_id": uuid.UUID(int=7), "on": datetime.date(2026, 11, 26)}
    assert request_fingerprint(body, route="POST /api/v1/ai/regenerate") == (
        "bd8585706b149b577fb62dd78ac1c58dfffbfab1aad56fc972feb78e35d36da2"
    )


def test_key_order_does_not_matter_and_the_route_does() -> None:
    one = request_fingerprint({"amount": 5, "reason": "x", "meta": {"a": 1, "b": 2}}, route=DEDUCT)
    assert one == request_fingerprint(
        {"meta": {"b": 2, "a": 1}, "reason": "x", "amount": 5}, route=DEDUCT
    )
    assert one != request_fingerprint(
        {"amount": 5, "reason": "x", "meta": {"a": 1, "b": 2}}, route="POST /api/v1/ai/refine"
    )
    assert one != request_fingerprint(
        {"amount": 6, "reason": "x", "meta": {"a": 1, "b": 2}}, route=DEDUCT
    )


def test_ids_and_dates_are_fingerprinted_as_their_text() -> None:
    as_objects = {"asset_id": uuid.UUID(int=7), "on": datetime.date(2026, 11, 26)}
    as_text = {"asset_id": str(uuid.UUID(int=7)), "on": "2026-11-26"}
    assert request_fingerprint(as_objects, route=DEDUCT) == request_fingerprint(
        as_text, route=DEDUCT
    )
