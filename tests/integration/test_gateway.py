"""The local gateway over real HTTP: routing by template.yaml, payload v2 events, Lambda's limits."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from tests.support.factories import unique_email
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT

FIXTURE_TEMPLATE = Path(__file__).resolve().parents[1] / "gateway_fixture" / "template.yaml"


@pytest.fixture(scope="module")
def product_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    storage = tmp_path_factory.mktemp("gateway-storage")
    (storage / "hello.txt").write_text("stored file")
    gateway = LocalGateway(PROJECT_ROOT / "template.yaml", storage_dir=storage)
    with serve_in_thread(gateway) as url:
        yield url


@pytest.fixture(scope="module")
def probe_url() -> Iterator[str]:
    gateway = LocalGateway(FIXTURE_TEMPLATE, timeout_s=1.0, payload_limit=1024)
    with serve_in_thread(gateway) as url:
        yield url


def test_a_user_signs_up_and_reads_themselves_through_the_gateway(product_url: str) -> None:
    with httpx.Client(base_url=product_url) as client:
        session = client.post("/api/v1/dev-token", json={"email": unique_email("gw")})
        assert session.status_code == 200
        token = session.json()["access_token"]
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["credits_balance"] == 50
        health = client.get("/health", params={"deep": "1"})
        assert health.json() == {"status": "ok", "service": "auth", "checks": {"database": "ok"}}


def test_every_function_in_the_template_answers_its_health_path(product_url: str) -> None:
    gateway_routes = LocalGateway(PROJECT_ROOT / "template.yaml").routes
    health_paths = sorted({r.path for r in gateway_routes if r.path.startswith("/api/v1/health/")})
    assert len(health_paths) >= 5
    with httpx.Client(base_url=product_url) as client:
        for path in health_paths:
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert answer.json()["service"] == path.rsplit("/", 1)[1]


def test_unknown_routes_answer_404_in_the_envelope(product_url: str) -> None:
    with httpx.Client(base_url=product_url) as client:
        for method, path in [("GET", "/api/v1/nothing"), ("DELETE", "/api/v1/me")]:
            answer = client.request(method, path)
            assert answer.status_code == 404
            error = answer.json()["error"]
            assert error["code"] == "not_found"
            assert error["request_id"] == answer.headers["x-request-id"]


def test_the_gateways_own_errors_are_readable_by_an_allowed_origin(product_url: str) -> None:
    allowed = get_settings().cors_origins[0]
    with httpx.Client(base_url=product_url) as client:
        answer = client.get("/api/v1/nothing", headers={"Origin": allowed})
        stranger = client.get("/api/v1/nothing", headers={"Origin": "https://evil.test"})
    assert answer.status_code == 404
    assert answer.headers["access-control-allow-origin"] == allowed
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in stranger.headers


def test_cors_preflight_is_answered_for_allowed_origins_only(product_url: str) -> None:
    allowed = get_settings().cors_origins[0]
    with httpx.Client(base_url=product_url) as client:
        ok = client.options(
            "/api/v1/me",
            headers={"Origin": allowed, "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "authorization"},
        )  # fmt: skip
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == allowed
        assert ok.headers["access-control-allow-credentials"] == "true"
        refused = client.options(
            "/api/v1/me",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in refused.headers


def test_local_storage_is_served_under_storage(product_url: str) -> None:
    with httpx.Client(base_url=product_url) as client:
        stored = client.get("/storage/hello.txt")  # as an <img> asks: no Origin
        assert stored.text == "stored file"
        # The browser reuses this copy for a CORS fetch (Download), so it must allow any origin.
        assert stored.headers["access-control-allow-origin"] == "*"
        assert client.get("/storage/missing.txt").status_code == 404


def test_the_event_is_api_gateway_payload_v2(probe_url: str) -> None:
    with httpx.Client(base_url=probe_url) as client:
        answer = client.post(
            "/echo/widget?a=1&a=2&b=x",
            content=b"\x89PNG\x00binary",
            headers={"Content-Type": "image/png", "Cookie": "c1=v1; c2=v2", "X-Custom": "yes"},
        )
    assert answer.status_code == 200
    assert answer.headers["x-function"] == "ProbeFunction"
    assert answer.cookies.get("seen") == "1"
    event = answer.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "ANY /echo/{name}"
    assert event["rawPath"] == "/echo/widget"
    assert event["rawQueryString"] == "a=1&a=2&b=x"
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x"}
    assert event["pathParameters"] == {"name": "widget"}
    assert event["cookies"] == ["c1=v1", "c2=v2"]
    assert event["headers"]["x-custom"] == "yes"
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x89PNG\x00binary"
    assert event["requestContext"]["http"]["method"] == "POST"
    # Each invocation gets an id of its own, as API Gateway gives one per request
    request_id = event["requestContext"]["requestId"]
    assert str(uuid.UUID(request_id)) == request_id
    with httpx.Client(base_url=probe_url) as client:
        again = client.post("/echo/widget", content=b"x", headers={"Content-Type": "text/plain"})
    assert again.json()["requestContext"]["requestId"] not in ("", request_id)


def test_concurrent_requests_run_concurrently(probe_url: str) -> None:
    # Each request waits at a barrier for five others: one-at-a-time serving would time out.
    with (
        ThreadPoolExecutor(max_workers=6) as pool,
        httpx.Client(base_url=probe_url, timeout=15) as client,
    ):
        answers = list(pool.map(lambda _: client.get("/barrier"), range(6)))
    assert [a.text for a in answers] == ["together"] * 6


def test_the_integration_timeout_answers_504(probe_url: str) -> None:
    with httpx.Client(base_url=probe_url, timeout=15) as client:
        answer = client.get("/sleep", params={"s": "3"})
    assert answer.status_code == 504
    assert answer.json()["error"]["code"] == "gateway_timeout"


def test_request_and_response_size_limits(probe_url: str) -> None:
    with httpx.Client(base_url=probe_url) as client:
        too_big = client.post(
            "/echo/x", content=b"a" * 2048, headers={"Content-Type": "text/plain"}
        )
        assert too_big.status_code == 413
        assert too_big.json()["error"]["code"] == "payload_too_large"
        big_answer = client.get("/big")
        assert big_answer.status_code == 502
