"""Settings, read once per container from the environment (and Secrets Manager in the cloud).

A deployed stack keeps every secret in one JSON secret in Secrets Manager (`SECRETS_ID`, named
`asset-engine/<env>`), keyed by the settings' environment names (`SECRET_KEY`, `DATABASE_URL`,
...). It is fetched once per container through Powertools' parameters utility and cached for
`SECRET_CACHE_S`; nothing secret is in the Lambda environment, the template or samconfig.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET = "dev-only-placeholder-secret-change-me-before-deploying"  # noqa: S105 - the known-bad default we refuse
AppEnv = Literal["dev", "test", "staging", "prod"]
# The endpoint id `asset-engine serve` gives its local RunPod stand-in (offline images).
OFFLINE_SDXL_ENDPOINT = "offline-sdxl"
# What signs Stripe's webhooks locally (the Stripe stand-in of `asset-engine serve`, the tests)
# when STRIPE_WEBHOOK_SECRET is unset: dev and test only, never in the cloud.
DEV_STRIPE_WEBHOOK_SECRET = "whsec_asset_engine_local_dev_only"  # noqa: S105 - dev/test only


class CreditPack(BaseModel):
    """A pack of credits on sale. In the cloud `stripe_price` is its Stripe Price id (whose
    amount must equal `price_cents`); without one the checkout states the amount itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    credits: int = Field(gt=0, le=1_000_000)
    price_cents: int = Field(gt=0, le=100_000_000)
    currency: str = Field(default="usd", pattern=r"^[a-z]{3}$")
    stripe_price: str | None = None


DEFAULT_CREDIT_PACKS = [
    CreditPack(id="starter", credits=100, price_cents=500),
    CreditPack(id="growth", credits=500, price_cents=2000),
    CreditPack(id="scale", credits=2000, price_cents=6000),
]


class Settings(BaseSettings):
    # Empty values count as unset, so a copied .env.example cannot blank out a default.
    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", case_sensitive=False, env_ignore_empty=True
    )

    # An unset APP_ENV means prod: a forgotten setting must fail safe, not open dev paths.
    app_env: AppEnv = "prod"
    secret_key: str = PLACEHOLDER_SECRET
    # In the cloud every secret comes from this Secrets Manager secret (name or ARN; a JSON
    # object keyed by SECRET_KEYS), not from the environment.
    secrets_id: str | None = None
    secret_cache_s: int = 300
    # Set by Lambda (and by `sam local invoke`): this process is a function's container.
    aws_lambda_function_name: str | None = None
    # "real": a deployed stack must have every outside service configured, or it refuses to
    # start. "mock": it says so explicitly, and falls back to the offline writer and painter
    # and in-memory rate limits (previews); files still go to Supabase Storage.
    providers: Literal["real", "mock"] = "real"
    # A deployed dev-like stack (a preview) gates /api/v1/dev-token behind this per-stack code,
    # sent as the X-Dev-Sign-In-Code header. Unset locally: the dev sign-in is open there.
    dev_sign_in_code: str | None = None

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

    # Buying credits (Stripe Checkout). Without STRIPE_SECRET_KEY there is nothing to buy with
    # (checkout answers 503), except under `asset-engine serve`, which runs a local stand-in.
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    # Where the stripe library sends its API calls (the stand-in, a test double); unset: Stripe.
    stripe_api_base: str | None = None
    stripe_timeout_s: float = Field(default=10.0, gt=0, le=25)
    # JSON: [{"id", "credits", "price_cents", "currency", "stripe_price"}, ...]
    credit_packs: list[CreditPack] = Field(default_factory=lambda: list(DEFAULT_CREDIT_PACKS))
    # Where Checkout sends the buyer back (success and cancel pages); unset: the first CORS origin.
    frontend_url: str | None = None

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

    @field_validator("credit_packs")
    @classmethod
    def _packs_distinct(cls, value: list[CreditPack]) -> list[CreditPack]:
        if len({pack.id for pack in value}) != len(value):
            raise ValueError("CREDIT_PACKS: every pack needs an id of its own")
        return value

    @field_validator("rate_limit_ai")
    @classmethod
    def _rate_limit_shape(cls, value: str) -> str:
        limit, _, window = value.partition("/")
        if not (limit.isdigit() and window.isdigit() and int(limit) > 0 and int(window) > 0):
            raise ValueError("RATE_LIMIT_AI must look like '20/60' (requests/seconds)")
        return value

    @model_validator(mode="after")
    def _ready_to_serve(self) -> Settings:
        # With SECRETS_ID the secret arrives after construction; get_settings() checks it then.
        if self.secrets_id or not _serving:
            return self
        self.check_ready_to_serve()
        return self

    def check_ready_to_serve(self) -> None:
        """Refuse what a serving process must not start with: a placeholder signing secret
        outside dev/test, and in the cloud a missing outside service or an open dev sign-in."""
        if not self.is_dev_like and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                f"SECRET_KEY must be a real secret of at least 32 characters when APP_ENV={self.app_env}"
            )
        if not self.in_cloud:
            return
        missing = [name for name, present in self._required_in_cloud() if not present]
        if missing:
            raise ValueError(
                f"APP_ENV={self.app_env} in the cloud needs {', '.join(missing)} "
                "(or PROVIDERS=mock, said explicitly, for the offline stand-ins)"
            )
        if self.is_dev_like and not (self.dev_sign_in_code and len(self.dev_sign_in_code) >= 16):
            raise ValueError(
                "a deployed dev stack needs DEV_SIGN_IN_CODE (16+ characters) in its secret: "
                "the dev sign-in is never open on a public URL"
            )

    def _required_in_cloud(self) -> list[tuple[str, bool]]:
        # Storage even with mock providers: a Lambda has no folder that outlives it or that
        # anything serves, so offline pictures are kept in Supabase Storage too.
        required = [
            ("DATABASE_URL", bool(self.database_url)),
            ("SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY", self.uses_supabase_storage),
        ]
        if self.providers == "real":
            required += [
                ("DEEPSEEK_API_KEY", self.uses_deepseek),
                (
                    "UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (or REDIS_URL)",
                    self.uses_upstash or bool(self.redis_url),
                ),
                ("RUNPOD_API_KEY + RUNPOD_SDXL_ENDPOINT", self.uses_runpod),
                # Without them a stack would sell nothing, or take payments it cannot verify.
                (
                    "STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET",
                    bool(self.stripe_secret_key and self.stripe_webhook_secret),
                ),
            ]
        return required

    def dev_sign_in_allowed(self, code: str | None) -> bool:
        """Whether a dev sign-in with this code may proceed (the route exists in dev/test only)."""
        if not self.dev_sign_in_code:
            return not self.in_cloud
        return code is not None and hmac.compare_digest(
            code.encode(), self.dev_sign_in_code.encode()
        )

    @property
    def is_dev_like(self) -> bool:
        return self.app_env in ("dev", "test")

    @property
    def in_cloud(self) -> bool:
        """A deployed function: it has a stack secret, or runs in Lambda as staging/prod."""
        return bool(self.secrets_id) or (
            not self.is_dev_like and bool(self.aws_lambda_function_name)
        )

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
    def image_provider_name(self) -> Literal["runpod", "mock"]:
        """ "mock" for the offline painter and for the local RunPod stand-in alike."""
        if self.uses_runpod and self.runpod_sdxl_endpoint != OFFLINE_SDXL_ENDPOINT:
            return "runpod"
        return "mock"

    @property
    def uses_supabase_storage(self) -> bool:
        return bool(self.supabase_url and self.supabase_service_role_key)

    @property
    def uses_stripe(self) -> bool:
        return bool(self.stripe_secret_key)

    @property
    def stripe_webhook_signing_secret(self) -> str | None:
        """The secret Stripe signs webhooks with; locally (dev/test, not in the cloud) the dev
        secret when none is set. None: no webhook can be verified."""
        if self.stripe_webhook_secret:
            return self.stripe_webhook_secret
        if self.is_dev_like and not self.in_cloud:
            return DEV_STRIPE_WEBHOOK_SECRET
        return None

    @property
    def checkout_return_url(self) -> str:
        """The frontend's origin, which Checkout's success and cancel URLs point at."""
        base = self.frontend_url or (self.cors_origins[0] if self.cors_origins else None)
        return (base or "http://127.0.0.1:3000").rstrip("/")


# The keys a stack's JSON secret may hold: the settings that are secret.
SECRET_KEYS = frozenset(
    {
        "SECRET_KEY",
        "DATABASE_URL",
        "DEEPSEEK_API_KEY",
        "UPSTASH_REDIS_REST_TOKEN",
        "REDIS_URL",
        "RUNPOD_API_KEY",
        "SUPABASE_SERVICE_ROLE_KEY",
        "DEV_SIGN_IN_CODE",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    }
)

# False in processes that sign nothing and call no provider (migrate, make-admin).
_serving = True


def for_maintenance() -> None:
    """This process only runs a maintenance task against the database (`asset-engine migrate`,
    `make-admin`): it needs DATABASE_URL, not the signing secret or the providers."""
    global _serving
    _serving = False
    get_settings.cache_clear()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The container's settings, built on first use (tests call ``get_settings.cache_clear()``)."""
    settings = Settings()
    if settings.secrets_id:
        settings = settings.model_copy(update=_secrets_from_aws(settings))
        if _serving:
            settings.check_ready_to_serve()
    return settings


def _secrets_from_aws(settings: Settings) -> dict[str, Any]:
    # Imported here: boto3 (through Powertools) loads only in functions that read a secret,
    # on their first request's init, never in local runs.
    from aws_lambda_powertools.utilities import parameters

    assert settings.secrets_id is not None
    value = parameters.get_secret(
        settings.secrets_id, transform="json", max_age=settings.secret_cache_s
    )
    if not isinstance(value, dict):
        raise ValueError(f"the secret {settings.secrets_id} must be a JSON object")
    unknown = sorted(set(value) - SECRET_KEYS)
    if unknown:
        raise ValueError(
            f"the secret {settings.secrets_id} holds keys that are not secret settings: "
            f"{', '.join(unknown)} (allowed: {', '.join(sorted(SECRET_KEYS))})"
        )
    # Empty values count as unset, as they do in the environment.
    return {key.lower(): str(v) for key, v in value.items() if v not in (None, "")}
