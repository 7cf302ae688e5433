"""Settings: safe defaults, refused placeholders, and the secret from Secrets Manager."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws
from pydantic import ValidationError

from asset_engine.config import PLACEHOLDER_SECRET, Settings, get_settings

REAL_SECRET = "a-real-secret-of-at-least-thirty-two-chars"


def test_unset_app_env_means_prod_and_refuses_the_placeholder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APP_ENV")
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings()


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_cloud_environments_refuse_a_missing_or_short_secret(env: str) -> None:
    with pytest.raises(ValidationError):
        Settings(app_env=env, secret_key=PLACEHOLDER_SECRET)
    with pytest.raises(ValidationError):
        Settings(app_env=env, secret_key="short")
    assert Settings(app_env=env, secret_key=REAL_SECRET).secret_key == REAL_SECRET


def test_dev_and_test_accept_the_placeholder() -> None:
    assert Settings(app_env="dev", secret_key=PLACEHOLDER_SECRET).is_dev_like


def test_cors_origins_come_comma_separated_and_never_as_wildcard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com, https://preview.example.com")
    assert Settings().cors_origins == ["https://app.example.com", "https://preview.example.com"]
    monkeypatch.setenv("CORS_ORIGINS", "*")
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings()


def test_rate_limit_is_parsed_and_checked() -> None:
    assert Settings(rate_limit_ai="30/10").rate_limit == (30, 10)
    with pytest.raises(ValidationError):
        Settings(rate_limit_ai="twenty")


def test_settings_are_read_once_per_container(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    first = get_settings()
    monkeypatch.setenv("SIGNUP_CREDITS", "7")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().signup_credits == 7
    get_settings.cache_clear()


@mock_aws
def test_prod_reads_its_secret_from_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = client.create_secret(Name="asset-engine/test/secret-key", SecretString=REAL_SECRET)["ARN"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("APP_ENV", "prod")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("SECRET_KEY_SECRET_ID", arn)
    get_settings.cache_clear()
    try:
        assert get_settings().secret_key == REAL_SECRET
    finally:
        get_settings.cache_clear()
