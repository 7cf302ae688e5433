"""Settings: safe defaults, refused placeholders, and the secret from Secrets Manager."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from moto import mock_aws
from pydantic import ValidationError

from asset_engine import config
from asset_engine.config import PLACEHOLDER_SECRET, AppEnv, Settings, get_settings

REAL_SECRET = "a-real-secret-of-at-least-thirty-two-chars"


def test_unset_app_env_means_prod_and_refuses_the_placeholder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APP_ENV")
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings()


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_cloud_environments_refuse_a_missing_or_short_secret(env: AppEnv) -> None:
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


def _stack_secret(monkeypatch: pytest.MonkeyPatch, **values: str) -> str:
    """A stack's JSON secret in (moto's) Secrets Manager, named as the template names it."""
    import boto3

    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = client.create_secret(Name="asset-engine/test", SecretString=json.dumps(values))["ARN"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("SECRETS_ID", arn)
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return str(arn)


CLOUD_SECRETS = {
    "SECRET_KEY": REAL_SECRET,
    "DATABASE_URL": "postgresql://app:pw@db.example.com:6543/postgres",
    "DEEPSEEK_API_KEY": "sk-deepseek",
    "UPSTASH_REDIS_REST_TOKEN": "upstash-token",
    "RUNPOD_API_KEY": "runpod-key",
    "SUPABASE_SERVICE_ROLE_KEY": "service-role",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
}
CLOUD_ENV = {
    "UPSTASH_REDIS_REST_URL": "https://eu1-example.upstash.io",
    "RUNPOD_SDXL_ENDPOINT": "endpoint-id",
    "SUPABASE_URL": "https://project.supabase.co",
}


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A deployed function's environment: no secret in it, the stack's secret in moto."""
    with mock_aws():
        monkeypatch.setenv("APP_ENV", "prod")
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "asset-engine-prod-AuthFunction-x")
        for name, value in CLOUD_ENV.items():
            monkeypatch.setenv(name, value)
        yield monkeypatch
    get_settings.cache_clear()


def test_a_deployed_function_reads_every_secret_from_its_stack_secret(
    cloud: pytest.MonkeyPatch,
) -> None:
    _stack_secret(cloud, **CLOUD_SECRETS)
    settings = get_settings()
    assert settings.secret_key == REAL_SECRET
    assert settings.database_url == CLOUD_SECRETS["DATABASE_URL"]
    assert settings.uses_deepseek and settings.uses_upstash and settings.uses_runpod
    assert settings.uses_supabase_storage


def test_the_secret_is_fetched_once_per_container(cloud: pytest.MonkeyPatch) -> None:
    from aws_lambda_powertools.utilities import parameters

    _stack_secret(cloud, **CLOUD_SECRETS)
    parameters.clear_caches()  # type: ignore[no-untyped-call]  # Powertools leaves it untyped
    calls: list[str] = []
    real_get = parameters.SecretsProvider._get

    def counting_get(self: object, name: str, **kwargs: object) -> str | bytes:
        calls.append(name)
        return real_get(self, name, **kwargs)  # type: ignore[arg-type]

    cloud.setattr(parameters.SecretsProvider, "_get", counting_get)
    get_settings()
    get_settings.cache_clear()  # a second build within max_age comes from Powertools' cache
    get_settings()
    assert len(calls) == 1


@pytest.mark.parametrize("missing", sorted(CLOUD_SECRETS))
def test_the_cloud_refuses_to_start_without_a_secret(
    cloud: pytest.MonkeyPatch, missing: str
) -> None:
    _stack_secret(cloud, **{k: v for k, v in CLOUD_SECRETS.items() if k != missing})
    with pytest.raises(ValueError, match=missing):
        get_settings()


def test_the_cloud_refuses_a_missing_provider_setting_but_accepts_explicit_mock(
    cloud: pytest.MonkeyPatch,
) -> None:
    cloud.delenv("RUNPOD_SDXL_ENDPOINT")
    _stack_secret(cloud, **CLOUD_SECRETS)
    with pytest.raises(ValueError, match="RUNPOD_SDXL_ENDPOINT"):
        get_settings()
    # Explicit mock: the database, the signing secret and file storage remain required.
    cloud.setenv("PROVIDERS", "mock")
    _stack_secret_update(SECRET_KEY=REAL_SECRET, DATABASE_URL="postgresql://db.example.com/x")
    with pytest.raises(ValueError, match="SUPABASE_URL"):
        get_settings()
    _stack_secret_update(
        SECRET_KEY=REAL_SECRET,
        DATABASE_URL="postgresql://db.example.com/x",
        SUPABASE_SERVICE_ROLE_KEY="sb_secret_preview",
    )
    assert get_settings().providers == "mock"


def _stack_secret_update(**values: str) -> None:
    import boto3

    client = boto3.client("secretsmanager", region_name="us-east-1")
    client.put_secret_value(SecretId="asset-engine/test", SecretString=json.dumps(values))
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()  # type: ignore[no-untyped-call]  # Powertools leaves it untyped
    get_settings.cache_clear()


def test_a_secret_with_an_unknown_key_is_refused(cloud: pytest.MonkeyPatch) -> None:
    _stack_secret(cloud, **CLOUD_SECRETS, DEEPSEEK_KEY="typo")
    with pytest.raises(ValueError, match="DEEPSEEK_KEY"):
        get_settings()


def test_a_deployed_dev_stack_needs_its_sign_in_code(cloud: pytest.MonkeyPatch) -> None:
    # A preview: APP_ENV=dev, offline providers, its own database; the dev sign-in is gated.
    cloud.setenv("APP_ENV", "dev")
    cloud.setenv("PROVIDERS", "mock")
    storage = {"SUPABASE_SERVICE_ROLE_KEY": "sb_secret_preview"}
    _stack_secret(cloud, SECRET_KEY=REAL_SECRET, DATABASE_URL="postgresql://db/x", **storage)
    with pytest.raises(ValueError, match="DEV_SIGN_IN_CODE"):
        get_settings()
    _stack_secret_update(
        SECRET_KEY=REAL_SECRET,
        DATABASE_URL="postgresql://db/x",
        DEV_SIGN_IN_CODE="c" * 24,
        **storage,
    )
    settings = get_settings()
    assert settings.dev_sign_in_allowed("c" * 24)
    assert not settings.dev_sign_in_allowed(None)
    assert not settings.dev_sign_in_allowed("wrong")


def test_locally_the_dev_sign_in_needs_no_code() -> None:
    assert Settings(app_env="dev").dev_sign_in_allowed(None)


def test_migrate_needs_only_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    # deploy.yml migrates with APP_ENV unset (prod) and no SECRET_KEY: that must not refuse.
    monkeypatch.delenv("APP_ENV")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setattr(config, "_serving", True)
    config.for_maintenance()
    try:
        assert get_settings().app_env == "prod"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
