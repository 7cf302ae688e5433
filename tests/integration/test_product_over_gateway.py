"""The product as a client sees it: real HTTP through the local gateway to every function."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asset_engine.local.gateway import LocalGateway
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[httpx.Client]:
    with (
        serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url,
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        yield http


def _sign_up(client: httpx.Client) -> dict[str, str]:
    session = client.post(
        "/api/v1/dev-token", json={"email": f"gw-{uuid.uuid4().hex[:8]}@example.com"}
    )
    return {"Authorization": f"Bearer {session.json()['access_token']}"}


def test_spending_to_zero_then_402_and_the_ledger_sums_to_the_balance(client: httpx.Client) -> None:
    alice = _sign_up(client)
    generated = client.post(
        "/api/v1/ai/generate-text",
        headers=alice,
        json={"prompt": "Autumn menu launch", "asset_type": "email", "variants": 3},
    )
    assert generated.status_code == 201
    assert generated.json()["provider"] == "mock"
    assert generated.headers["x-ratelimit-limit"] == "20"
    rest = client.get("/api/v1/credits/balance", headers=alice).json()["balance"]
    assert rest == 47
    assert (
        client.post(
            "/api/v1/credits/deduct", headers=alice, json={"amount": rest, "reason": "spend"}
        ).json()["balance"]
        == 0
    )

    refused = client.post(
        "/api/v1/credits/deduct", headers=alice, json={"amount": 1, "reason": "more"}
    )
    assert refused.status_code == 402
    assert refused.json()["error"]["code"] == "insufficient_credits"
    assert refused.json()["error"]["request_id"] == refused.headers["x-request-id"]
    ledger = client.get("/api/v1/credits/ledger", headers=alice, params={"limit": 100}).json()[
        "items"
    ]
    assert sum(entry["delta"] for entry in ledger) == 0


def test_another_users_ids_answer_404_on_every_path(client: httpx.Client) -> None:
    alice, bob = _sign_up(client), _sign_up(client)
    campaign = client.post("/api/v1/campaigns", headers=alice, json={"name": "Alice's"}).json()
    asset = client.post(
        "/api/v1/assets", headers=alice, json={"kind": "text", "title": "Hers", "content": "v1"}
    ).json()
    calls: list[tuple[str, str, Any]] = [
        ("GET", f"/api/v1/campaigns/{campaign['id']}", None),
        ("PATCH", f"/api/v1/campaigns/{campaign['id']}/status", {"status": "active"}),
        ("GET", f"/api/v1/assets/{asset['id']}", None),
        ("PATCH", f"/api/v1/assets/{asset['id']}", {"content": "mine"}),
        ("GET", f"/api/v1/assets/{asset['id']}/versions", None),
        ("POST", f"/api/v1/assets/{asset['id']}/undo", None),
        ("POST", f"/api/v1/assets/{asset['id']}/redo", None),
        ("POST", "/api/v1/assets", {"kind": "text", "title": "x", "campaign_id": campaign["id"]}),
        ("POST", "/api/v1/ai/refine", {"asset_id": asset["id"], "instruction": "x"}),
        ("POST", "/api/v1/ai/regenerate", {"asset_id": asset["id"]}),
        (
            "POST",
            "/api/v1/ai/generate-text",
            {"prompt": "x", "asset_type": "headline", "campaign_id": campaign["id"]},
        ),
    ]
    for method, path, body in calls:
        answer = client.request(method, path, headers=bob, json=body)
        assert answer.status_code == 404, (method, path)
        assert answer.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/credits/balance", headers=bob).json()["balance"] == 50


def test_undo_at_the_first_and_redo_at_the_latest_answer_409(client: httpx.Client) -> None:
    alice = _sign_up(client)
    asset = client.post(
        "/api/v1/assets", headers=alice, json={"kind": "text", "title": "One", "content": "v1"}
    ).json()
    assert client.post(f"/api/v1/assets/{asset['id']}/undo", headers=alice).status_code == 409
    assert client.post(f"/api/v1/assets/{asset['id']}/redo", headers=alice).status_code == 409


def test_the_front_door_leads_to_the_docs(client: httpx.Client) -> None:
    docs = client.get("/docs", follow_redirects=True)
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    spec = client.get("/api/v1/openapi/billing.json").json()
    assert "/api/v1/credits/deduct" in spec["paths"]
    # Errors are documented as the envelope they are sent in, not FastAPI's default 422 shape.
    refused = spec["paths"]["/api/v1/credits/deduct"]["post"]["responses"]["4XX"]
    assert refused["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    assert "HTTPValidationError" not in spec["components"]["schemas"]
