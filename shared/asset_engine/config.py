"""Settings, read once per container from the environment (and Secrets Manager in the cloud)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET = "dev-only-placeholder-secret-change-me-before-deploying"  # noqa: S105 - the known-bad default we refuse
AppEnv = Literal["dev", "test", "staging", "prod"]


class Settings(BaseSettings):
    # Empty values count as unset, so a copied .env.example cannot blank out a default.
    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", case_sensitive=False, env_ignore_empty=True
    )

    # An unset APP_ENV means prod: a forgotten setting must fail safe, not open dev paths.
    app_env: AppEnv = "prod"
    secret_key: str = PLACEHOLDER_SECRET
    # In the cloud the secret comes from Secrets Manager (name or ARN), not from the environment.
    secret_key_secret_id: str | None = None
    secret_cache_s: int = 300

    database_url: str | None = None
    db_pool_size: int = Field(default=1, ge=1, le=100)
    db_connect_timeout_s: int = 5

    redis_url: str | None = None
    upstash_redis_rest_url: str | None = None
    upstash_redis_rest_token: str | None = None

    cors_origins: Annotated[list[str], NoDecode] = [
        "http://127.0.0.1:3000",
        "http://localhost:3000",
    ]

    jwt_issuer: str = "asset-engine"
    jwt_audience: str = "asset-engine-api"
    access_token_ttl_s: int = Field(default=12 * 3600, ge=60)

    google_client_id: str | None = None
    google_certs_url: str = "https://www.googleapis.com/oauth2/v1/certs"

    signup_credits: int = Field(default=50, ge=0)

    # Where providers call back; unset means the URL the request came in on.
    public_api_url: str | None = None

    deepseek_api_key: str | None = None
    deepseek_base_url: str = "https://api.deepseek.com"
    deepseek_model: str = "deepseek-chat"
    deepseek_connect_timeout_s: float = 3.0
    deepseek_read_timeout_s: float = 10.0
    deepseek_max_retries: int = Field(default=2, ge=0, le=5)
    deepseek_backoff_s: float = Field(default=0.5, ge=0)
    # A charged AI request with no outcome this long after its charge was cut off: the sweeper
    # refunds it. Far longer than any request can run (29 s).
    abandoned_request_after_s: int = Field(default=300, ge=0)
    # The whole exchange (retries and repair included) ends by then: inside the Lambda's 29 s.
    deepseek_budget_s: float = Field(default=25.0, gt=0, le=27)

    runpod_api_key: str | None = None
    runpod_sdxl_endpoint: str | None = None
    runpod_base_url: str = "https://api.runpod.ai"
    runpod_connect_timeout_s: float = 3.0
    runpod_read_timeout_s: float = 10.0
    runpod_max_retries: int = Field(default=2, ge=0, le=5)
    runpod_backoff_s: float = Field(default=0.5, ge=0)
    # worker-sdxl's knobs for every job (its defaults are 25 steps and 7.5).
    sdxl_num_inference_steps: int = Field(default=25, ge=1, le=150)
    sdxl_guidance_scale: float = Field(default=7.5, ge=0, le=30)
    # Image jobs still queued or running after this long are timed out and refunded (sweeper).
    image_job_timeout_s: int = Field(default=600, ge=30)
    # The offline painter's pretend work, so the UI's progress shows (seconds).
    mock_image_delay_s: float = Field(default=1.5, ge=0, le=30)

    supabase_url: str | None = None
    supabase_service_role_key: str | None = None
    supabase_storage_bucket: str = "assets"
    # public: permanent public-bucket URLs; signed: URLs that expire after storage_signed_url_ttl_s.
    storage_url_mode: Literal["public", "signed"] = "public"
    storage_signed_url_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    local_storage_dir: str = ".data/storage"

    rate_limit_ai: str = "20/60"
    rate_limit_prefix: str = "asset-engine"

    price_text: int = Field(default=1, ge=0)
    price_suggestions: int = Field(default=1, ge=0)
    price_refine: int = Field(default=1, ge=0)
    price_image: int = Field(default=5, ge=0)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, value: list[str]) -> list[str]:
        # Credentials are allowed cross-origin, so the allowlist must name real origins.
        if "*" in value:
            raise ValueError("CORS_ORIGINS must list origins; '*' is not allowed")
        return value

    @field_validator("rate_limit_ai")
    @classmethod
    def _rate_limit_shape(cls, value: str) -> str:
        limit, _, window = value.partition("/")
        if not (limit.isdigit() and window.isdigit() and int(limit) > 0 and int(window) > 0):
            raise ValueError("RATE_LIMIT_AI must look like '20/60' (requests/seconds)")
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.is_dev_like or self.secret_key_secret_id:
            return self
        if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32:
            raise ValueError(
                f"SECRET_KEY must be a real secret of at least 32 characters when APP_ENV={self.app_env}"
            )
        return self

    @property
    def is_dev_like(self) -> bool:
        return self.app_env in ("dev", "test")

    @property
    def rate_limit(self) -> tuple[int, int]:
        limit, _, window = self.rate_limit_ai.partition("/")
        return int(limit), int(window)

    @property
    def uses_upstash(self) -> bool:
        return bool(self.upstash_redis_rest_url and self.upstash_redis_rest_token)

    @property
    def uses_deepseek(self) -> bool:
        return bool(self.deepseek_api_key)

    @property
    def uses_runpod(self) -> bool:
        return bool(self.runpod_api_key and self.runpod_sdxl_endpoint)

    @property
    def uses_supabase_storage(self) -> bool:
        return bool(self.supabase_url and self.supabase_service_role_key)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The container's settings, built on first use (tests call ``get_settings.cache_clear()``)."""
    settings = Settings()
    if settings.secret_key_secret_id:
        settings = settings.model_copy(update={"secret_key": _secret_from_aws(settings)})
        if not settings.is_dev_like and len(settings.secret_key) < 32:
            raise ValueError("the secret in Secrets Manager must be at least 32 characters")
    return settings


def _secret_from_aws(settings: Settings) -> str:
    # Imported here: only functions configured with a secret id pay for boto3 at cold start.
    from aws_lambda_powertools.utilities import parameters

    assert settings.secret_key_secret_id is not None
    value = parameters.get_secret(settings.secret_key_secret_id, max_age=settings.secret_cache_s)
    return value if isinstance(value, str) else bytes(value).decode()
