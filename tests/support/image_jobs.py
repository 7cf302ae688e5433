"""What the image-job tests share: the RunPod and Storage settings pointed at the doubles, the
calls every case makes, and the invariants checked after every case. A pytest plugin
(tests/conftest.py loads it): its fixtures are found by name; a module that uses them marks
itself `usefixtures("fresh_image_settings")`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from asset_engine import db, storage
from asset_engine.config import get_settings
from asset_engine.providers.images import reset_image_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.factories import SignedUp
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import Answer, LambdaApi
from tests.support.runpod_double import RunPodDouble, RunPodJob
from tests.support.storage_double import BUCKET, StorageDouble

DAY_S = 86_400


def _forget_built_clients() -> None:
    get_settings.cache_clear()
    reset_image_provider()
    storage.reset_storage()
    reset_rate_limiter()


@pytest.fixture
def fresh_image_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Each test chooses its own provider and storage; none leaks into the next test."""
    _forget_built_clients()
    yield monkeypatch
    monkeypatch.undo()
    _forget_built_clients()


@pytest.fixture
def day_long_jobs(fresh_image_settings: pytest.MonkeyPatch) -> None:
    """IMAGE_JOB_TIMEOUT_S of a day: a sweep ends only the jobs the test aged past it
    (`age_past_timeout`), never one another test left open a few minutes ago, so what a sweep
    counts is exact."""
    fresh_image_settings.setenv("IMAGE_JOB_TIMEOUT_S", str(DAY_S))
    get_settings.cache_clear()


def age_past_timeout(conn: db.Connection, job_id: str, *, minutes: int = 1) -> None:
    """The job was submitted a day and `minutes` ago: past `day_long_jobs`' timeout."""
    conn.execute(
        "UPDATE generation_jobs SET created_at = now() - interval '1 day' "
        "- make_interval(mins => %s) WHERE id = %s",
        (minutes, job_id),
    )


class _Switch:
    """An ASGI app that passes each request to the app of the test running now: one server
    per module instead of one per test (starting and stopping one costs ~0.3 s)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def _runpod_server() -> Iterator[tuple[_Switch, str]]:
    switch = _Switch()
    with serve_in_thread(switch) as url:
        yield switch, url


@pytest.fixture(scope="module")
def _storage_server() -> Iterator[tuple[_Switch, str]]:
    switch = _Switch()
    with serve_in_thread(switch) as url:
        yield switch, url


@pytest.fixture
def runpod(
    fresh_image_settings: pytest.MonkeyPatch, _runpod_server: tuple[_Switch, str]
) -> RunPodDouble:
    """A fresh RunPod double, with the settings that make the real client talk to it."""
    switch, url = _runpod_server
    double = RunPodDouble(url=url)
    switch.app = double.app()
    fresh_image_settings.setenv("RUNPOD_API_KEY", double.api_key)
    fresh_image_settings.setenv("RUNPOD_SDXL_ENDPOINT", double.endpoint)
    fresh_image_settings.setenv("RUNPOD_BASE_URL", double.url)
    fresh_image_settings.setenv("RUNPOD_BACKOFF_S", "0")
    _forget_built_clients()
    return double


@pytest.fixture
def supabase(
    fresh_image_settings: pytest.MonkeyPatch, _storage_server: tuple[_Switch, str]
) -> StorageDouble:
    """A fresh Storage double, with the settings that make the real `supabase` client use it."""
    switch, url = _storage_server
    double = StorageDouble(url=url)
    switch.app = double.app()
    fresh_image_settings.setenv("SUPABASE_URL", double.url)
    fresh_image_settings.setenv("SUPABASE_SERVICE_ROLE_KEY", double.service_key)
    fresh_image_settings.setenv("SUPABASE_STORAGE_BUCKET", BUCKET)
    _forget_built_clients()
    return double


# --- the calls ----------------------------------------------------------------------------


def generate(api: LambdaApi, user: SignedUp, **fields: Any) -> Answer:
    headers = fields.pop("headers", None)
    body = {"prompt": "A linen shirt on a sunny terrace", "width": 640, "height": 512, **fields}
    return api.post("/api/v1/ai/generate-image", body, token=user.token, headers=headers)


def deliver(
    api: LambdaApi,
    job: RunPodJob,
    body: Any = None,
    *,
    token: str | None = "",
    raw_body: bytes | None = None,
) -> Answer:
    """RunPod's webhook POST to the URL we gave it, through the callback's real handler.
    `token=""` keeps the URL's own token; None sends none; anything else replaces it."""
    query = {"token": job.webhook_token if token == "" else token} if token is not None else {}
    headers = {"content-type": "application/json"} if raw_body is not None else None
    return api.post(job.webhook_path, body, query=query, raw_body=raw_body, headers=headers)


def job_row(conn: db.Connection, job_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM generation_jobs WHERE id = %s", (job_id,)).fetchone()
    assert row is not None
    return dict(row)


def asset_row(conn: db.Connection, asset_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM assets WHERE id = %s", (asset_id,)).fetchone()
    assert row is not None
    return dict(row)


def versions(conn: db.Connection, asset_id: str) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT version, source, storage_path FROM asset_versions WHERE asset_id = %s "
        "ORDER BY version",
        (asset_id,),
    ).fetchall()


def ledger(conn: db.Connection, user: SignedUp) -> list[tuple[int, str, str | None]]:
    rows = conn.execute(
        "SELECT delta, reason, ref_type, ref_id FROM credit_ledger WHERE user_id = %s "
        "ORDER BY created_at, id",
        (user.id,),
    ).fetchall()
    return [(r["delta"], r["reason"], r["ref_id"]) for r in rows]


def balance(conn: db.Connection, user: SignedUp) -> int:
    row = conn.execute("SELECT credits_balance FROM users WHERE id = %s", (user.id,)).fetchone()
    assert row is not None
    return int(row["credits_balance"])


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


# --- the invariants -----------------------------------------------------------------------


def check_invariants(conn: db.Connection, user: SignedUp) -> None:
    """What holds after any sequence of calls: the balance is the ledger's sum; each job has
    one charge and at most one refund; each asset's versions run 1..latest; and each job's
    state agrees with its asset and its money."""
    sums = conn.execute(
        "SELECT u.credits_balance, COALESCE(sum(l.delta), 0) AS total FROM users u "
        "LEFT JOIN credit_ledger l ON l.user_id = u.id WHERE u.id = %s GROUP BY u.id",
        (user.id,),
    ).fetchone()
    assert sums is not None and sums["credits_balance"] == sums["total"], sums

    jobs = conn.execute(
        "SELECT * FROM generation_jobs WHERE user_id = %s ORDER BY created_at", (user.id,)
    ).fetchall()
    for job in jobs:
        money = conn.execute(
            "SELECT delta, reason FROM credit_ledger WHERE ref_type = 'image_job' AND ref_id = %s",
            (str(job["id"]),),
        ).fetchall()
        charges = [m for m in money if m["delta"] < 0]
        refunds = [m for m in money if m["delta"] > 0]
        assert len(charges) == 1 and charges[0]["delta"] == -job["credits_charged"], money
        assert len(refunds) <= 1, money
        if job["status"] == "succeeded":
            assert refunds == [], job
            made = conn.execute(
                "SELECT source, storage_path FROM asset_versions WHERE asset_id = %s "
                "AND version = %s",
                (job["asset_id"], job["version"]),
            ).fetchone()
            assert made is not None and made["source"] == job["source"], (job, made)
            assert made["storage_path"] == storage.asset_image_path(
                user_id=job["user_id"], asset_id=job["asset_id"], version=job["version"]
            )
        elif job["status"] in ("failed", "timed_out"):
            assert [r["delta"] for r in refunds] == [job["credits_charged"]], (job, money)
            assert [r["reason"] for r in refunds] == ["refund"]
            assert job["version"] is None and job["error"], job
        else:
            assert refunds == [], job

    open_assets = {j["asset_id"] for j in jobs if j["status"] in ("queued", "running")}
    succeeded = {(j["asset_id"], j["version"]) for j in jobs if j["status"] == "succeeded"}
    assets = conn.execute(
        "SELECT id, status, current_version, latest_version FROM assets "
        "WHERE user_id = %s AND kind = 'image'",
        (user.id,),
    ).fetchall()
    for asset in assets:
        numbers = [v["version"] for v in versions(conn, str(asset["id"]))]
        assert numbers == list(range(1, asset["latest_version"] + 1)), (asset, numbers)
        # Every AI-made version was paid for by a job that succeeded with it.
        for v in versions(conn, str(asset["id"])):
            if v["source"] in ("ai_generate", "ai_regenerate"):
                assert (asset["id"], v["version"]) in succeeded, (asset, v)
        if asset["id"] in open_assets:
            assert asset["status"] == "pending", asset
        elif asset["latest_version"] == 0:
            assert asset["status"] == "failed", asset
        else:
            assert asset["status"] == "ready", asset
