"""Pictures stored in Supabase Storage through the real `supabase` client (storage3), against a
local double of Storage's REST API: the object's path, type, bytes and headers, the public and
signed URLs, and a Storage failure in the middle of a callback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from asset_engine import db
from asset_engine.config import get_settings
from asset_engine.storage import reset_storage
from tests.support.factories import SignedUp, sign_up
from tests.support.image_jobs import (
    asset_row,
    check_invariants,
    deliver,
    generate,
    job_row,
    ledger,
    png_size,
    versions,
)
from tests.support.lambda_api import LambdaApi
from tests.support.runpod_double import RunPodDouble, data_url, png, sdxl_output
from tests.support.services import free_port
from tests.support.storage_double import BUCKET, StorageDouble

# The RunPod and Storage settings, chosen per test, reset around each (tests.support.image_jobs).
pytestmark = pytest.mark.usefixtures("fresh_image_settings")


@pytest.fixture
def user(api: LambdaApi, conn: db.Connection) -> Iterator[SignedUp]:
    signed_up = sign_up(api)
    yield signed_up
    check_invariants(conn, signed_up)


def _path(user: SignedUp, asset_id: str, version: int) -> str:
    return f"users/{user.id}/assets/{asset_id}/v{version}.png"


def test_the_picture_is_uploaded_with_its_type_and_a_public_url(
    api: LambdaApi, conn: db.Connection, supabase: StorageDouble, user: SignedUp
) -> None:
    # Given no RunPod (the offline painter) and Supabase Storage
    answer = generate(api, user, width=832, height=512, seed=5)

    assert answer.status == 202, answer.body
    asset_id = answer.json["asset_id"]
    path = _path(user, asset_id, 1)
    [upload] = supabase.uploads
    assert (upload.bucket, upload.path) == (BUCKET, path)
    assert (upload.filename, upload.content_type) == ("v1.png", "image/png")
    assert upload.headers["x-upsert"] == "true"
    assert upload.headers["apikey"] == supabase.service_key
    assert upload.headers["authorization"] == f"Bearer {supabase.service_key}"
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert upload.form == {"cacheControl": "3600"}
    assert png_size(upload.data) == (832, 512)
    # The asset points at the public URL, which serves those bytes.
    asset = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    assert asset["storage_url"] == f"{supabase.url}/storage/v1/object/public/{BUCKET}/{path}"
    assert supabase.objects[(BUCKET, path)] == (upload.data, "image/png")
    served = httpx.get(asset["storage_url"])
    assert served.status_code == 200 and served.content == upload.data
    assert served.headers["content-type"] == "image/png"
    assert versions(conn, asset_id) == [
        {"version": 1, "source": "ai_generate", "storage_path": path}
    ]
    assert supabase.signs == []


def test_signed_mode_gives_a_signed_url_with_a_token(
    api: LambdaApi,
    fresh_image_settings: pytest.MonkeyPatch,
    supabase: StorageDouble,
    user: SignedUp,
) -> None:
    fresh_image_settings.setenv("STORAGE_URL_MODE", "signed")
    fresh_image_settings.setenv("STORAGE_SIGNED_URL_TTL_S", "3600")
    get_settings.cache_clear()
    reset_storage()

    answer = generate(api, user, width=512, height=512)

    assert answer.status == 202, answer.body
    asset_id = answer.json["asset_id"]
    path = _path(user, asset_id, 1)
    url = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json["storage_url"]
    prefix = f"{supabase.url}/storage/v1/object/sign/{BUCKET}/{path}?token="
    assert url.startswith(prefix) and len(url) > len(prefix)
    assert supabase.signs[0] == (path, {"expiresIn": "3600"})
    served = httpx.get(url)
    assert served.status_code == 200 and png_size(served.content) == (512, 512)
    # Without the token the object is not served.
    assert httpx.get(url.split("?")[0]).status_code == 400


def test_signed_mode_with_storage_down_answers_503_not_500(
    api: LambdaApi,
    fresh_image_settings: pytest.MonkeyPatch,
    supabase: StorageDouble,
    user: SignedUp,
) -> None:
    answer = generate(api, user, width=512, height=512)
    asset_id = answer.json["asset_id"]
    fresh_image_settings.setenv("STORAGE_URL_MODE", "signed")
    fresh_image_settings.setenv("SUPABASE_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    reset_storage()

    shown = api.get(f"/api/v1/assets/{asset_id}", token=user.token)

    assert shown.status == 503, shown.body
    assert shown.error_code == "service_unavailable"


def test_a_storage_failure_during_the_callback_leaves_the_job_open_and_a_retry_lands(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    supabase: StorageDouble,
    user: SignedUp,
) -> None:
    accepted = generate(api, user, width=512, height=640).json
    job_id, asset_id = accepted["job"]["id"], accepted["asset_id"]
    job = runpod.only_job
    picture = png(512, 640)
    runpod.complete(job.id, sdxl_output(data_url(picture)))
    supabase.fail_next_uploads(500)

    failed = deliver(api, job, runpod.webhook_body(job.id))

    # Then the callback answers an error RunPod retries, and nothing is half-written
    assert failed.status == 503, failed.body
    assert failed.error_code == "service_unavailable"
    assert job_row(conn, job_id)["status"] == "queued"
    assert asset_row(conn, asset_id)["status"] == "pending"
    assert versions(conn, asset_id) == []
    assert supabase.objects == {}
    assert ledger(conn, user) == [(50, "signup_grant", None), (-5, "ai_image_generation", job_id)]

    # When RunPod delivers again, the picture lands once
    retried = deliver(api, job, runpod.webhook_body(job.id))
    assert retried.status == 200 and retried.json["status"] == "succeeded"
    path = _path(user, asset_id, 1)
    assert [u.path for u in supabase.uploads] == [path]
    assert supabase.objects[(BUCKET, path)] == (picture, "image/png")
    assert [v["version"] for v in versions(conn, asset_id)] == [1]
    assert ledger(conn, user) == [(50, "signup_grant", None), (-5, "ai_image_generation", job_id)]


def test_storage_unreachable_during_the_callback_is_a_503_and_changes_nothing(
    api: LambdaApi,
    conn: db.Connection,
    fresh_image_settings: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    supabase: StorageDouble,
    user: SignedUp,
) -> None:
    accepted = generate(api, user, width=512, height=512).json
    job_id, asset_id = accepted["job"]["id"], accepted["asset_id"]
    job = runpod.only_job
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))
    fresh_image_settings.setenv("SUPABASE_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    reset_storage()

    answer = deliver(api, job, runpod.webhook_body(job.id))

    assert answer.status == 503, answer.body
    assert answer.error_code == "service_unavailable"
    assert job_row(conn, job_id)["status"] == "queued"
    assert versions(conn, asset_id) == [] and asset_row(conn, asset_id)["status"] == "pending"
    # Storage back: the next delivery lands.
    fresh_image_settings.setenv("SUPABASE_URL", supabase.url)
    get_settings.cache_clear()
    reset_storage()
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"


def test_regenerate_uploads_v2_and_leaves_v1(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    supabase: StorageDouble,
    user: SignedUp,
) -> None:
    accepted = generate(api, user, width=512, height=512).json
    asset_id = accepted["asset_id"]
    first = runpod.only_job
    runpod.complete(first.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, first, runpod.webhook_body(first.id)).status == 200

    regenerated = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token)
    assert regenerated.status == 202, regenerated.body
    [second] = [j for j in runpod.jobs.values() if j.id != first.id]
    picture = png(512, 512, colour=(9, 9, 9))
    runpod.complete(second.id, sdxl_output(data_url(picture)))
    assert deliver(api, second, runpod.webhook_body(second.id)).json["status"] == "succeeded"

    assert [u.path for u in supabase.uploads] == [
        _path(user, asset_id, 1),
        _path(user, asset_id, 2),
    ]
    assert supabase.objects[(BUCKET, _path(user, asset_id, 2))] == (picture, "image/png")
    assert supabase.objects[(BUCKET, _path(user, asset_id, 1))][0] == png(512, 512)
    asset = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    assert asset["storage_url"] == supabase.public_url(BUCKET, _path(user, asset_id, 2))
    # Undo goes back to the first picture's URL.
    undone = api.post(f"/api/v1/assets/{asset_id}/undo", token=user.token)
    assert undone.status == 200, undone.body
    assert undone.json["storage_url"] == supabase.public_url(BUCKET, _path(user, asset_id, 1))
