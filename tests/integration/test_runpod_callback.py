"""RunPod's webhook through the callback function's real handler, and the sweeper's image part
through its own: the token, replays, bodies that lie or say nothing, unusable pictures, lost
and never-sent webhooks, and races between deliveries and sweeps. The money and the versions
are checked after every case."""

from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from asset_engine.images import callback_tokens
from asset_engine.local.lambda_runtime import LambdaContext, invoke_handler
from asset_engine.local.template import load_schedules
from tests.support.factories import SignedUp, sign_up
from tests.support.image_jobs import (
    age_past_timeout,
    asset_row,
    balance,
    check_invariants,
    deliver,
    generate,
    job_row,
    ledger,
    versions,
)
from tests.support.lambda_api import PROJECT_ROOT, Answer, LambdaApi, load_event
from tests.support.runpod_double import RunPodDouble, RunPodJob, data_url, png, sdxl_output

# The RunPod and Storage settings, chosen per test, reset around each (tests.support.image_jobs).
pytestmark = pytest.mark.usefixtures("fresh_image_settings")

WIDTH, HEIGHT = 576, 512


@pytest.fixture
def user(api: LambdaApi, conn: db.Connection) -> Iterator[SignedUp]:
    signed_up = sign_up(api)
    yield signed_up
    check_invariants(conn, signed_up)


@pytest.fixture
def queued(api: LambdaApi, runpod: RunPodDouble, user: SignedUp) -> tuple[str, str, RunPodJob]:
    """(our job id, its asset id, the RunPod job) of a generate-image request just queued."""
    answer = generate(api, user, width=WIDTH, height=HEIGHT)
    assert answer.status == 202, answer.body
    return answer.json["job"]["id"], answer.json["asset_id"], runpod.only_job


def _good_output() -> dict[str, Any]:
    return sdxl_output(data_url(png(WIDTH, HEIGHT)))


def _snapshot(conn: db.Connection, user: SignedUp, job_id: str) -> tuple[Any, ...]:
    job = job_row(conn, job_id)
    asset = asset_row(conn, str(job["asset_id"]))
    return (
        job["status"], job["error"], job["version"], job["checked_at"], asset["status"],
        asset["latest_version"], ledger(conn, user), versions(conn, str(job["asset_id"])),
    )  # fmt: skip


def _succeeded_once(conn: db.Connection, user: SignedUp, job_id: str, asset_id: str) -> None:
    assert job_row(conn, job_id)["status"] == "succeeded"
    assert [(v["version"], v["source"]) for v in versions(conn, asset_id)] == [(1, "ai_generate")]
    assert ledger(conn, user) == [(50, "signup_grant", None), (-5, "ai_image_generation", job_id)]
    assert asset_row(conn, asset_id)["status"] == "ready"


def _failed_and_refunded(conn: db.Connection, user: SignedUp, job_id: str, asset_id: str) -> str:
    job = job_row(conn, job_id)
    assert job["status"] == "failed"
    assert versions(conn, asset_id) == []
    assert asset_row(conn, asset_id)["status"] == "failed"
    assert ledger(conn, user) == [
        (50, "signup_grant", None), (-5, "ai_image_generation", job_id), (5, "refund", job_id)
    ]  # fmt: skip
    assert balance(conn, user) == 50
    return str(job["error"])


# --- the token ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("0" * 64, id="forged"),
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("other-job", id="another-jobs-token"),
    ],
)
def test_a_bad_token_is_401_and_changes_nothing(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
    token: str | None,
) -> None:
    job_id, _, job = queued
    runpod.complete(job.id, _good_output())
    before = _snapshot(conn, user, job_id)
    if token == "other-job":
        token = callback_tokens.mint(uuid.uuid4())
    answer = api.post(
        job.webhook_path,
        runpod.webhook_body(job.id),
        query={} if token is None else {"token": token},
    )
    assert answer.status == 401, answer.body
    assert answer.error_code == "unauthorized"
    assert _snapshot(conn, user, job_id) == before
    assert runpod.count("status") == 0  # not even RunPod was asked


def test_a_valid_token_for_an_unknown_job_is_404(
    api: LambdaApi, runpod: RunPodDouble, user: SignedUp
) -> None:
    job_id = uuid.uuid4()
    answer = api.post(
        f"/api/v1/webhooks/runpod/{job_id}",
        {"id": "x", "status": "COMPLETED"},
        query={"token": callback_tokens.mint(job_id)},
    )
    assert answer.status == 404 and answer.error_code == "not_found"


# --- deliveries -----------------------------------------------------------------------------


def test_a_replayed_webhook_answers_200_and_changes_nothing(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    first = deliver(api, job, runpod.webhook_body(job.id))
    after_first = _snapshot(conn, user, job_id)

    second = deliver(api, job, runpod.webhook_body(job.id))

    assert first.status == second.status == 200
    assert first.json == second.json == {"job_id": job_id, "status": "succeeded"}
    assert _snapshot(conn, user, job_id) == after_first
    _succeeded_once(conn, user, job_id, asset_id)
    assert runpod.count("status") == 1  # a finished job is not asked about again


@pytest.mark.parametrize(
    "raw",
    [pytest.param(b"null", id="null"), pytest.param(b"<html>oops", id="not-json"),
     pytest.param(b"", id="empty")],
)  # fmt: skip
def test_a_body_that_says_nothing_still_settles_through_status(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
    raw: bytes,
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    answer = deliver(api, job, raw_body=raw)
    assert answer.status == 200, answer.body
    assert answer.json["status"] == "succeeded"
    _succeeded_once(conn, user, job_id, asset_id)


def test_a_body_claiming_completed_is_not_believed_over_status(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.fail(job.id, "handler raised: out of memory")
    lie = {"id": job.id, "status": "COMPLETED", "output": _good_output(), "delayTime": 1}

    answer = deliver(api, job, lie)

    assert answer.status == 200 and answer.json["status"] == "failed"
    assert "out of memory" in _failed_and_refunded(conn, user, job_id, asset_id)


def test_a_body_claiming_failed_is_not_believed_over_status(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    answer = deliver(api, job, {"id": job.id, "status": "FAILED", "error": "made up"})
    assert answer.status == 200 and answer.json["status"] == "succeeded"
    _succeeded_once(conn, user, job_id, asset_id)


def test_an_early_webhook_while_runpod_still_works_changes_only_progress(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.progress(job.id, delay_ms=700, execution_ms=2100)
    answer = deliver(api, job, {"id": job.id, "status": "COMPLETED"})
    assert answer.status == 200 and answer.json["status"] == "running"
    row = job_row(conn, job_id)
    assert (row["status"], row["queue_ms"], row["execution_ms"]) == ("running", 700, 2100)
    assert versions(conn, asset_id) == [] and asset_row(conn, asset_id)["status"] == "pending"
    assert balance(conn, user) == 45
    # ...and the real ending later still lands.
    runpod.complete(job.id, _good_output())
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"
    _succeeded_once(conn, user, job_id, asset_id)


def test_status_unavailable_answers_502_so_runpod_retries_and_the_retry_lands(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    runpod.fail_next("status", 500, 500, 500)
    before = _snapshot(conn, user, job_id)

    answer = deliver(api, job, runpod.webhook_body(job.id))

    assert answer.status == 502 and answer.error_code == "provider_error"
    assert _snapshot(conn, user, job_id) == before
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"
    _succeeded_once(conn, user, job_id, asset_id)


def test_a_job_runpod_no_longer_knows_is_failed_and_refunded(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.forget(job.id)
    assert deliver(api, job, None).json["status"] == "failed"
    _failed_and_refunded(conn, user, job_id, asset_id)


@pytest.mark.parametrize("status", ["CANCELLED", "TIMED_OUT"])
def test_cancelled_or_timed_out_at_runpod_is_failed_and_refunded(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
    status: str,
) -> None:
    job_id, asset_id, job = queued
    runpod.jobs[job.id].status = {"status": status, "delayTime": 600000}
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "failed"
    assert status in _failed_and_refunded(conn, user, job_id, asset_id)


def test_a_webhook_that_overtakes_the_submission_is_503_and_its_redelivery_lands(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    """RunPod may call back before our record of its job id is written: that delivery is
    refused with a 503 (RunPod delivers again), and changes nothing."""
    early: list[Answer] = []

    def finish_at_once(job: RunPodJob) -> None:
        runpod.complete(job.id, _good_output())
        early.append(deliver(api, job, runpod.webhook_body(job.id)))

    runpod.on_run = finish_at_once
    answer = generate(api, user, width=WIDTH, height=HEIGHT)
    runpod.on_run = None

    assert answer.status == 202, answer.body
    job_id, asset_id = answer.json["job"]["id"], answer.json["asset_id"]
    [refused] = early
    assert refused.status == 503 and refused.error_code == "service_unavailable"
    assert runpod.count("status") == 0
    assert job_row(conn, job_id)["status"] == "queued" and versions(conn, asset_id) == []
    job = runpod.only_job
    assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"
    _succeeded_once(conn, user, job_id, asset_id)


# --- unusable pictures --------------------------------------------------------------------


def _not_an_image(runpod: RunPodDouble) -> Any:
    return sdxl_output(base64.b64encode(b"%PDF-1.7 definitely not a picture").decode())


def _wrong_size(runpod: RunPodDouble) -> Any:
    return sdxl_output(data_url(png(WIDTH * 2, HEIGHT * 2)))


def _html_at_a_url(runpod: RunPodDouble) -> Any:
    return sdxl_output(runpod.serve_file("page.png", b"<html>Access denied</html>", "text/html"))


def _missing_url(runpod: RunPodDouble) -> Any:
    return sdxl_output(f"{runpod.url}/files/never-uploaded.png")


def _no_images(runpod: RunPodDouble) -> Any:
    return {"images": [], "seed": 1}


def _gif(runpod: RunPodDouble) -> Any:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT)).save(buffer, format="GIF")
    return sdxl_output("data:image/gif;base64," + base64.b64encode(buffer.getvalue()).decode())


def _truncated_png(runpod: RunPodDouble) -> Any:
    return sdxl_output(data_url(png(WIDTH, HEIGHT)[:200]))


@pytest.mark.parametrize(
    ("make_output", "why"),
    [
        pytest.param(_not_an_image, "not a readable image", id="not-an-image"),
        pytest.param(_wrong_size, f"{WIDTH * 2}x{HEIGHT * 2}, not the {WIDTH}x{HEIGHT}",
                     id="wrong-size"),
        pytest.param(_html_at_a_url, "not a readable image", id="html-at-the-url"),
        pytest.param(_missing_url, "could not be downloaded", id="url-404"),
        pytest.param(_no_images, "without an image", id="no-images"),
        pytest.param(_gif, "GIF, not PNG or JPEG", id="gif"),
        pytest.param(_truncated_png, "not a readable image", id="truncated"),
    ],
)  # fmt: skip
def test_an_unusable_picture_fails_the_job_and_refunds(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
    make_output: Callable[[RunPodDouble], Any],
    why: str,
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, make_output(runpod))
    answer = deliver(api, job, runpod.webhook_body(job.id))
    assert answer.status == 200 and answer.json["status"] == "failed"
    assert why in _failed_and_refunded(conn, user, job_id, asset_id)


# --- the sweeper ----------------------------------------------------------------------------


def _sweep() -> dict[str, Any]:
    """The scheduled function's real handler, with the event EventBridge sends."""
    sweeper = next(s.function for s in load_schedules(PROJECT_ROOT / "template.yaml"))
    context = LambdaContext(function_name=sweeper.logical_id, timeout_s=sweeper.timeout_s)
    return invoke_handler(sweeper.load_handler(), load_event("sweeper/schedule.json"), context)


@pytest.fixture(autouse=True)
def _sweeps_see_only_this_tests_jobs(day_long_jobs: None) -> None:
    """Jobs time out after a day here: a sweep's counts are this test's jobs, exactly."""


def _age(conn: db.Connection, job_id: str) -> None:
    """The job was submitted more than IMAGE_JOB_TIMEOUT_S (a day, here) ago."""
    age_past_timeout(conn, job_id)


def test_a_webhook_that_never_comes_is_cancelled_timed_out_and_refunded(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.progress(job.id, delay_ms=400000, execution_ms=200000)
    _age(conn, job_id)

    first = _sweep()
    second = _sweep()

    assert first["image_jobs"] == {"succeeded": 0, "failed": 0, "timed_out": 1}
    assert second["image_jobs"] == {"succeeded": 0, "failed": 0, "timed_out": 0}
    assert runpod.count("cancel", job.id) == 1
    assert runpod.status_body(job.id)["status"] == "CANCELLED"
    row = job_row(conn, job_id)
    assert row["status"] == "timed_out" and "cancelled" in row["error"]
    assert asset_row(conn, asset_id)["status"] == "failed"
    assert ledger(conn, user) == [
        (50, "signup_grant", None), (-5, "ai_image_generation", job_id), (5, "refund", job_id)
    ]  # fmt: skip
    # A webhook arriving after all that changes nothing.
    late = deliver(api, job, runpod.webhook_body(job.id))
    assert late.status == 200 and late.json["status"] == "timed_out"
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert shown["status"] == "timed_out"


def test_a_lost_webhook_for_a_finished_job_is_completed_by_the_sweep(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    _age(conn, job_id)

    swept = _sweep()

    assert swept["image_jobs"] == {"succeeded": 1, "failed": 0, "timed_out": 0}
    assert runpod.count("cancel") == 0
    _succeeded_once(conn, user, job_id, asset_id)


def test_a_sweep_with_runpod_unreachable_still_times_the_job_out(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, _, _ = queued
    _age(conn, job_id)
    runpod.fail_next("status", 503, 503, 503)
    runpod.fail_next("cancel", 503, 503, 503)
    _sweep()
    assert job_row(conn, job_id)["status"] == "timed_out"
    assert balance(conn, user) == 50


# --- races ----------------------------------------------------------------------------------


def _all_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_concurrent_deliveries_of_one_webhook_store_one_version(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    body = runpod.webhook_body(job.id)

    answers: list[Answer] = _all_at_once([lambda: deliver(api, job, body) for _ in range(4)])

    assert [a.status for a in answers] == [200] * 4, [a.body for a in answers]
    assert {a.json["status"] for a in answers} == {"succeeded"}
    _succeeded_once(conn, user, job_id, asset_id)


def test_a_sweep_racing_a_late_webhook_ends_the_job_once(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    job_id, asset_id, job = queued
    runpod.complete(job.id, _good_output())
    _age(conn, job_id)

    webhook, *_ = _all_at_once(
        [lambda: deliver(api, job, runpod.webhook_body(job.id)), _sweep, _sweep]
    )

    assert webhook.status == 200 and webhook.json["status"] == "succeeded"
    assert runpod.count("cancel") == 0
    _succeeded_once(conn, user, job_id, asset_id)


def test_a_webhook_reading_completed_after_the_sweep_timed_the_job_out_changes_nothing(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    queued: tuple[str, str, RunPodJob],
) -> None:
    """The sweep read IN_PROGRESS and gives up; RunPod finishes right after that read, and the
    webhook, once the sweep has ended the job, reads COMPLETED: the first to end the job wins.
    (The other order, the webhook landing while the sweep cancels, is in
    test_image_job_promises.)"""
    job_id, asset_id, job = queued
    _age(conn, job_id)
    runpod.progress(job.id, delay_ms=1, execution_ms=1)
    original = runpod.status_body

    def status_then_finish(provider_job_id: str) -> dict[str, Any]:
        answer = original(provider_job_id)
        runpod.status_body = original  # type: ignore[method-assign]
        runpod.complete(job.id, _good_output())  # RunPod finishes right after the sweep's read
        return answer

    runpod.status_body = status_then_finish  # type: ignore[method-assign,assignment]
    _sweep()
    assert job_row(conn, job_id)["status"] == "timed_out"

    late = deliver(api, job, None)

    assert late.status == 200 and late.json["status"] == "timed_out", late.body
    assert runpod.count("cancel") == 1
    assert job_row(conn, job_id)["status"] == "timed_out"
    assert versions(conn, asset_id) == [] and balance(conn, user) == 50
    assert asset_row(conn, asset_id)["status"] == "failed"
