"""The RunPod callback URL: our base, the job's path, and a token for that job only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from asset_engine.config import get_settings
from asset_engine.images import callback_tokens


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SECRET_KEY", "unit-test-secret-that-is-long-enough-" + "2" * 27)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.example", "https://api.example"),
        ("https://api.example/", "https://api.example"),
        ("https://api.example/stage//", "https://api.example/stage"),
        ("https://hooks.example/X/", "https://hooks.example/X"),
    ],
)
def test_the_callback_url_joins_the_base_without_doubled_slashes(base: str, expected: str) -> None:
    job_id = uuid.uuid4()
    token = callback_tokens.mint(job_id)
    url = callback_tokens.callback_url(job_id, base_url=base)
    assert url == f"{expected}/api/v1/webhooks/runpod/{job_id}?token={token}"
    assert callback_tokens.is_valid(job_id, token)
    assert not callback_tokens.is_valid(uuid.uuid4(), token)
