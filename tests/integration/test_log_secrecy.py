"""A full cycle's logs hold no credential: no token, key, password or signed id token.

The product runs through the local gateway at DEBUG, with every outside service it can use in
tests switched on (Google's certificates, DeepSeek, Upstash through its REST bridge), failures
included, and everything the process writes to stdout and stderr (Powertools' JSON logs, the
metrics, uvicorn) is searched for each secret it handled.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from asset_engine.observability import logger
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.conftest import TEST_GOOGLE_CLIENT_ID, TEST_SECRET
from tests.support.deepseek_double import API_KEY, DeepSeekDouble, deepseek_double, error
from tests.support.google_certs import certificate_endpoint, google_id_token, make_signing_key
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT
from tests.support.upstash_bridge import Bridge, upstash_bridge

json_lines = io.StringIO()


@pytest.fixture
def wired(database_url: str, redis_url: str) -> Iterator[tuple[str, DeepSeekDouble, Bridge, str]]:
    key = make_signing_key("secrecy")
    with (
        certificate_endpoint(key) as certs_url,
        deepseek_double() as deepseek,
        upstash_bridge(redis_url) as bridge,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setenv("GOOGLE_CERTS_URL", certs_url)
        mp.setenv("DEEPSEEK_API_KEY", API_KEY)
        mp.setenv("DEEPSEEK_BASE_URL", deepseek.url)
        mp.setenv("DEEPSEEK_BACKOFF_S", "0.01")
        mp.setenv("UPSTASH_REDIS_REST_URL", bridge.url)
        mp.setenv("UPSTASH_REDIS_REST_TOKEN", bridge.token)
        mp.setenv("RATE_LIMIT_PREFIX", f"secrecy-{uuid.uuid4().hex[:8]}")
        get_settings.cache_clear()
        reset_text_provider()
        reset_rate_limiter()
        level = logger.log_level
        logger.setLevel(logging.DEBUG)
        # The very lines CloudWatch would get: Powertools' own handler, pointed at a buffer.
        handler = logger.registered_handler
        assert isinstance(handler, logging.StreamHandler)
        stream = handler.setStream(json_lines)
        id_token = google_id_token(
            key, aud=TEST_GOOGLE_CLIENT_ID, email=f"g-{uuid.uuid4().hex[:6]}@example.com"
        )
        try:
            with serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url:
                yield url, deepseek, bridge, id_token
        finally:
            handler.setStream(stream)
            logger.setLevel(level)
    get_settings.cache_clear()
    reset_text_provider()
    reset_rate_limiter()


def test_a_full_cycles_logs_hold_no_secret(
    wired: tuple[str, DeepSeekDouble, Bridge, str],
    capfd: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, deepseek, bridge, id_token = wired
    tokens: list[str] = []
    with httpx.Client(base_url=url, timeout=30) as http:
        google = http.post("/api/v1/auth/google", json={"id_token": id_token})
        assert google.status_code == 200, google.text
        tokens.append(google.json()["access_token"])
        email = f"s-{uuid.uuid4().hex[:6]}@example.com"
        dev = http.post("/api/v1/dev-token", json={"email": email, "name": "Sam"})
        tokens.append(dev.json()["access_token"])
        with db.connect(database_url) as conn:
            make_admin(conn, email=email)
        auth = {"Authorization": f"Bearer {tokens[1]}"}

        assert http.get("/api/v1/me", headers=auth).status_code == 200
        campaign = http.post("/api/v1/campaigns", json={"name": "Linen"}, headers=auth).json()
        body = {"prompt": "Linen", "asset_type": "email", "campaign_id": campaign["id"]}
        made = http.post("/api/v1/ai/generate-text", json=body, headers=auth)
        assert made.status_code == 201, made.text
        asset = made.json()["assets"][0]
        deepseek.script(error(401))  # the provider refuses our key: logged, refunded, 502
        refused = http.post(
            "/api/v1/ai/refine", json={"asset_id": asset["id"], "instruction": "x"}, headers=auth
        )
        assert refused.status_code == 502
        deepseek.script(error(503), error(503), error(503))
        assert http.post("/api/v1/ai/suggestions", json={"kind": "cta"}, headers=auth).is_error
        assert (
            http.post(
                "/api/v1/credits/add", json={"amount": 5, "reason": "gift"}, headers=auth
            ).status_code
            == 200
        )
        assert (
            http.post(
                "/api/v1/credits/deduct",
                json={"amount": 1, "reason": "x"},
                headers={**auth, "Idempotency-Key": "k-1"},
            ).status_code
            == 200
        )
        forged = tokens[1][:-4] + "AAAA"
        assert http.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}).is_error
        assert http.get("/api/v1/health/billing", params={"deep": "1"}).status_code == 200
        tokens.append(forged)

    out, err = capfd.readouterr()
    logs = json_lines.getvalue() + out + err
    for line in ("AI request failed", "retrying DeepSeek", "answered provider_error"):
        assert line in logs, f"the cycle's logs were captured ({line!r})"
    password = urlsplit(database_url).password
    secrets = {
        "SECRET_KEY": TEST_SECRET,
        "DeepSeek API key": API_KEY,
        "Upstash token": bridge.token,
        "Google id token": id_token,
        **{f"access token {i}": token for i, token in enumerate(tokens)},
        **({"database password": password} if password else {}),
    }
    for name, secret in secrets.items():
        assert secret not in logs, f"the logs hold the {name}"
        # Nor the signature part alone (a token logged in pieces).
        if secret.count(".") == 2:
            assert secret.rsplit(".", 1)[1] not in logs, f"the logs hold the {name}'s signature"
