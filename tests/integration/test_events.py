"""Every event under tests/events/, filled and invoked by `asset-engine event --invoke` (what
`make invoke` runs), answers its expected status; the sam local invoke env-vars file names only
local services."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import urlparse

import pytest

from asset_engine import cli
from asset_engine.config import get_settings
from asset_engine.local import events
from asset_engine.local.template import load_functions
from tests.conftest import TEST_GOOGLE_CLIENT_ID
from tests.support.google_certs import certificate_endpoint, google_id_token, make_signing_key
from tests.support.lambda_api import PROJECT_ROOT

GOOGLE_KEY = make_signing_key("events-google-key")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "host.docker.internal"}


@pytest.fixture(autouse=True)
def google_certs(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Google's certificates from a local double: no event reaches the network."""
    with certificate_endpoint(GOOGLE_KEY) as url:
        monkeypatch.setenv("GOOGLE_CERTS_URL", url)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


def _run(*args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """`asset-engine event ...` in this process; its own environment changes are undone."""
    with mock.patch.dict(os.environ):
        assert cli.main(["--root", str(PROJECT_ROOT), "event", *args]) == 0
    get_settings.cache_clear()
    out = capsys.readouterr().out.splitlines()
    start = max(i for i, line in enumerate(out) if line == "{")  # the last printed document
    printed: dict[str, Any] = json.loads("\n".join(out[start:]))
    return printed


def test_every_event_has_an_expected_status_and_every_expectation_an_event() -> None:
    keys = {event.key for event in events.all_events(PROJECT_ROOT)}
    assert keys == set(events.expected_statuses(PROJECT_ROOT))


@pytest.mark.parametrize(
    "key", sorted(events.expected_statuses(PROJECT_ROOT)), ids=lambda key: key.removesuffix(".json")
)
def test_each_event_answers_its_expected_status_in_process(
    key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an event file with placeholders, when `make invoke FN=<folder> EVENT=<name>` runs it
    folder, name = key.removesuffix(".json").split("/")
    result = _run(folder, name, "--invoke", capsys=capsys)
    # Then the real handler answers as the event's caller expects, with no placeholder left
    expected = events.expected_statuses(PROJECT_ROOT)[key]
    if expected is None:
        assert "statusCode" not in result
    else:
        assert result["statusCode"] == expected, result.get("body")


def test_printed_events_carry_a_real_token_and_ids(capsys: pytest.CaptureFixture[str]) -> None:
    event = _run("AssetsFunction", "undo", capsys=capsys)
    assert "{{" not in json.dumps(event)
    assert event["headers"]["authorization"].count(".") == 2  # a JWT
    assert event["rawPath"] == f"/api/v1/assets/{event['pathParameters']['asset_id']}/undo"


def test_set_fills_a_placeholder_only_an_outside_party_can_mint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = google_id_token(GOOGLE_KEY, aud=TEST_GOOGLE_CLIENT_ID, email="events@example.com")
    result = _run("auth", "google_sign_in", "--invoke", "--set", f"id_token={token}", capsys=capsys)
    assert result["statusCode"] == 200
    assert json.loads(result["body"])["user"]["email"] == "events@example.com"


def test_the_sam_local_env_vars_file_names_only_local_services() -> None:
    document = json.loads((PROJECT_ROOT / events.EVENTS_DIR / events.SAM_ENV_VARS_FILE).read_text())
    functions = {f.logical_id for f in load_functions(PROJECT_ROOT / "template.yaml")}
    assert set(document) <= {"Parameters", *functions}
    values = {k: v for section in document.values() for k, v in section.items()}
    assert values["APP_ENV"] == "dev"
    assert values["PROVIDERS"] == "mock"
    # No secret store, no provider, no outside host: every URL points at this machine.
    assert not values.get("SECRETS_ID")
    for name in ("DEEPSEEK_API_KEY", "UPSTASH_REDIS_REST_TOKEN", "RUNPOD_API_KEY"):
        assert not values.get(name)
    for name, value in values.items():
        if "://" in str(value):
            for url in str(value).split(","):
                assert urlparse(url).hostname in LOCAL_HOSTS, (name, url)
    # sam local invoke only overrides variables the template declares.
    template = (PROJECT_ROOT / "template.yaml").read_text()
    for name in values:
        assert f"{name}:" in template, f"template.yaml does not declare {name}"
