"""Inputs that once ended in a 500 or outside the envelope, each refused at its root.

Sent over real HTTP through the local gateway, so the gateway's own decoding and limits are
part of what is tested. Every answer must be a 4xx in API.md's envelope, with a request id.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT

ORIGIN = "http://127.0.0.1:3000"


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[httpx.Client]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORS_ORIGINS", ORIGIN)
        get_settings.cache_clear()
        reset_rate_limiter()
        with (
            serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url,
            httpx.Client(base_url=url, timeout=30) as http,
        ):
            yield http
    get_settings.cache_clear()
    reset_rate_limiter()


def _sign_up(client: httpx.Client) -> tuple[dict[str, str], str]:
    email = f"hostile-{uuid.uuid4().hex[:8]}@example.com"
    session = client.post("/api/v1/dev-token", json={"email": email})
    return {"Authorization": f"Bearer {session.json()['access_token']}"}, email


@pytest.fixture
def alice(client: httpx.Client) -> dict[str, str]:
    return _sign_up(client)[0]


def _refused(answer: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert answer.status_code == status, answer.text[:300]
    error: dict[str, Any] = answer.json()["error"]
    assert error["request_id"] == answer.headers["x-request-id"]
    if code:
        assert error["code"] == code
    return error


def _raw(client: httpx.Client, method: str, path: str, body: bytes, auth: dict[str, str]) -> Any:
    return client.request(
        method, path, content=body, headers={**auth, "content-type": "application/json"}
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/credits/deduct"),
        ("POST", "/api/v1/campaigns"),
        ("POST", "/api/v1/assets"),
        ("POST", "/api/v1/ai/generate-text"),
    ],
)
@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\xff\xfe caf\xe9"}',
        # Well-formed JSON in UTF-16 and UTF-32, which json.loads would accept by guessing
        '{"name": "utf16", "amount": 1}'.encode("utf-16"),
        '{"name": "utf32", "amount": 1}'.encode("utf-32"),
        b"\xff\xfe",
    ],
    ids=["bad-bytes", "utf-16", "utf-32", "bom-only"],
)
def test_a_body_that_is_not_utf8_is_a_400_envelope_with_cors(
    client: httpx.Client, alice: dict[str, str], method: str, path: str, body: bytes
) -> None:
    answer = client.request(
        method,
        path,
        content=body,
        headers={**alice, "content-type": "application/json", "origin": ORIGIN},
    )
    _refused(answer, 400)
    assert answer.headers["access-control-allow-origin"] == ORIGIN


NUL_BODIES = [
    ("/api/v1/campaigns", {"name": "a\x00b"}),
    ("/api/v1/campaigns", {"name": "ok", "brand_voice": "\x00"}),
    ("/api/v1/assets", {"kind": "text", "title": "t", "content": "a\x00"}),
    ("/api/v1/assets", {"kind": "text", "title": "t", "metadata": {"k\x00": 1}}),
    ("/api/v1/assets", {"kind": "text", "title": "t", "metadata": {"k": ["\x00"]}}),
    ("/api/v1/credits/deduct", {"amount": 1, "reason": "\x00"}),
    ("/api/v1/ai/generate-text", {"prompt": "a\x00", "asset_type": "headline"}),
    ("/api/v1/ai/suggestions", {"kind": "cta", "context": "\x00"}),
    ("/api/v1/dev-token", {"email": "nul@example.com", "name": "\x00"}),
]


@pytest.mark.parametrize(("path", "body"), NUL_BODIES)
def test_nul_in_any_text_field_is_a_422(
    client: httpx.Client, alice: dict[str, str], path: str, body: dict[str, Any]
) -> None:
    _refused(client.post(path, json=body, headers=alice), 422, "validation_error")


def test_lone_surrogates_are_a_422(client: httpx.Client, alice: dict[str, str]) -> None:
    answer = _raw(client, "POST", "/api/v1/campaigns", b'{"name": "\\ud800"}', alice)
    _refused(answer, 422, "validation_error")


def test_deep_metadata_is_refused_and_listing_keeps_working(
    client: httpx.Client, alice: dict[str, str]
) -> None:
    deep: Any = "leaf"
    for _ in range(40):
        deep = {"k": deep}
    _refused(
        client.post(
            "/api/v1/assets", json={"kind": "text", "title": "t", "metadata": deep}, headers=alice
        ),
        422,
        "validation_error",
    )
    very_deep = b'{"kind":"text","title":"t","metadata":{"a":' + b"[" * 50_000 + b"]" * 50_000
    _refused(_raw(client, "POST", "/api/v1/assets", very_deep + b"}}", alice), 400)
    shallow = {"a": {"b": {"c": [1, 2, {"d": "e"}]}}}
    made = client.post(
        "/api/v1/assets", json={"kind": "text", "title": "t", "metadata": shallow}, headers=alice
    )
    assert made.status_code == 201 and made.json()["metadata"] == shallow
    assert client.get("/api/v1/assets", headers=alice).status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        base64.urlsafe_b64encode(b"[" * 1500 + b"]" * 1500).decode(),  # past json recursion
        base64.urlsafe_b64encode(b'[["2026-01-01T00:00:00+00:00"], "x"]').decode(),
        base64.urlsafe_b64encode(b'["2026-01-01T00:00:00", "%s"]' % str(uuid.uuid4()).encode())
        .decode()
        .rstrip("="),
        "x" * 3000,
    ],
)
def test_nested_or_foreign_cursors_are_a_422(
    client: httpx.Client, alice: dict[str, str], cursor: str
) -> None:
    for path in ("/api/v1/credits/ledger", "/api/v1/assets", "/api/v1/campaigns"):
        answer = client.get(path, params={"cursor": cursor}, headers=alice)
        _refused(answer, 422, "validation_error")


@pytest.mark.parametrize("amount", [1.0, "5", True, 2**31, 2**63, -1, 10**30])
def test_integers_are_strict_and_within_their_column(
    client: httpx.Client, alice: dict[str, str], amount: Any
) -> None:
    answer = client.post(
        "/api/v1/credits/deduct", json={"amount": amount, "reason": "x"}, headers=alice
    )
    _refused(answer, 422, "validation_error")
    assert client.get("/api/v1/credits/balance", headers=alice).json()["balance"] == 50


def test_a_balance_stops_at_its_columns_maximum_with_a_409(
    client: httpx.Client, database_url: str
) -> None:
    admin, email = _sign_up(client)
    with db.connect(database_url) as conn:
        make_admin(conn, email=email)
        # Near the top of `integer`, through the one code that changes balances.
        from asset_engine.billing import credits

        user_id = conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()
        assert user_id is not None
        with db.transaction(conn):
            credits.credit(
                conn, user_id=user_id["id"], amount=2**31 - 1 - 50 - 10, reason="purchase"
            )
    grant = {"amount": 11, "reason": "top up"}
    error = _refused(client.post("/api/v1/credits/add", json=grant, headers=admin), 409)
    assert error["code"] == "conflict"
    assert client.post("/api/v1/credits/add", json={**grant, "amount": 10}, headers=admin).json()[
        "balance"
    ] == (2**31 - 1)


def test_if_match_beyond_a_version_number_is_a_422(
    client: httpx.Client, alice: dict[str, str]
) -> None:
    asset = client.post(
        "/api/v1/assets", json={"kind": "text", "title": "t", "content": "v1"}, headers=alice
    ).json()
    for value in ["²", "99999999999999999999", "-1", "1.0"]:
        answer = client.patch(
            f"/api/v1/assets/{asset['id']}",
            json={"content": "v2"},
            # As raw bytes: httpx would refuse to encode "²" itself.
            headers=[
                *((k.encode(), v.encode()) for k, v in alice.items()),
                (b"If-Match", value.encode()),
            ],
        )
        _refused(answer, 422, "validation_error")


def test_deduct_reasons_are_kept_apart_from_the_systems(
    client: httpx.Client, alice: dict[str, str], database_url: str
) -> None:
    for reason in ("refund", "signup_grant", "ai_text"):
        entry = client.post(
            "/api/v1/credits/deduct", json={"amount": 1, "reason": reason}, headers=alice
        ).json()["entry"]
        assert entry["reason"] == f"user:{reason}"
    admin, email = _sign_up(client)
    with db.connect(database_url) as conn:
        make_admin(conn, email=email)
    for reason in ("refund", "signup_grant", "purchase", "ai_image", "user:x"):
        answer = client.post(
            "/api/v1/credits/add", json={"amount": 1, "reason": reason}, headers=admin
        )
        _refused(answer, 422, "validation_error")


def test_oversized_headers_and_tokens_answer_in_the_envelope(
    client: httpx.Client, alice: dict[str, str]
) -> None:
    _refused(client.get("/api/v1/me", headers={**alice, "X-Padding": "x" * 12_000}), 431)
    _refused(client.get("/api/v1/me", headers={"Authorization": "Bearer " + "x" * 20_000}), 431)
    _refused(client.get("/api/v1/me", headers={"Authorization": "Bearer " + "x" * 8_000}), 401)


def test_a_refused_cors_preflight_answers_in_the_envelope(client: httpx.Client) -> None:
    refused = client.options(
        "/api/v1/credits/deduct",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in refused.headers
    _refused(refused, 403, "forbidden")
    allowed = client.options(
        "/api/v1/credits/deduct",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["x-request-id"]


def test_invalid_ai_requests_spend_no_rate_limit_budget(
    client: httpx.Client, alice: dict[str, str]
) -> None:
    for _ in range(25):  # more than the whole budget of 20
        answer = client.post(
            "/api/v1/ai/generate-text", json={"prompt": "", "asset_type": "x"}, headers=alice
        )
        _refused(answer, 422, "validation_error")
    answer = client.post(
        "/api/v1/ai/generate-text", json={"prompt": "Linen", "asset_type": "tagline"}, headers=alice
    )
    assert answer.status_code == 201
    assert answer.headers["x-ratelimit-remaining"] == "19"


def test_an_unreachable_rate_limit_store_answers_503_with_its_headers(
    client: httpx.Client, alice: dict[str, str]
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
        get_settings.cache_clear()
        reset_rate_limiter()
        try:
            answer = client.post(
                "/api/v1/ai/generate-text",
                json={"prompt": "Linen", "asset_type": "tagline"},
                headers=alice,
            )
        finally:
            mp.undo()
            get_settings.cache_clear()
            reset_rate_limiter()
    _refused(answer, 503, "service_unavailable")
    assert answer.headers["x-ratelimit-limit"] == "20"
    assert answer.headers["x-ratelimit-remaining"] == "0"
    assert client.get("/api/v1/credits/balance", headers=alice).json()["balance"] == 50
