"""Image jobs through the real handlers, with a RunPod double speaking RunPod's API to the real
client: generate-image, regenerate, the job route, RunPod's outcomes, submission failures, and
the offline painter. Credits, versions and job states are checked after every case."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asset_engine import db
from asset_engine.assets import logic as asset_logic
from asset_engine.config import get_settings
from asset_engine.errors import Conflict
from asset_engine.images import logic as image_logic
from tests.support.factories import SignedUp, sign_up
from tests.support.image_jobs import (
    asset_row,
    balance,
    check_invariants,
    deliver,
    generate,
    job_row,
    ledger,
    png_size,
    versions,
)
from tests.support.lambda_api import LambdaApi, load_event
from tests.support.runpod_double import (
    WORKER_INPUT_KEYS,
    RunPodDouble,
    RunPodJob,
    data_url,
    jpeg,
    png,
    sdxl_output,
)
from tests.support.services import free_port

# The RunPod and Storage settings, chosen per test, reset around each (tests.support.image_jobs).
pytestmark = pytest.mark.usefixtures("fresh_image_settings")


@pytest.fixture
def user(api: LambdaApi, conn: db.Connection) -> Iterator[SignedUp]:
    """A new user; after the test, the invariants must hold for everything they did."""
    signed_up = sign_up(api)
    yield signed_up
    check_invariants(conn, signed_up)


def _stored_file(user: SignedUp, asset_id: str, version: int) -> bytes:
    root = Path(get_settings().local_storage_dir)
    return (root / f"users/{user.id}/assets/{asset_id}/v{version}.png").read_bytes()


def _start(api: LambdaApi, runpod: RunPodDouble, user: SignedUp, **fields: Any) -> dict[str, Any]:
    answer = generate(api, user, **fields)
    assert answer.status == 202, answer.body
    return dict(answer.json)


def _job_for(runpod: RunPodDouble, job_id: str) -> RunPodJob:
    """The RunPod job our job was queued as."""
    return runpod.jobs[str(_provider_id(job_id))]


def _provider_id(job_id: str) -> str:
    with db.connect() as own:
        row = own.execute(
            "SELECT provider_job_id FROM generation_jobs WHERE id = %s", (job_id,)
        ).fetchone()
    assert row is not None and row["provider_job_id"]
    return str(row["provider_job_id"])


# --- success ------------------------------------------------------------------------------


def _output(kind: str, runpod: RunPodDouble, width: int, height: int) -> Any:
    picture = png(width, height)
    if kind == "data_url":
        return sdxl_output(data_url(picture))
    if kind == "bare_base64":
        return base64.b64encode(picture).decode()
    if kind == "url":
        return sdxl_output(runpod.serve_file(f"{uuid.uuid4().hex[:8]}.png", picture))
    assert kind == "jpeg_data_url"
    return sdxl_output("data:image/jpeg;base64," + base64.b64encode(jpeg(width, height)).decode())


@pytest.mark.parametrize("kind", ["data_url", "bare_base64", "url", "jpeg_data_url"])
def test_a_completed_job_stores_the_png_as_version_1(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp, kind: str
) -> None:
    # Given a generate-image request queued at RunPod
    accepted = _start(
        api, runpod, user, width=640, height=512, seed=7, negative_prompt="blurry, text"
    )
    job_id, asset_id = accepted["job"]["id"], accepted["asset_id"]
    assert (accepted["credits_charged"], accepted["balance"], accepted["provider"]) == (
        5, 45, "runpod"
    )  # fmt: skip
    assert (accepted["job"]["status"], accepted["job"]["asset_id"]) == ("queued", asset_id)
    job = runpod.only_job
    # RunPod got worker-sdxl's input, exactly, our key, a webhook naming the job, and a policy.
    assert set(job.input) == WORKER_INPUT_KEYS
    assert {k: job.input[k] for k in ("prompt", "negative_prompt", "width", "height", "seed")} == {
        "prompt": "A linen shirt on a sunny terrace", "negative_prompt": "blurry, text",
        "width": 640, "height": 512, "seed": 7,
    }  # fmt: skip
    assert isinstance(job.input["num_inference_steps"], int)
    assert isinstance(job.input["guidance_scale"], float | int)
    assert job.webhook_path == f"/api/v1/webhooks/runpod/{job_id}"
    assert set(job.body["policy"]) == {"executionTimeout", "ttl"}
    assert runpod.auth_headers == [f"Bearer {runpod.api_key}"]
    assert asset_row(conn, asset_id)["status"] == "pending"
    assert versions(conn, asset_id) == []

    # When RunPod finishes and calls back
    runpod.complete(job.id, _output(kind, runpod, 640, 512))
    answer = deliver(api, job, runpod.webhook_body(job.id))

    # Then the picture is version 1 of a ready asset, the job succeeded, the charge stands
    assert answer.status == 200, answer.body
    assert answer.json == {"job_id": job_id, "status": "succeeded"}
    asset = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    path = f"users/{user.id}/assets/{asset_id}/v1.png"
    assert (asset["status"], asset["current_version"], asset["kind"]) == ("ready", 1, "image")
    assert asset["storage_url"] == f"http://127.0.0.1:3001/storage/{path}"
    assert png_size(_stored_file(user, asset_id, 1)) == (640, 512)
    if kind != "jpeg_data_url":  # a PNG is stored as sent; a JPEG is re-encoded
        assert _stored_file(user, asset_id, 1) == png(640, 512)
    assert versions(conn, asset_id) == [
        {"version": 1, "source": "ai_generate", "storage_path": path}
    ]
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert (shown["status"], shown["error"], shown["provider"]) == ("succeeded", None, "runpod")
    assert shown["progress"] == {"queue_ms": 1200, "execution_ms": 5400}
    assert ledger(conn, user) == [(50, "signup_grant", None), (-5, "ai_image_generation", job_id)]
    usage = conn.execute(
        "SELECT status, credits_spent, provider FROM usage_events WHERE user_id = %s", (user.id,)
    ).fetchall()
    assert usage == [{"status": "succeeded", "credits_spent": 5, "provider": "runpod"}]
    assert runpod.count("status", job.id) == 1


# --- RunPod says the job failed -----------------------------------------------------------


def test_a_failed_job_is_refunded_with_runpods_error(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    job_id = _start(api, runpod, user)["job"]["id"]
    job = runpod.only_job
    runpod.fail(job.id, "CUDA out of memory. Tried to allocate 2.50 GiB")

    answer = deliver(api, job, runpod.webhook_body(job.id))

    assert answer.status == 200
    assert answer.json == {"job_id": job_id, "status": "failed"}
    row = job_row(conn, job_id)
    assert row["status"] == "failed"
    assert "CUDA out of memory. Tried to allocate 2.50 GiB" in row["error"]
    assert asset_row(conn, str(row["asset_id"]))["status"] == "failed"
    assert versions(conn, str(row["asset_id"])) == []
    assert ledger(conn, user) == [
        (50, "signup_grant", None), (-5, "ai_image_generation", job_id), (5, "refund", job_id)
    ]  # fmt: skip
    assert balance(conn, user) == 50
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert shown["status"] == "failed" and "CUDA out of memory" in shown["error"]


# --- submission fails ---------------------------------------------------------------------


def _only_asset(conn: db.Connection, user: SignedUp) -> dict[str, Any]:
    rows = conn.execute("SELECT * FROM assets WHERE user_id = %s", (user.id,)).fetchall()
    assert len(rows) == 1
    return dict(rows[0])


def _only_job(conn: db.Connection, user: SignedUp) -> dict[str, Any]:
    rows = conn.execute("SELECT * FROM generation_jobs WHERE user_id = %s", (user.id,)).fetchall()
    assert len(rows) == 1
    return dict(rows[0])


def _assert_refused_and_refunded(conn: db.Connection, user: SignedUp, answer: Any) -> None:
    assert answer.status == 502, answer.body
    assert answer.error_code == "provider_error"
    assert "refunded" in answer.json["error"]["message"]
    job = _only_job(conn, user)
    assert job["status"] == "failed" and job["provider_job_id"] is None
    assert _only_asset(conn, user)["status"] == "failed"
    job_id = str(job["id"])
    assert ledger(conn, user) == [
        (50, "signup_grant", None), (-5, "ai_image_generation", job_id), (5, "refund", job_id)
    ]  # fmt: skip
    assert balance(conn, user) == 50


def test_runpod_answering_500_three_times_refunds_and_answers_502(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    runpod.fail_next("run", 500, 500, 500)
    answer = generate(api, user)
    _assert_refused_and_refunded(conn, user, answer)
    assert runpod.count("run") == 3  # the first try and two retries
    assert runpod.jobs == {}


def test_runpod_500_then_success_queues_the_job(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    runpod.fail_next("run", 500, 503)
    answer = generate(api, user)
    assert answer.status == 202
    assert runpod.count("run") == 3 and len(runpod.jobs) == 1
    assert _only_job(conn, user)["provider_job_id"] == runpod.only_job.id
    assert balance(conn, user) == 45


def test_runpod_refusing_our_key_answers_502_without_retrying(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    runpod.fail_next("run", 401)
    answer = generate(api, user)
    _assert_refused_and_refunded(conn, user, answer)
    assert "API key" in answer.json["error"]["message"]
    assert runpod.count("run") == 1


def test_runpod_unreachable_refunds_and_answers_502(
    api: LambdaApi,
    conn: db.Connection,
    fresh_image_settings: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    fresh_image_settings.setenv("RUNPOD_BASE_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    from asset_engine.providers.images import reset_image_provider

    reset_image_provider()
    answer = generate(api, user)
    _assert_refused_and_refunded(conn, user, answer)
    assert "could not be reached" in answer.json["error"]["message"]


# --- validation and idempotency -----------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"width": 700}, {"width": 2048}, {"height": 448}, {"height": 1600}, {"width": 1000}],
)
def test_a_bad_size_is_a_422_that_charges_nothing(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    fields: dict[str, int],
) -> None:
    answer = generate(api, user, **fields)
    assert answer.status == 422, answer.body
    assert answer.error_code == "validation_error"
    assert ledger(conn, user) == [(50, "signup_grant", None)]
    assert conn.execute(
        "SELECT count(*) AS n FROM assets WHERE user_id = %s", (user.id,)
    ).fetchone() == {"n": 0}
    assert runpod.calls == []


def test_an_idempotency_key_replay_answers_the_same_and_charges_once(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    headers = {"Idempotency-Key": f"img-{uuid.uuid4()}"}
    first = generate(api, user, seed=3, headers=headers)
    second = generate(api, user, seed=3, headers=headers)
    assert first.status == second.status == 202
    assert second.json == first.json
    assert second.headers.get("idempotent-replayed") == "true"
    assert runpod.count("run") == 1
    assert balance(conn, user) == 45
    assert len(conn.execute("SELECT id FROM assets WHERE user_id = %s", (user.id,)).fetchall()) == 1


# --- the job route ------------------------------------------------------------------------


def test_the_owner_sees_live_progress_and_others_get_404(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    job_id = _start(api, runpod, user)["job"]["id"]
    runpod.progress(runpod.only_job.id, delay_ms=2300, execution_ms=1800)

    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token)

    assert shown.status == 200
    body = shown.json
    assert (body["id"], body["kind"], body["status"], body["error"]) == (
        job_id, "image", "running", None
    )  # fmt: skip
    assert body["progress"] == {"queue_ms": 2300, "execution_ms": 1800}
    assert runpod.count("status") == 1
    assert job_row(conn, job_id)["status"] == "running"

    stranger = sign_up(api)
    other = api.get(f"/api/v1/ai/jobs/{job_id}", token=stranger.token)
    assert other.status == 404 and other.error_code == "not_found"
    assert api.get(f"/api/v1/ai/jobs/{uuid.uuid4()}", token=user.token).status == 404
    check_invariants(conn, stranger)


def test_a_poll_ends_a_job_whose_webhook_was_lost(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    accepted = _start(api, runpod, user, width=512, height=512)
    runpod.complete(runpod.only_job.id, sdxl_output(data_url(png(512, 512))))
    shown = api.get(f"/api/v1/ai/jobs/{accepted['job']['id']}", token=user.token).json
    assert shown["status"] == "succeeded"
    assert [v["version"] for v in versions(conn, accepted["asset_id"])] == [1]


# --- regenerate and refine on an image ----------------------------------------------------


def _finished_image(api: LambdaApi, runpod: RunPodDouble, user: SignedUp) -> str:
    accepted = _start(api, runpod, user, width=512, height=768)
    job = runpod.jobs[_provider_id(accepted["job"]["id"])]
    runpod.complete(job.id, sdxl_output(data_url(png(512, 768))))
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"
    return str(accepted["asset_id"])


def test_regenerate_appends_version_2_after_the_webhook(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    asset_id = _finished_image(api, runpod, user)

    answer = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token)

    assert answer.status == 202, answer.body
    body = answer.json
    assert (body["asset_id"], body["credits_charged"], body["balance"]) == (asset_id, 5, 40)
    assert (body["job"]["status"], body["job"]["source"]) == ("queued", "ai_regenerate")
    job = _job_for(runpod, body["job"]["id"])
    assert (job.input["width"], job.input["height"]) == (512, 768)
    assert job.input["prompt"] == "A linen shirt on a sunny terrace"
    assert asset_row(conn, asset_id)["status"] == "pending"
    # A second regenerate while the first is painting is refused, and charges nothing.
    again = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token)
    assert again.status == 409 and balance(conn, user) == 40

    second = png(512, 768, colour=(250, 10, 10))
    runpod.complete(job.id, sdxl_output(data_url(second)))
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"

    assert [(v["version"], v["source"]) for v in versions(conn, asset_id)] == [
        (1, "ai_generate"), (2, "ai_regenerate")
    ]  # fmt: skip
    asset = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    assert (asset["status"], asset["current_version"]) == ("ready", 2)
    assert asset["storage_url"].endswith(f"/users/{user.id}/assets/{asset_id}/v2.png")
    assert _stored_file(user, asset_id, 2) == second
    assert _stored_file(user, asset_id, 1) == png(512, 768)
    assert balance(conn, user) == 40


def test_a_regenerate_that_read_the_asset_before_another_began_is_refused_and_rolled_back(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # Two regenerates that both read the asset while it was ready (the API's early check
    # passed for both): the one open job per asset refuses the second, inside its charge.
    asset_id = _finished_image(api, runpod, user)
    with db.connect() as own:
        stale = asset_logic.get_asset(own, user_id=uuid.UUID(user.id), asset_id=uuid.UUID(asset_id))
    first = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token)
    assert first.status == 202, first.body

    with pytest.raises(
        Conflict, match=r"^This image is still being painted; wait for it to finish\.$"
    ):
        image_logic.regenerate_image(
            user_id=uuid.UUID(user.id),
            asset=stale,
            idempotency_key=None,
            callback_base="http://127.0.0.1:3001",
        )

    assert balance(conn, user) == 40  # the first regenerate's charge only
    assert [delta for delta, _, _ in ledger(conn, user)] == [50, -5, -5]
    assert asset_row(conn, asset_id)["status"] == "pending"
    assert len(runpod.jobs) == 2  # the first picture and the first regenerate


def test_a_failing_regenerate_leaves_version_1_ready_and_refunds(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    asset_id = _finished_image(api, runpod, user)
    body = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token).json
    job = _job_for(runpod, body["job"]["id"])
    runpod.fail(job.id, "worker crashed")

    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "failed"

    asset = asset_row(conn, asset_id)
    assert (asset["status"], asset["current_version"], asset["latest_version"]) == ("ready", 1, 1)
    assert balance(conn, user) == 45
    assert ledger(conn, user)[-1] == (5, "refund", body["job"]["id"])


def test_regenerate_of_an_image_that_never_painted_makes_its_version_1(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    accepted = _start(api, runpod, user, width=512, height=512)
    asset_id = accepted["asset_id"]
    first = _job_for(runpod, accepted["job"]["id"])
    runpod.fail(first.id, "worker crashed")
    assert deliver(api, first, runpod.webhook_body(first.id)).json["status"] == "failed"
    assert asset_row(conn, asset_id)["status"] == "failed"

    body = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token).json
    job = _job_for(runpod, body["job"]["id"])
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"

    assert [(v["version"], v["source"]) for v in versions(conn, asset_id)] == [(1, "ai_regenerate")]
    asset = asset_row(conn, asset_id)
    assert (asset["status"], asset["current_version"]) == ("ready", 1)
    assert balance(conn, user) == 45


def test_renaming_an_image_before_its_first_picture_makes_no_version_without_one(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # Given an image whose first picture is still being painted
    accepted = _start(api, runpod, user, width=512, height=512)
    asset_id = accepted["asset_id"]

    # When the marketer renames it: renamed in place, still pending at version 0
    answer = api.patch(f"/api/v1/assets/{asset_id}", {"title": "Renamed"}, token=user.token)
    assert answer.status == 200, answer.body
    assert (answer.json["title"], answer.json["status"], answer.json["current_version"]) == (
        "Renamed", "pending", 0
    )  # fmt: skip
    assert versions(conn, asset_id) == []

    # Then the picture lands as version 1 under the new name, and there is nothing to undo to
    job = _job_for(runpod, accepted["job"]["id"])
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"
    asset = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    assert (asset["title"], asset["current_version"], asset["status"]) == ("Renamed", 1, "ready")
    assert [v["version"] for v in versions(conn, asset_id)] == [1]
    assert api.post(f"/api/v1/assets/{asset_id}/undo", token=user.token).status == 409


def test_refine_on_an_image_is_409_and_charges_nothing(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    asset_id = _finished_image(api, runpod, user)
    answer = api.post(
        "/api/v1/ai/refine", {"asset_id": asset_id, "instruction": "Warmer"}, token=user.token
    )
    assert answer.status == 409 and answer.error_code == "conflict"
    assert balance(conn, user) == 45
    assert [v["version"] for v in versions(conn, asset_id)] == [1]


# --- the offline painter (no RunPod settings) ---------------------------------------------


def test_without_runpod_the_offline_painter_finishes_the_job_at_once(
    api: LambdaApi, conn: db.Connection, user: SignedUp
) -> None:
    answer = generate(api, user, width=768, height=1344, seed=11)

    assert answer.status == 202, answer.body
    body = answer.json
    assert (body["provider"], body["job"]["provider"], body["job"]["status"]) == (
        "mock", "mock", "succeeded"
    )  # fmt: skip
    assert (body["credits_charged"], body["balance"]) == (5, 45)
    stored = _stored_file(user, body["asset_id"], 1)
    assert png_size(stored) == (768, 1344)
    asset = api.get(f"/api/v1/assets/{body['asset_id']}", token=user.token).json
    assert (asset["status"], asset["current_version"]) == ("ready", 1)
    # Deterministic per seed: the same request paints the same picture.
    again = generate(api, user, width=768, height=1344, seed=11).json
    assert _stored_file(user, again["asset_id"], 1) == stored


def test_the_generate_image_event_file_is_answered(api: LambdaApi, user: SignedUp) -> None:
    """tests/events/ai/generate_image.json and job.json, as `sam local invoke -e` sends them."""
    route, _ = api.route("POST", "/api/v1/ai/generate-image")
    answer = api.invoke(route, load_event("ai/generate_image.json", access_token=user.token))
    assert answer.status == 202, answer.body
    job_id = answer.json["job"]["id"]
    path = f"/api/v1/ai/jobs/{job_id}"
    route, _ = api.route("GET", path)
    shown = api.invoke(route, load_event("ai/job.json", access_token=user.token, job_id=job_id))
    assert shown.status == 200
    assert (shown.json["id"], shown.json["status"]) == (job_id, "succeeded")
