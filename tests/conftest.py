"""Session-wide set-up: settings for tests, a real Postgres database and a real Redis of this run's own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from asset_engine import db
from asset_engine.config import get_settings
from asset_engine.local.embedded_postgres import private_server, scratch_database
from asset_engine.migrate import migrate
from tests.support.lambda_api import LambdaApi
from tests.support.services import postgres_folder, private_redis

# The image tests' fixtures (the RunPod and Storage doubles), found by name where they are used.
pytest_plugins = ["tests.support.image_jobs"]

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256"
TEST_GOOGLE_CLIENT_ID = "asset-engine-test.apps.googleusercontent.com"


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test starts from the same explicit settings, never from the developer's shell."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(("DEEPSEEK_", "RUNPOD_", "SUPABASE_", "UPSTASH_", "GOOGLE_")):
                mp.delenv(name)
        mp.setenv("APP_ENV", "test")
        mp.setenv("SECRET_KEY", TEST_SECRET)
        mp.setenv("GOOGLE_CLIENT_ID", TEST_GOOGLE_CLIENT_ID)
        mp.setenv("DB_POOL_SIZE", "40")
        mp.setenv("LOCAL_STORAGE_DIR", str(tmp_path_factory.mktemp("storage")))
        mp.setenv("POWERTOOLS_METRICS_DISABLED", "true")
        mp.setenv("POWERTOOLS_TRACE_DISABLED", "true")
        mp.setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
        mp.delenv("DATABASE_URL", raising=False)
        mp.delenv("REDIS_URL", raising=False)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    with postgres_folder("tests") as folder, private_server(folder) as url:
        yield url


@pytest.fixture(scope="session")
def database_url(postgres_admin_url: str) -> Iterator[str]:
    """This run's own migrated database, wired into the settings the handlers read."""
    with scratch_database(postgres_admin_url) as url, pytest.MonkeyPatch.context() as mp:
        with db.connect(url) as conn:
            migrate(conn)
        mp.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        db.close_pool()
        yield url
        db.close_pool()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    with private_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this run's own; its keys are deleted at the end."""
    import redis

    prefix = f"asset-engine-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def api(database_url: str) -> LambdaApi:
    """The functions' real handlers, routed by template.yaml."""
    return LambdaApi()


@pytest.fixture
def conn(database_url: str) -> Iterator[db.Connection]:
    """A direct connection for checking what the handlers wrote."""
    with db.connect(database_url) as connection:
        yield connection
