"""A preview's developer sign-in: open locally, gated by the stack's own code when deployed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from asset_engine.config import get_settings
from tests.support.factories import unique_email
from tests.support.lambda_api import LambdaApi

CODE = "preview-code-of-this-stack-0123456789"


@pytest.fixture
def preview(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings a preview's functions run with (the code arrives from its stack secret)."""
    monkeypatch.setenv("APP_ENV", "dev")
    monkeypatch.setenv("DEV_SIGN_IN_CODE", CODE)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.usefixtures("preview")
def test_a_preview_refuses_the_dev_sign_in_without_its_code(api: LambdaApi) -> None:
    body = {"email": unique_email("reviewer")}
    # Given no code, or another stack's code: 401, and no session
    assert api.post("/api/v1/dev-token", body).error_code == "unauthorized"
    wrong = api.post("/api/v1/dev-token", body, headers={"X-Dev-Sign-In-Code": "x" * 36})
    assert wrong.status == 401 and "access_token" not in wrong.json


@pytest.mark.usefixtures("preview")
def test_a_reviewer_with_the_code_signs_in(api: LambdaApi) -> None:
    email = unique_email("reviewer")
    answer = api.post("/api/v1/dev-token", {"email": email}, headers={"X-Dev-Sign-In-Code": CODE})
    assert answer.status == 200
    me = api.get("/api/v1/me", token=answer.json["access_token"])
    assert me.json["email"] == email


def test_locally_the_dev_sign_in_needs_no_code(api: LambdaApi) -> None:
    assert api.post("/api/v1/dev-token", {"email": unique_email("dev")}).status == 200
