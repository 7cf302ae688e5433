"""One user's slow AI calls do not starve everyone else of database connections.

Through the local gateway with a pool of 4 connections: user A sends a whole rate-limit budget
(20) of generate-text calls at once to a DeepSeek double that takes 2 s to answer. While they
wait, user B's `GET /api/v1/me` must answer promptly: no request may hold a connection while
it waits on an outside service.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from asset_engine import db
from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.deepseek_double import API_KEY, DeepSeekDouble, deepseek_double, slow
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT

POOL_SIZE = 4
SLOW_CALLS = 20
PROVIDER_DELAY_S = 2.0
BOUND_S = 0.75  # a warm GET /me takes ~20 ms; waiting for a slow call's connection takes 2 s


@pytest.fixture
def small_pool(database_url: str) -> Iterator[tuple[str, DeepSeekDouble]]:
    with deepseek_double() as deepseek, pytest.MonkeyPatch.context() as mp:
        mp.setenv("DB_POOL_SIZE", str(POOL_SIZE))
        mp.setenv("DEEPSEEK_API_KEY", API_KEY)
        mp.setenv("DEEPSEEK_BASE_URL", deepseek.url)
        mp.setenv("DEEPSEEK_READ_TIMEOUT_S", "10")
        get_settings.cache_clear()
        reset_text_provider()
        reset_rate_limiter()
        db.close_pool()
        try:
            with serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url:
                yield url, deepseek
        finally:
            db.close_pool()
    get_settings.cache_clear()
    reset_text_provider()
    reset_rate_limiter()


def _token(http: httpx.Client) -> dict[str, str]:
    email = f"starve-{uuid.uuid4().hex[:8]}@example.com"
    session = http.post("/api/v1/dev-token", json={"email": email})
    return {"Authorization": f"Bearer {session.json()['access_token']}"}


def test_slow_provider_calls_do_not_delay_another_users_me(
    small_pool: tuple[str, DeepSeekDouble],
) -> None:
    url, deepseek = small_pool
    with httpx.Client(base_url=url, timeout=30) as http:
        alice, bob = _token(http), _token(http)
        assert http.get("/api/v1/me", headers=bob).status_code == 200  # warm
        deepseek.script(*[slow(PROVIDER_DELAY_S)] * SLOW_CALLS)
        body = {"prompt": "Linen shirts", "asset_type": "headline"}

        def generate(_: int) -> int:
            with httpx.Client(base_url=url, timeout=30) as own:
                return own.post("/api/v1/ai/generate-text", json=body, headers=alice).status_code

        with ThreadPoolExecutor(max_workers=SLOW_CALLS) as pool:
            slow_calls = [pool.submit(generate, i) for i in range(SLOW_CALLS)]
            deadline = time.monotonic() + 5
            while len(deepseek.requests) < SLOW_CALLS and time.monotonic() < deadline:
                time.sleep(0.02)  # until every slow call waits on the provider
            waits = []
            for _ in range(5):
                started = time.monotonic()
                me = http.get("/api/v1/me", headers=bob)
                waits.append(time.monotonic() - started)
                assert me.status_code == 200, me.text
            statuses = [call.result() for call in slow_calls]

    assert len(deepseek.requests) >= SLOW_CALLS, "the slow calls reached the provider"
    assert statuses == [201] * SLOW_CALLS
    assert max(waits) < BOUND_S, f"GET /me waited {max(waits):.2f} s behind the slow calls"
