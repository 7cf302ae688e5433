"""Google sign-in end to end through google-auth, against a local certificate endpoint."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from asset_engine.config import get_settings
from tests.conftest import TEST_GOOGLE_CLIENT_ID
from tests.support.factories import unique_email
from tests.support.google_certs import (
    SigningKey,
    certificate_endpoint,
    google_id_token,
    make_signing_key,
)
from tests.support.lambda_api import LambdaApi, load_event

GOOGLE_KEY = make_signing_key("google-test-key-1")
STRANGER_KEY = make_signing_key("google-test-key-1")  # same kid, different key: a forgery


@pytest.fixture(autouse=True)
def google_certs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with certificate_endpoint(GOOGLE_KEY) as url:
        monkeypatch.setenv("GOOGLE_CERTS_URL", url)
        get_settings.cache_clear()
        yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _token(key: SigningKey = GOOGLE_KEY, **claims: object) -> str:
    return google_id_token(key, **{"aud": TEST_GOOGLE_CLIENT_ID, **claims})


def test_a_verified_google_user_signs_in_and_is_created_once(api: LambdaApi) -> None:
    email = unique_email("google")
    sub = f"sub-{email}"
    first = api.post("/api/v1/auth/google", {"id_token": _token(email=email, sub=sub)})
    assert first.status == 200, first.body
    user = first.json["user"]
    assert (user["email"], user["name"], user["credits_balance"]) == (email, "Mara Keter", 50)
    assert user["avatar_url"] == "https://example.com/mara.png"

    again = api.post("/api/v1/auth/google", {"id_token": _token(email=email, sub=sub)})
    assert again.json["user"]["id"] == user["id"]
    assert again.json["user"]["credits_balance"] == 50

    me = api.get("/api/v1/me", token=again.json["access_token"])
    assert me.json["id"] == user["id"]


def test_a_google_account_that_changed_its_email_keeps_its_user(api: LambdaApi) -> None:
    # Given a Google user who signed up under one address
    old_email, new_email = unique_email("before"), unique_email("after")
    sub = f"sub-{old_email}"
    first = api.post("/api/v1/auth/google", {"id_token": _token(email=old_email, sub=sub)})
    # When the same Google account (same sub) comes back with another address
    again = api.post("/api/v1/auth/google", {"id_token": _token(email=new_email, sub=sub)})
    # Then it is the same user, now under the new address, granted once
    assert again.status == 200, again.body
    assert again.json["user"]["id"] == first.json["user"]["id"]
    assert (again.json["user"]["email"], again.json["user"]["credits_balance"]) == (new_email, 50)


def test_another_google_account_with_a_taken_email_is_refused(api: LambdaApi) -> None:
    # Given a user linked to one Google account
    email = unique_email("owner")
    owner = api.post("/api/v1/auth/google", {"id_token": _token(email=email, sub="sub-owner-1")})
    # When a different Google account presents the same address
    other = api.post("/api/v1/auth/google", {"id_token": _token(email=email, sub="sub-intruder")})
    # Then it does not get the owner's account
    assert (other.status, other.error_code) == (401, "unauthorized")
    me = api.get("/api/v1/me", token=owner.json["access_token"]).json
    assert me["credits_balance"] == 50


def test_googles_certificates_are_fetched_once_per_max_age(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetches: list[str] = []
    with certificate_endpoint(GOOGLE_KEY, fetches=fetches) as url:
        monkeypatch.setenv("GOOGLE_CERTS_URL", url)
        get_settings.cache_clear()
        for _ in range(3):
            answer = api.post("/api/v1/auth/google", {"id_token": _token(email=unique_email())})
            assert answer.status == 200
    # The endpoint says max-age=19000: one fetch serves all three sign-ins
    assert len(fetches) == 1


def test_the_sam_local_event_signs_in(api: LambdaApi) -> None:
    route, _ = api.route("POST", "/api/v1/auth/google")
    event = load_event("auth/google_sign_in.json", id_token=_token(email=unique_email()))
    assert api.invoke(route, event).status == 200


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(
            lambda: _token(aud="another-client.apps.googleusercontent.com"), id="wrong-aud"
        ),
        pytest.param(lambda: _token(iss="https://accounts.evil.example"), id="wrong-iss"),
        pytest.param(
            lambda: _token(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), id="expired"
        ),
        pytest.param(lambda: _token(STRANGER_KEY), id="bad-signature"),
        pytest.param(lambda: _token(email_verified=False), id="email-not-verified"),
        pytest.param(lambda: _token(email=None), id="no-email"),
        pytest.param(lambda: "header.payload.signature", id="not-a-jwt"),
    ],
)
def test_tokens_google_would_not_vouch_for_answer_401(
    api: LambdaApi, token: Callable[[], str]
) -> None:
    answer = api.post("/api/v1/auth/google", {"id_token": token()})
    assert (answer.status, answer.error_code) == (401, "unauthorized")
    assert "access_token" not in answer.json


def test_unreachable_certificate_endpoint_answers_503(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CERTS_URL", "http://127.0.0.1:1/oauth2/v1/certs")
    get_settings.cache_clear()
    answer = api.post("/api/v1/auth/google", {"id_token": _token(email=unique_email())})
    assert (answer.status, answer.error_code) == (503, "service_unavailable")
