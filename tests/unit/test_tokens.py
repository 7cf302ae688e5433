"""Access tokens: only our own, unexpired, correctly addressed HS256 tokens pass."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest

from asset_engine.auth.tokens import issue_access_token, verify_access_token
from asset_engine.config import Settings
from asset_engine.errors import Unauthorized

# 64 bytes: long enough for HS512 too, so the wrong-algorithm test draws no key warning.
SETTINGS = Settings(app_env="test", secret_key="unit-test-secret-that-is-long-enough-" + "0" * 27)


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(uuid.uuid4()),
        "role": "user",
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_issued_token_verifies_to_its_user_and_role() -> None:
    user_id = uuid.uuid4()
    token, expires_in = issue_access_token(user_id=user_id, role="admin", settings=SETTINGS)
    claims = verify_access_token(token, settings=SETTINGS)
    assert (claims.user_id, claims.role, expires_in) == (
        user_id,
        "admin",
        SETTINGS.access_token_ttl_s,
    )


def test_tampered_payload_is_refused() -> None:
    token, _ = issue_access_token(user_id=uuid.uuid4(), role="user", settings=SETTINGS)
    header, _, signature = token.split(".")
    forged = _b64(_claims(role="admin"))
    with pytest.raises(Unauthorized):
        verify_access_token(f"{header}.{forged}.{signature}", settings=SETTINGS)


def test_alg_none_is_refused() -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}."
    with pytest.raises(Unauthorized):
        verify_access_token(token, settings=SETTINGS)


def test_other_hmac_algorithm_with_the_right_key_is_refused() -> None:
    token = jwt.encode(_claims(), SETTINGS.secret_key, algorithm="HS512")
    with pytest.raises(Unauthorized):
        verify_access_token(token, settings=SETTINGS)


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param(_claims(exp=int(time.time()) - 60), id="expired"),
        pytest.param(_claims(aud="someone-else"), id="wrong-aud"),
        pytest.param(_claims(iss="https://evil.example"), id="wrong-iss"),
        pytest.param(_claims(sub=None), id="no-sub"),
        pytest.param(_claims(exp=None), id="no-exp"),
        pytest.param(_claims(sub="not-a-uuid"), id="sub-not-uuid"),
    ],
)
def test_bad_claims_are_refused(claims: dict[str, object]) -> None:
    token = jwt.encode(claims, SETTINGS.secret_key, algorithm="HS256")
    with pytest.raises(Unauthorized):
        verify_access_token(token, settings=SETTINGS)


def test_token_signed_with_another_secret_is_refused() -> None:
    token = jwt.encode(_claims(), "another-secret-that-is-also-long-enough-0000", algorithm="HS256")
    with pytest.raises(Unauthorized):
        verify_access_token(token, settings=SETTINGS)
