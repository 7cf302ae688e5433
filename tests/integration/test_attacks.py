"""An attacker's tries: forged and stale tokens, and another user's ids on every `{id}` route.

Tokens are minted with the real token code (or forged as an attacker would with PyJWT) and
sent to the real handlers; the ownership sweep walks the routes of template.yaml itself, so a
new `{id}` route cannot be left out, and checks that the database did not change at all.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from asset_engine import db
from asset_engine.auth.tokens import issue_access_token
from asset_engine.config import get_settings
from tests.conftest import TEST_SECRET
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import LambdaApi

PROTECTED = ["/api/v1/me", "/api/v1/credits/balance", "/api/v1/campaigns", "/api/v1/assets"]


def _claims(user_id: str, **overrides: Any) -> dict[str, Any]:
    settings = get_settings()
    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": "user",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 900,
    }
    claims.update(overrides)
    return claims


def _attacker_rsa_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _tampered(token: str) -> str:
    """The same signature over a payload that now says admin."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return f"{header}.{_b64({**claims, 'role': 'admin'})}.{signature}"


def _forged_tokens(user: SignedUp) -> dict[str, Callable[[], str]]:
    uid = user.id
    now = int(time.time())
    return {
        "alg none": lambda: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(uid))}.",
        "alg None, signed empty": lambda: jwt.encode(_claims(uid), "", algorithm="none"),
        "RS256 with an attacker's key": lambda: jwt.encode(
            _claims(uid), _attacker_rsa_pem(), algorithm="RS256"
        ),
        "HS512 with the real secret": lambda: jwt.encode(
            _claims(uid), TEST_SECRET + "-padding-to-64-bytes-for-hs512-0123456789", "HS512"
        ),
        "HS256 with another secret": lambda: jwt.encode(
            _claims(uid), "not-our-secret-but-long-enough-for-hs256!!", "HS256"
        ),
        "expired": lambda: issue_access_token(
            user_id=uuid.UUID(uid), role="user", now=now - 24 * 3600
        )[0],
        "not yet valid (nbf)": lambda: jwt.encode(
            _claims(uid, nbf=now + 3600), TEST_SECRET, "HS256"
        ),
        "issued in the future (iat)": lambda: jwt.encode(
            _claims(uid, iat=now + 3600, exp=now + 7200), TEST_SECRET, "HS256"
        ),
        "wrong issuer": lambda: jwt.encode(_claims(uid, iss="https://evil.example"), TEST_SECRET),
        "wrong audience": lambda: jwt.encode(_claims(uid, aud="someone-else"), TEST_SECRET),
        "no expiry": lambda: jwt.encode(
            {k: v for k, v in _claims(uid).items() if k != "exp"}, TEST_SECRET
        ),
        "sub not a uuid": lambda: jwt.encode(_claims("'; DROP TABLE users; --"), TEST_SECRET),
        "tampered payload": lambda: _tampered(user.token),
        "signature stripped": lambda: user.token.rsplit(".", 1)[0] + ".",
        "deleted (unknown) user": lambda: issue_access_token(user_id=uuid.uuid4(), role="user")[0],
        "oversized": lambda: user.token + "A" * 64 * 1024,
        "not a JWT": lambda: "\x7f" * 40,
    }


def test_every_forged_or_stale_token_answers_401_in_the_envelope(api: LambdaApi) -> None:
    user = sign_up(api)
    assert api.get("/api/v1/me", token=user.token).status == 200  # the real one works
    for name, forge in _forged_tokens(user).items():
        token = forge()
        for path in PROTECTED:
            answer = api.get(path, token=token)
            assert (answer.status, answer.error_code) == (401, "unauthorized"), (name, path)
            assert answer.json["error"]["request_id"] == answer.headers["x-request-id"]
            assert token not in answer.body.decode(), "a token is never echoed back"


def test_other_schemes_and_empty_credentials_answer_401(api: LambdaApi) -> None:
    user = sign_up(api)
    for value in ("", "Bearer", "Bearer    ", f"Basic {user.token}", user.token, "Token x"):
        answer = api.get("/api/v1/me", headers={"authorization": value})
        assert (answer.status, answer.error_code) == (401, "unauthorized"), value


# --- Object-level authorization: another user's ids on every `{id}` route -----------------

# What to send to each `{id}` route so that only ownership can refuse it (a valid body).
BODIES: dict[str, Any] = {
    "GET /api/v1/ai/jobs/{job_id}": None,
    "POST /api/v1/webhooks/runpod/{job_id}": {"id": "x", "status": "COMPLETED", "output": {}},
    "GET /api/v1/campaigns/{campaign_id}": None,
    "PATCH /api/v1/campaigns/{campaign_id}": {"name": "Bob's now", "channels": ["sms"]},
    "PATCH /api/v1/campaigns/{campaign_id}/status": {"status": "active"},
    "GET /api/v1/campaigns/{campaign_id}/export": None,
    "GET /api/v1/assets/{asset_id}": None,
    "PATCH /api/v1/assets/{asset_id}": {"content": "mine now", "metadata": {"owner": "bob"}},
    "GET /api/v1/assets/{asset_id}/versions": None,
    "POST /api/v1/assets/{asset_id}/undo": None,
    "POST /api/v1/assets/{asset_id}/redo": None,
}
# Unauthenticated webhooks refuse a caller without their token; the rest answer 404 (API.md).
EXPECTED = {"POST /api/v1/webhooks/runpod/{job_id}": {401, 404}}


def _snapshot(conn: db.Connection) -> dict[str, list[str]]:
    """Every row of every table, as text: any write at all shows up as a difference."""
    tables = [
        row["table_name"]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    return {
        table: sorted(
            str(row["r"]) for row in conn.execute(f"SELECT t::text AS r FROM {table} t").fetchall()
        )
        for table in tables
    }


def _alices_ids(api: LambdaApi, alice: SignedUp) -> dict[str, str]:
    campaign = api.post("/api/v1/campaigns", {"name": "Alice's launch"}, token=alice.token)
    asset = api.post(
        "/api/v1/assets",
        {"kind": "text", "title": "Hers", "content": "v1"},
        token=alice.token,
    )
    assert campaign.status == 201 and asset.status == 201
    edited = api.patch(f"/api/v1/assets/{asset.json['id']}", {"content": "v2"}, token=alice.token)
    assert edited.status == 200  # two versions: undo would move the pointer if it were let
    ids = {"campaign_id": campaign.json["id"], "asset_id": asset.json["id"]}
    image = api.post("/api/v1/ai/generate-image", {"prompt": "A linen shirt"}, token=alice.token)
    if image.status == 202:
        ids["job_id"] = image.json["job"]["id"]
    return ids


def test_another_users_ids_change_nothing_on_any_id_route(
    api: LambdaApi, conn: db.Connection
) -> None:
    alice, bob = sign_up(api), sign_up(api)
    ids = _alices_ids(api, alice)
    id_routes = [route for route in api.routes if "{" in route.path]
    assert id_routes
    missing = [route.route_key for route in id_routes if route.route_key not in BODIES]
    assert not missing, f"add a body for the new {{id}} routes to BODIES: {missing}"

    time.sleep(0.2)  # an image job's offline painter may still be finishing Alice's work
    before = _snapshot(conn)
    for route in id_routes:
        # Alice's id for each parameter (a random one where she has no such thing yet).
        path = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1)) or str(uuid.uuid4()), route.path)
        body = BODIES[route.route_key]
        answer = api.request(route.method, path, json_body=body, token=bob.token)
        allowed = EXPECTED.get(route.route_key, {404})
        assert answer.status in allowed, (route.route_key, answer.status, answer.body[:200])
        assert "error" in answer.json
    after = _snapshot(conn)
    changed = {t for t in before if before[t] != after.get(t)}
    # Bob's own rows are untouched too: he signed up before the snapshot.
    assert not changed, f"another user's ids changed {changed}"
    assert (
        api.get(f"/api/v1/assets/{ids['asset_id']}", token=alice.token).json["current_version"] == 2
    )


@pytest.mark.parametrize("kind", ["campaign", "asset"])
def test_another_users_ids_in_bodies_are_404(api: LambdaApi, kind: str) -> None:
    alice, bob = sign_up(api), sign_up(api)
    ids = _alices_ids(api, alice)
    if kind == "campaign":
        answer = api.post(
            "/api/v1/ai/generate-text",
            {"prompt": "x", "asset_type": "headline", "campaign_id": ids["campaign_id"]},
            token=bob.token,
        )
    else:
        answer = api.post(
            "/api/v1/ai/refine", {"asset_id": ids["asset_id"], "instruction": "x"}, token=bob.token
        )
    assert (answer.status, answer.error_code) == (404, "not_found")
    assert api.get("/api/v1/credits/balance", token=bob.token).json["balance"] == 50
