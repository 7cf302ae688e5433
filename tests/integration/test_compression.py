"""JSON answers over 1 KB are gzipped by the functions (API Gateway HTTP APIs do not compress)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import httpx
import pytest

from asset_engine.local.gateway import LocalGateway
from tests.support.factories import sign_up
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT, LambdaApi


def test_a_large_answer_is_gzipped_for_a_client_that_accepts_it(api: LambdaApi) -> None:
    user = sign_up(api)
    for index in range(12):  # a ledger page well over 1 KB
        api.post("/api/v1/credits/deduct", {"amount": 1, "reason": f"r{index}"}, token=user.token)
    plain = api.get("/api/v1/credits/ledger", token=user.token)
    packed = api.get(
        "/api/v1/credits/ledger", token=user.token, headers={"accept-encoding": "gzip"}
    )
    # Then the same document arrives, compressed, and says so for caches
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert len(packed.body) < len(plain.body)
    assert json.loads(gzip.decompress(packed.body)) == plain.json


def test_a_small_answer_is_sent_as_it_is(api: LambdaApi) -> None:
    answer = api.get("/api/v1/health/ai", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in answer.headers
    assert answer.json == {"status": "ok", "service": "ai"}


@pytest.fixture(scope="module")
def gateway_url(database_url: str) -> Iterator[str]:
    with serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url:
        yield url


def test_the_local_gateway_passes_the_compressed_answer_through(gateway_url: str) -> None:
    # httpx asks for gzip and inflates it, as a browser does
    answer = httpx.get(f"{gateway_url}/api/v1/openapi/ai.json", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.json()["info"]["title"] == "asset-engine ai"
