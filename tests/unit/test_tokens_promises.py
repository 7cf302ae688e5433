"""Access tokens live exactly as long as the setting says, and an expired one says so."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import jwt
import pytest

from asset_engine.auth.tokens import ALGORITHM, issue_access_token, verify_access_token
from asset_engine.config import Settings, get_settings
from asset_engine.errors import Unauthorized

SECRET = "unit-test-secret-that-is-long-enough-" + "1" * 27
SETTINGS = Settings(app_env="test", secret_key=SECRET, access_token_ttl_s=4321)
EXPIRED = "The access token has expired; sign in again."
INVALID = "The access token is not valid."


def _decode(token: str) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(
        token, SECRET, algorithms=[ALGORITHM], audience=SETTINGS.jwt_audience
    )
    return claims


def _signed(**claims: object) -> str:
    now = int(time.time())
    base: dict[str, object] = {
        "sub": str(uuid.uuid4()),
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, SECRET, algorithm=ALGORITHM)


def _refusal(token: str) -> str:
    with pytest.raises(Unauthorized) as refused:
        verify_access_token(token, settings=SETTINGS)
    return refused.value.message


def test_the_lifetime_is_the_setting() -> None:
    user_id = uuid.uuid4()
    token, expires_in = issue_access_token(
        user_id=user_id, role="user", settings=SETTINGS, now=1_900_000_000.7
    )
    claims = _decode_at(token, 1_900_000_000)
    assert expires_in == 4321
    assert (claims["iat"], claims["exp"]) == (1_900_000_000, 1_900_000_000 + 4321)
    assert (claims["sub"], claims["role"]) == (str(user_id), "user")
    assert (claims["iss"], claims["aud"]) == ("asset-engine", "asset-engine-api")
    assert isinstance(claims["jti"], str) and len(claims["jti"]) == 32


def _decode_at(token: str, at: int) -> dict[str, object]:
    """The claims of a token issued at a fixed moment, whatever the clock says now."""
    claims: dict[str, object] = jwt.decode(
        token,
        SECRET,
        algorithms=[ALGORITHM],
        audience=SETTINGS.jwt_audience,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims["iat"] == at
    return claims


def test_a_token_is_issued_now_by_default() -> None:
    before = int(time.time())
    token, _ = issue_access_token(user_id=uuid.uuid4(), role="admin", settings=SETTINGS)
    claims = _decode(token)
    assert before <= int(str(claims["iat"])) <= int(time.time())
    assert int(str(claims["exp"])) - int(str(claims["iat"])) == 4321
    assert verify_access_token(token, settings=SETTINGS).role == "admin"


def test_every_token_has_its_own_id() -> None:
    user_id = uuid.uuid4()
    first, _ = issue_access_token(user_id=user_id, role="user", settings=SETTINGS, now=1.0)
    second, _ = issue_access_token(user_id=user_id, role="user", settings=SETTINGS, now=1.0)
    assert first != second


@pytest.fixture
def process_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("ACCESS_TOKEN_TTL_S", "777")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.usefixtures("process_settings")
def test_without_explicit_settings_the_process_settings_apply() -> None:
    token, expires_in = issue_access_token(user_id=uuid.uuid4(), role="user")
    claims = _decode(token)
    assert expires_in == 777
    assert int(str(claims["exp"])) - int(str(claims["iat"])) == 777
    assert verify_access_token(token).role == "user"


def test_an_expired_token_gets_its_own_message() -> None:
    now = int(time.time())
    assert _refusal(_signed(iat=now - 700, exp=now - 60)) == EXPIRED
    assert _refusal(_signed(aud="someone-else")) == INVALID
    assert _refusal("not.a.token") == INVALID


def test_ten_seconds_of_clock_skew_are_tolerated_and_no_more() -> None:
    now = int(time.time())
    assert verify_access_token(_signed(exp=now - 5), settings=SETTINGS).role == "user"
    assert _refusal(_signed(exp=now - 15)) == EXPIRED


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud", "sub"])
def test_every_required_claim_must_be_present(missing: str) -> None:
    assert _refusal(_signed(**{missing: None})) == INVALID


def test_a_token_without_a_role_is_a_user() -> None:
    user_id = uuid.uuid4()
    claims = verify_access_token(_signed(sub=str(user_id)), settings=SETTINGS)
    assert (claims.user_id, claims.role) == (user_id, "user")


def test_a_verified_token_is_checked_once_while_it_lives(monkeypatch: pytest.MonkeyPatch) -> None:
    # A warm container sees the same token request after request: it is decoded once
    token, _ = issue_access_token(user_id=uuid.uuid4(), role="admin", settings=SETTINGS)
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: object, **kwargs: object) -> object:
        decoded.append(str(args[0]))
        return real_decode(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jwt, "decode", counting_decode)
    first = verify_access_token(token, settings=SETTINGS)
    again = verify_access_token(token, settings=SETTINGS)
    assert first == again
    assert again.role == "admin"
    assert decoded == [token]
    # another token, or the same one under other settings, is decoded on its own
    other = Settings(app_env="test", secret_key=SECRET, jwt_audience="another-api")
    with pytest.raises(Unauthorized):
        verify_access_token(token, settings=other)
    assert decoded == [token, token]
