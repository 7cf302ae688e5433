"""What an image job promises beyond its flow (tests/integration/test_image_jobs.py): what each
ending records (usage events, CloudWatch metrics, log lines, the asset's metadata), what
regenerate asks RunPod for, how each paid request's Idempotency-Key is bound, how often a poll
asks RunPod, what a sweep ends and counts, and what an edit during the upload does.

Everything goes through the functions' real handlers (the AI, callback and sweeper functions),
with the RunPod double answering the real client; a function of the logic is called directly
only where no route reaches the case (a sweep's `limit`, a job settled twice)."""

from __future__ import annotations

import io
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest

from asset_engine import db, storage
from asset_engine.billing.idempotency import request_fingerprint
from asset_engine.config import get_settings
from asset_engine.images import callback_tokens
from asset_engine.images import logic as image_logic
from asset_engine.images.schemas import GenerateImageRequest
from asset_engine.local.lambda_runtime import LambdaContext, invoke_handler
from asset_engine.local.template import load_schedules
from asset_engine.observability import logger, metrics
from asset_engine.providers.images import get_image_provider
from tests.support.factories import SignedUp, sign_up
from tests.support.image_jobs import (
    DAY_S,
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
from tests.support.lambda_api import PROJECT_ROOT, LambdaApi, load_event
from tests.support.runpod_double import RunPodDouble, RunPodJob, data_url, png, sdxl_output

# The RunPod and Storage settings, chosen per test, reset around each (tests.support.image_jobs).
pytestmark = pytest.mark.usefixtures("fresh_image_settings")

PROMPT = "A linen shirt on a sunny terrace"


class ContainerKilled(BaseException):
    """What a Lambda killed mid-request looks like to our code: nothing after it runs."""


@pytest.fixture
def user(api: LambdaApi, conn: db.Connection) -> Iterator[SignedUp]:
    signed_up = sign_up(api)
    yield signed_up
    check_invariants(conn, signed_up)


# --- what the product emits: metrics and log lines ----------------------------------------


@pytest.fixture
def published(
    fresh_image_settings: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[], dict[str, tuple[str, list[float]]]]:
    """The metrics the handlers publish from now on, as CloudWatch gets them: the EMF lines
    Powertools prints when a handler returns. Read as {name: (unit, values)}."""
    fresh_image_settings.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    metrics.clear_metrics()
    capsys.readouterr()

    def read() -> dict[str, tuple[str, list[float]]]:
        found: dict[str, tuple[str, list[float]]] = {}
        for line in capsys.readouterr().out.splitlines():
            if not line.startswith("{") or '"_aws"' not in line:
                continue
            emf = json.loads(line)
            for directive in emf["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    name = metric["Name"]
                    value = emf[name]
                    values = value if isinstance(value, list) else [value]
                    unit, seen = found.get(name, (metric["Unit"], []))
                    found[name] = (unit, seen + [float(v) for v in values])
        found.pop("ColdStart", None)  # once per process, whichever test comes first
        return found

    return read


@contextmanager
def log_lines(level: int = logging.INFO) -> Iterator[list[dict[str, Any]]]:
    """The JSON lines the product logs meanwhile (Powertools' own handler, pointed at a
    buffer), from `level` up."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    lines: list[dict[str, Any]] = []
    # Swapped without setStream, which flushes the old stream (closed under some runners)
    stream, handler.stream = handler.stream, buffer
    old_level = logger.log_level
    logger.setLevel(level)
    try:
        yield lines
    finally:
        handler.stream = stream
        logger.setLevel(old_level)
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines() if line)


def _said(lines: list[dict[str, Any]], message: str, *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(line.get(k) for k in keys) for line in lines if line.get("message") == message]


# --- the calls ------------------------------------------------------------------------------


def _queued(api: LambdaApi, runpod: RunPodDouble, user: SignedUp, **fields: Any) -> RunPodJob:
    """A generate-image request queued at RunPod: the RunPod job it became."""
    before = set(runpod.jobs)
    answer = generate(api, user, **fields)
    assert answer.status == 202, answer.body
    [new] = set(runpod.jobs) - before
    return runpod.jobs[new]


def _job_id(job: RunPodJob) -> str:
    """Our job's id, as the webhook URL we gave RunPod names it."""
    return job.webhook_path.rsplit("/", 1)[1]


def _error(answer: Any) -> dict[str, Any]:
    """The error envelope without its request id."""
    return {k: v for k, v in answer.json["error"].items() if k != "request_id"}


def _usage(conn: db.Connection, user: SignedUp) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT kind, status, provider, credits_spent, ref_type, ref_id, metadata "
        "FROM usage_events WHERE user_id = %s ORDER BY created_at, id",
        (user.id,),
    ).fetchall()


def _image_asset(api: LambdaApi, user: SignedUp, title: str, metadata: dict[str, Any]) -> str:
    """An image asset made by hand (POST /assets), ready at version 1."""
    made = api.post(
        "/api/v1/assets",
        {"kind": "image", "title": title, "metadata": metadata},
        token=user.token,
    )
    assert made.status == 201, made.body
    return str(made.json["id"])


def _regenerate(api: LambdaApi, user: SignedUp, asset_id: str, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return api.post(
        "/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token, headers=headers
    )


def _sweep() -> dict[str, Any]:
    """The scheduled function's real handler, with the event EventBridge sends."""
    sweeper = next(s.function for s in load_schedules(PROJECT_ROOT / "template.yaml"))
    context = LambdaContext(function_name=sweeper.logical_id, timeout_s=sweeper.timeout_s)
    return invoke_handler(sweeper.load_handler(), load_event("sweeper/schedule.json"), context)


def _seeds_drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """secrets.randbelow replaced by one that draws the highest value: the bounds it was
    asked for are recorded."""
    bounds: list[int] = []

    def highest(bound: int) -> int:
        bounds.append(bound)
        return bound - 1

    monkeypatch.setattr(secrets, "randbelow", highest)
    return bounds


def _times_parsed(shown: dict[str, Any]) -> dict[str, Any]:
    """A job as an answer shows it, its times read back as datetimes."""
    times = ("created_at", "updated_at", "finished_at")
    return {k: datetime.fromisoformat(v) if k in times and v else v for k, v in shown.items()}


# --- a stored picture -----------------------------------------------------------------------


def test_a_stored_picture_records_its_usage_its_metadata_and_its_metrics(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    published: Callable[[], dict[str, tuple[str, list[float]]]],
) -> None:
    # Given a generate-image request queued at RunPod
    job = _queued(api, runpod, user, width=640, height=512, seed=7, negative_prompt="blurry")
    job_id = _job_id(job)
    assert published() == {"ImageJobs": ("Count", [1.0])}
    # and the image, while it paints, shows what it is painted with and by which job
    asset_id = str(job_row(conn, job_id)["asset_id"])
    painted_with = {"prompt": PROMPT, "negative_prompt": "blurry", "width": 640, "height": 512,
                    "seed": 7, "job_id": job_id}  # fmt: skip
    painting = api.get(f"/api/v1/assets/{asset_id}", token=user.token).json
    assert (painting["status"], painting["metadata"]) == ("pending", painted_with)

    # When RunPod finishes and calls back
    runpod.complete(job.id, sdxl_output(data_url(png(640, 512))))
    with log_lines(logging.WARNING) as lines:
        assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "succeeded"

    # Then one usage event says what was made, for what it cost
    assert _usage(conn, user) == [
        {"kind": "image_generation", "status": "succeeded", "provider": "runpod",
         "credits_spent": 5, "ref_type": "image_job", "ref_id": job_id,
         "metadata": {"source": "ai_generate", "width": 640, "height": 512, "seed": 7}},
    ]  # fmt: skip
    # the asset (and its version) carry what painted it
    assert asset_row(conn, asset_id)["metadata"] == painted_with
    version = conn.execute(
        "SELECT metadata FROM asset_versions WHERE asset_id = %s AND version = 1", (asset_id,)
    ).fetchone()
    assert version == {"metadata": painted_with}
    # one picture is counted as stored, nothing as refunded, and nothing was worth a warning
    assert published() == {"ImagesStored": ("Count", [1.0])}
    assert lines == []


def test_the_job_answers_show_every_field_of_the_job(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # The 202 and the job route show the job as its row holds it, before and after it ends
    accepted = generate(api, user, width=512, height=512, seed=1)
    job_id = accepted.json["job"]["id"]

    def expected(progress: dict[str, int | None]) -> dict[str, Any]:
        row = job_row(conn, job_id)
        return {
            "id": job_id, "kind": "image", "status": row["status"],
            "asset_id": str(row["asset_id"]), "error": row["error"],
            "created_at": row["created_at"], "updated_at": row["updated_at"],
            "finished_at": row["finished_at"], "provider": "runpod",
            "source": "ai_generate", "progress": progress,
        }  # fmt: skip

    assert _times_parsed(accepted.json["job"]) == expected({"queue_ms": None, "execution_ms": None})
    assert accepted.json["job"]["status"] == "queued"
    job = runpod.only_job
    runpod.progress(job.id, delay_ms=300, execution_ms=200)
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert _times_parsed(shown) == expected({"queue_ms": 300, "execution_ms": 200})
    assert (shown["status"], shown["finished_at"]) == ("running", None)

    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))), delay_ms=310, execution_ms=900)
    deliver(api, job, None)
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert _times_parsed(shown) == expected({"queue_ms": 310, "execution_ms": 900})
    assert shown["status"] == "succeeded" and shown["finished_at"] is not None


# --- the title of a new image ---------------------------------------------------------------

WORDS = "Linen " * 13  # 78 characters


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        pytest.param(" Linen\n\tshirts   on a\r\nterrace ", "Linen shirts on a terrace",
                     id="whitespace-folded"),
        pytest.param(WORDS + "ab", WORDS + "ab", id="80-kept-whole"),
        pytest.param(WORDS + "abc", WORDS.strip() + "…", id="81-cut-at-a-word"),
        pytest.param(WORDS + "ab cd", WORDS.strip() + "…", id="cut-within-80"),
        pytest.param("x" * 90, "x" * 80 + "…", id="one-long-word"),
    ],
)  # fmt: skip
def test_a_new_images_title_is_its_prompt_on_one_line_cut_at_a_word_after_80(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    prompt: str,
    title: str,
) -> None:
    job = _queued(api, runpod, user, prompt=prompt)
    assert asset_row(conn, str(job_row(conn, _job_id(job))["asset_id"]))["title"] == title


# --- a job that ends without a picture ------------------------------------------------------


def test_a_failed_job_records_its_error_cut_to_size_logs_it_and_counts_a_refund(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    published: Callable[[], dict[str, tuple[str, list[float]]]],
) -> None:
    # Given a job RunPod failed with a very long error (RunPod's own is cut to 1000 characters)
    job = _queued(api, runpod, user)
    job_id = _job_id(job)
    runpod.fail(job.id, "".join(f"{n:04d} " for n in range(300)))  # 1500 characters
    error = "The image job failed: " + "".join(f"{n:04d} " for n in range(200)) + "."
    assert len(error) == 1023
    published()

    # When its webhook comes
    with log_lines(logging.WARNING) as lines:
        assert deliver(api, job, runpod.webhook_body(job.id)).json["status"] == "failed"

    # Then the job keeps 1000 characters of the error, the usage event 500
    assert job_row(conn, job_id)["error"] == error[:1000]
    assert _usage(conn, user) == [
        {"kind": "image_generation", "status": "failed", "provider": "runpod",
         "credits_spent": 0, "ref_type": "image_job", "ref_id": job_id,
         "metadata": {"error": error[:500], "source": "ai_generate"}},
    ]  # fmt: skip
    # one warning names the job and the whole error, and one refund is counted
    assert _said(lines, "image job ended unpainted", "level", "job_id", "error") == [
        ("WARNING", job_id, error)
    ]
    assert published() == {"ImageRefunds": ("Count", [1.0])}
    assert balance(conn, user) == 50


def test_a_job_runpod_could_not_queue_is_refunded_once_and_says_why(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    published: Callable[[], dict[str, tuple[str, list[float]]]],
) -> None:
    # Given RunPod refusing our key
    runpod.fail_next("run", 401)

    answer = generate(api, user)

    # Then the 502 says why and what was refunded, naming the provider
    assert answer.status == 502
    assert _error(answer) == {
        "code": "provider_error",
        "message": "RunPod refused our API key. The 5 credits were refunded.",
        "provider": "runpod",
    }
    [job] = conn.execute("SELECT * FROM generation_jobs WHERE user_id = %s", (user.id,)).fetchall()
    job_id = str(job["id"])
    assert (job["status"], job["error"]) == ("failed", "RunPod refused our API key.")
    # one failed usage event (the refund's own), one refund, and the failure counted once
    assert _usage(conn, user) == [
        {"kind": "image_generation", "status": "failed", "provider": "runpod", "credits_spent": 0,
         "ref_type": "image_job", "ref_id": job_id,
         "metadata": {"error": "RunPod refused our API key."}},
    ]  # fmt: skip
    assert ledger(conn, user) == [
        (50, "signup_grant", None), (-5, "ai_image_generation", job_id), (5, "refund", job_id)
    ]  # fmt: skip
    assert published() == {
        "AiRefunds": ("Count", [1.0]),  # the paid request's refund
        "ImageSubmitFailures": ("Count", [1.0]),
    }


def test_a_bug_while_queueing_answers_500_and_refunds(
    api: LambdaApi,
    conn: db.Connection,
    fresh_image_settings: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # Given a fault of ours (not RunPod's) while the job is being queued
    def broken(request: dict[str, Any], *, webhook_url: str) -> str:
        raise KeyError("a bug")

    fresh_image_settings.setattr(get_image_provider(), "submit", broken)

    answer = generate(api, user)

    # Then the answer is the plain 500, and the charge came back all the same
    assert answer.status == 500 and answer.error_code == "internal"
    [job] = conn.execute("SELECT * FROM generation_jobs WHERE user_id = %s", (user.id,)).fetchall()
    assert (job["status"], job["error"]) == ("failed", "KeyError")
    assert balance(conn, user) == 50


# --- regenerate -----------------------------------------------------------------------------


def test_regenerate_paints_a_hand_made_image_from_its_title_at_1024_with_a_fresh_seed(
    api: LambdaApi,
    conn: db.Connection,
    monkeypatch: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # Given an image asset made by hand: no prompt or size of its own, a note in its metadata
    asset_id = _image_asset(api, user, "Linen shirts, summer sale", {"brand": "Linen & Co"})
    seeds = _seeds_drawn(monkeypatch)

    answer = _regenerate(api, user, asset_id)

    # Then RunPod is asked for its title at 1024x1024, with a seed drawn from all 2**32
    assert answer.status == 202, answer.body
    assert seeds == [2**32]
    job = runpod.only_job
    settings = get_settings()
    assert job.input == {
        "prompt": "Linen shirts, summer sale", "width": 1024, "height": 1024, "seed": 2**32 - 1,
        "num_inference_steps": settings.sdxl_num_inference_steps,
        "guidance_scale": settings.sdxl_guidance_scale,
    }  # fmt: skip

    # and the picture, once stored, keeps the note beside what painted it
    runpod.complete(job.id, sdxl_output(data_url(png(1024, 1024))))
    assert deliver(api, job, None).json["status"] == "succeeded"
    job_id = _job_id(job)
    assert asset_row(conn, asset_id)["metadata"] == {
        "brand": "Linen & Co", "prompt": "Linen shirts, summer sale", "negative_prompt": None,
        "width": 1024, "height": 1024, "seed": 2**32 - 1, "job_id": job_id,
    }  # fmt: skip
    assert _usage(conn, user) == [
        {"kind": "image_generation", "status": "succeeded", "provider": "runpod",
         "credits_spent": 5, "ref_type": "image_job", "ref_id": job_id,
         "metadata": {"source": "ai_regenerate", "width": 1024, "height": 1024,
                      "seed": 2**32 - 1}},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("negative", "sent"),
    [pytest.param("text, logos", {"negative_prompt": "text, logos"}, id="negative-prompt"),
     pytest.param("", {}, id="empty-negative-prompt")],
)  # fmt: skip
def test_regenerate_paints_from_the_prompt_and_size_in_the_assets_metadata(
    api: LambdaApi,
    monkeypatch: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
    negative: str,
    sent: dict[str, str],
) -> None:
    metadata = {"prompt": "Linen shirts on a line", "negative_prompt": negative,
                "width": 768, "height": 512}  # fmt: skip
    asset_id = _image_asset(api, user, "Summer", metadata)
    _seeds_drawn(monkeypatch)

    assert _regenerate(api, user, asset_id).status == 202

    settings = get_settings()
    assert runpod.only_job.input == {
        "prompt": "Linen shirts on a line", **sent, "width": 768, "height": 512,
        "seed": 2**32 - 1, "num_inference_steps": settings.sdxl_num_inference_steps,
        "guidance_scale": settings.sdxl_guidance_scale,
    }  # fmt: skip


def test_regenerate_gives_the_new_pictures_seed_and_job_to_the_asset(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    first = _queued(api, runpod, user, width=512, height=512, seed=3)
    runpod.complete(first.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, first, None).json["status"] == "succeeded"
    asset_id = str(job_row(conn, _job_id(first))["asset_id"])

    answer = _regenerate(api, user, asset_id)
    second = runpod.jobs[_provider_job_id(conn, answer.json["job"]["id"])]
    runpod.complete(second.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, second, None).json["status"] == "succeeded"

    assert asset_row(conn, asset_id)["metadata"] == {
        "prompt": PROMPT, "negative_prompt": None, "width": 512, "height": 512,
        "seed": second.input["seed"], "job_id": _job_id(second),
    }  # fmt: skip


def _provider_job_id(conn: db.Connection, job_id: str) -> str:
    return str(job_row(conn, job_id)["provider_job_id"])


def test_generate_draws_a_seed_from_all_2_32_when_none_is_given(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch, runpod: RunPodDouble, user: SignedUp
) -> None:
    seeds = _seeds_drawn(monkeypatch)
    job = _queued(api, runpod, user)
    assert seeds == [2**32]
    assert job.input["seed"] == 2**32 - 1


def test_a_painting_image_is_refused_with_its_reason_and_charged_nothing(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    job = _queued(api, runpod, user)
    asset_id = str(job_row(conn, _job_id(job))["asset_id"])

    answer = _regenerate(api, user, asset_id)

    assert (answer.status, _error(answer)) == (
        409,
        {
            "code": "conflict",
            "message": "This image is still being painted; wait for it to finish.",
        },
    )
    assert balance(conn, user) == 45 and len(runpod.jobs) == 1


# --- the Idempotency-Key of each paid request -----------------------------------------------


def _stored_hash(conn: db.Connection, user: SignedUp, key: str) -> str:
    row = conn.execute(
        "SELECT request_hash FROM idempotency_keys WHERE user_id = %s AND key = %s",
        (user.id, key),
    ).fetchone()
    assert row is not None
    return str(row["request_hash"])


def test_generate_images_key_is_bound_to_its_route_and_whole_body(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # The fingerprint is pinned (tests/unit/test_idempotency_fingerprint.py): a key claimed
    # before a deploy still replays after it
    answer = generate(api, user, seed=3, headers={"Idempotency-Key": "picture"})
    assert answer.status == 202
    body = {"prompt": PROMPT, "negative_prompt": None, "campaign_id": None, "width": 640,
            "height": 512, "seed": 3}  # fmt: skip
    assert _stored_hash(conn, user, "picture") == request_fingerprint(
        body, route="POST /api/v1/ai/generate-image"
    )
    other = generate(api, user, seed=4, headers={"Idempotency-Key": "picture"})
    assert (other.status, other.json["error"]["message"]) == (
        409,
        "This Idempotency-Key was already used for a different request.",
    )
    assert len(runpod.jobs) == 1 and balance(conn, user) == 45


def test_regenerates_key_is_bound_to_its_route_and_asset(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # Given two hand-made images, and a regenerate of the first with a key
    first = _image_asset(api, user, "One", {})
    second = _image_asset(api, user, "Two", {})
    answer = _regenerate(api, user, first, key="again")
    assert answer.status == 202, answer.body

    # Then the key holds the regenerate route and that asset, as a text regenerate's would
    assert _stored_hash(conn, user, "again") == request_fingerprint(
        {"asset_id": first}, route="POST /api/v1/ai/regenerate"
    )
    # the same request with it replays the answer and charges once
    replay = _regenerate(api, user, first, key="again")
    assert (replay.status, replay.json) == (202, answer.json), replay.body
    assert replay.headers.get("idempotent-replayed") == "true"
    # and the key cannot start the other asset's picture
    other = _regenerate(api, user, second, key="again")
    assert (other.status, other.json["error"]["message"]) == (
        409,
        "This Idempotency-Key was already used for a different request.",
    )
    assert len(runpod.jobs) == 1 and balance(conn, user) == 45


# --- the job route --------------------------------------------------------------------------


def test_a_poll_asks_runpod_at_most_once_per_window(
    api: LambdaApi,
    conn: db.Connection,
    monkeypatch: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # A window of a minute instead of a second, so that "just asked" does not depend on how
    # fast this machine is; the rule is the same
    monkeypatch.setattr(image_logic, "_POLL_EVERY_S", 60.0)
    job = _queued(api, runpod, user)
    job_id = _job_id(job)
    path = f"/api/v1/ai/jobs/{job_id}"
    runpod.progress(job.id, delay_ms=100, execution_ms=50)

    assert api.get(path, token=user.token).json["progress"]["execution_ms"] == 50
    assert runpod.count("status") == 1

    # A poll within the window answers from the row, without asking RunPod
    runpod.progress(job.id, delay_ms=100, execution_ms=70)
    conn.execute(
        "UPDATE generation_jobs SET checked_at = now() - interval '30 seconds' WHERE id = %s",
        (job_id,),
    )
    assert api.get(path, token=user.token).json["progress"]["execution_ms"] == 50
    assert runpod.count("status") == 1

    # A poll after it asks again
    conn.execute(
        "UPDATE generation_jobs SET checked_at = now() - interval '90 seconds' WHERE id = %s",
        (job_id,),
    )
    assert api.get(path, token=user.token).json["progress"]["execution_ms"] == 70
    assert runpod.count("status") == 2


def test_a_poll_with_runpod_unavailable_answers_what_is_known_and_logs_why(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    job = _queued(api, runpod, user)
    job_id = _job_id(job)
    runpod.fail_next("status", 500, 500, 500)

    with log_lines() as lines:
        shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token)

    assert shown.status == 200
    assert (shown.json["status"], shown.json["error"]) == ("queued", None)
    assert _said(lines, "job status unavailable", "level", "job_id", "error") == [
        ("INFO", job_id, "RunPod answered 500.")
    ]
    assert job_row(conn, job_id)["status"] == "queued"


def test_an_unknown_job_is_404_with_its_message(api: LambdaApi, user: SignedUp) -> None:
    answer = api.get(f"/api/v1/ai/jobs/{uuid.uuid4()}", token=user.token)
    assert (answer.status, _error(answer)) == (
        404,
        {"code": "not_found", "message": "Job not found."},
    )


# --- the callback's refusals ----------------------------------------------------------------


def test_the_callbacks_refusals_say_why(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    job = _queued(api, runpod, user)
    forged = deliver(api, job, None, token="0" * 64)
    assert (forged.status, _error(forged)) == (
        401,
        {"code": "unauthorized", "message": "The callback token is not valid for this job."},
    )
    unknown = uuid.uuid4()
    missing = api.post(
        f"/api/v1/webhooks/runpod/{unknown}", None, query={"token": callback_tokens.mint(unknown)}
    )
    assert (missing.status, _error(missing)) == (
        404,
        {"code": "not_found", "message": "Job not found."},
    )
    # A webhook before our record of RunPod's id is written
    conn.execute("UPDATE generation_jobs SET provider_job_id = NULL WHERE id = %s", (_job_id(job),))
    early = deliver(api, job, None)
    assert (early.status, _error(early)) == (
        503,
        {
            "code": "service_unavailable",
            "message": "The job is still being registered; deliver again shortly.",
        },
    )
    assert runpod.count("status") == 0


# --- a job whose submission died ------------------------------------------------------------


@pytest.mark.usefixtures("day_long_jobs")
def test_a_job_whose_submission_died_waits_unasked_then_the_sweep_fails_and_refunds_it(
    api: LambdaApi,
    conn: db.Connection,
    fresh_image_settings: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # Given a container killed while it asked RunPod to queue the job (after the charge)
    def killed(request: dict[str, Any], *, webhook_url: str) -> str:
        raise ContainerKilled

    fresh_image_settings.setattr(get_image_provider(), "submit", killed)
    with pytest.raises(ContainerKilled):
        image_logic.generate_image(
            user_id=uuid.UUID(user.id),
            body=GenerateImageRequest(prompt=PROMPT, width=512, height=512),
            idempotency_key=None,
            callback_base="http://127.0.0.1:3001",
        )
    [job] = conn.execute("SELECT * FROM generation_jobs WHERE user_id = %s", (user.id,)).fetchall()
    job_id = str(job["id"])

    # When it is polled: it is still queued, and RunPod, which never heard of it, is not asked
    shown = api.get(f"/api/v1/ai/jobs/{job_id}", token=user.token).json
    assert (shown["status"], shown["error"]) == ("queued", None)
    assert balance(conn, user) == 45

    # When the sweep finds it past its time: failed as never queued, refunded, nothing cancelled
    age_past_timeout(conn, job_id, minutes=5)
    assert _sweep()["image_jobs"] == {"succeeded": 0, "failed": 1, "timed_out": 0}
    row = job_row(conn, job_id)
    assert (row["status"], row["error"]) == ("failed", "The image job failed: it was never queued.")
    assert asset_row(conn, str(row["asset_id"]))["status"] == "failed"
    assert balance(conn, user) == 50
    assert runpod.calls == []


# --- the sweep ------------------------------------------------------------------------------


@pytest.mark.usefixtures("day_long_jobs")
def test_a_sweep_ends_at_most_its_limit_oldest_first_and_counts_each_ending(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # Given five jobs past their time, oldest first: RunPod finished one, failed one, and is
    # still on the other three
    made = [_queued(api, runpod, user, width=512, height=512) for _ in range(5)]
    for n, job in enumerate(made):
        age_past_timeout(conn, _job_id(job), minutes=50 - n)
        runpod.progress(job.id, delay_ms=1000, execution_ms=1000)
    runpod.complete(made[0].id, sdxl_output(data_url(png(512, 512))))
    runpod.fail(made[1].id, "worker crashed")

    # When a sweep may take four of them
    ended = image_logic.time_out_stale_jobs(limit=4)

    # Then it ended the four oldest, each as RunPod had it, and counted each ending once
    assert ended == {"succeeded": 1, "failed": 1, "timed_out": 2}
    statuses = [job_row(conn, _job_id(job))["status"] for job in made]
    assert statuses == ["succeeded", "failed", "timed_out", "timed_out", "queued"]
    assert [runpod.count("cancel", job.id) for job in made] == [0, 0, 1, 1, 0]
    # and the scheduled sweep takes the last one
    assert _sweep()["image_jobs"] == {"succeeded": 0, "failed": 0, "timed_out": 1}
    last = job_row(conn, _job_id(made[4]))
    assert (last["status"], last["error"]) == (
        "timed_out",
        f"No picture after {DAY_S} s; cancelled.",
    )
    assert balance(conn, user) == 50 - 5


@pytest.mark.usefixtures("day_long_jobs")
def test_a_sweep_that_cannot_cancel_logs_it_and_still_times_the_job_out(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
    published: Callable[[], dict[str, tuple[str, list[float]]]],
) -> None:
    job = _queued(api, runpod, user)
    job_id = _job_id(job)
    age_past_timeout(conn, job_id, minutes=1)
    runpod.fail_next("status", 503, 503, 503)
    runpod.fail_next("cancel", 503, 503, 503)
    published()

    with log_lines(logging.WARNING) as lines:
        assert _sweep()["image_jobs"] == {"succeeded": 0, "failed": 0, "timed_out": 1}

    timed_out = f"No picture after {DAY_S} s; cancelled."
    assert _said(lines, "cancel failed", "job_id", "error") == [(job_id, "RunPod answered 503.")]
    assert _said(lines, "image job ended unpainted", "job_id", "error") == [(job_id, timed_out)]
    assert (job_row(conn, job_id)["status"], job_row(conn, job_id)["error"]) == (
        "timed_out",
        timed_out,
    )
    assert runpod.count("cancel", job.id) == 3
    assert published()["ImageRefunds"] == ("Count", [1.0])
    assert balance(conn, user) == 50


@pytest.mark.usefixtures("day_long_jobs")
def test_a_webhook_that_lands_while_the_sweep_cancels_wins_and_the_sweep_changes_nothing(
    api: LambdaApi,
    conn: db.Connection,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    # Given a job past its time that RunPod is still painting
    job = _queued(api, runpod, user, width=512, height=512)
    job_id = _job_id(job)
    age_past_timeout(conn, job_id, minutes=1)
    runpod.progress(job.id, delay_ms=1000, execution_ms=1000)
    webhooks: list[Any] = []

    def finish_first(cancelled: RunPodJob) -> None:
        # The sweep read IN_PROGRESS and is cancelling: RunPod finishes, its webhook lands
        runpod.complete(cancelled.id, sdxl_output(data_url(png(512, 512))))
        webhooks.append(deliver(api, cancelled, None))

    runpod.on_cancel = finish_first

    # When the sweep gives up on it
    swept = _sweep()
    runpod.on_cancel = None

    # Then the webhook's picture stands: the sweep found the job ended and counts it so,
    # refunds nothing and logs nothing
    assert [(w.status, w.json["status"]) for w in webhooks] == [(200, "succeeded")]
    assert swept["image_jobs"] == {"succeeded": 1, "failed": 0, "timed_out": 0}
    row = job_row(conn, job_id)
    assert (row["status"], row["error"], row["version"]) == ("succeeded", None, 1)
    assert ledger(conn, user) == [(50, "signup_grant", None), (-5, "ai_image_generation", job_id)]
    assert [u["status"] for u in _usage(conn, user)] == ["succeeded"]


def test_settling_a_finished_job_again_asks_runpod_nothing(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> None:
    # A sweep listed the job just before its webhook ended it: settling it again is a no-op
    job = _queued(api, runpod, user, width=512, height=512)
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, job, None).json["status"] == "succeeded"
    before = len(runpod.calls)

    again = image_logic.settle(uuid.UUID(_job_id(job)), give_up=True)

    assert again is not None and (again.status, again.version) == ("succeeded", 1)
    assert len(runpod.calls) == before


# --- an edit while the picture uploads ------------------------------------------------------


def _edit_during_uploads(
    api: LambdaApi, user: SignedUp, asset_id: str, monkeypatch: pytest.MonkeyPatch, times: int
) -> list[str]:
    """Each of the first `times` uploads is followed by the user's edit of the asset (a new
    version) before the picture is written; the paths uploaded to are recorded."""
    kind = type(storage.get_storage())
    put = kind.put
    paths: list[str] = []

    def put_then_edit(self: Any, path: str, data: bytes, *, content_type: str) -> None:
        put(self, path, data, content_type=content_type)
        paths.append(path)
        if len(paths) <= times:
            # The user's PATCH, through its own handler in its own thread (as its own request)
            with ThreadPoolExecutor(max_workers=1) as pool:
                edit = pool.submit(
                    api.patch, f"/api/v1/assets/{asset_id}", {"title": f"Edit {len(paths)}"},
                    token=user.token,
                )  # fmt: skip
                assert edit.result(timeout=30).status == 200

    monkeypatch.setattr(kind, "put", put_then_edit)
    return paths


def _regenerating(
    api: LambdaApi, conn: db.Connection, runpod: RunPodDouble, user: SignedUp
) -> tuple[RunPodJob, str]:
    """An image painted once (version 1) and its regenerate queued at RunPod: that job and the
    asset. (Before its first picture an image has no version a hand edit could race with.)"""
    first = _queued(api, runpod, user, width=512, height=512)
    runpod.complete(first.id, sdxl_output(data_url(png(512, 512))))
    assert deliver(api, first, None).json["status"] == "succeeded"
    asset_id = str(job_row(conn, _job_id(first))["asset_id"])
    before = set(runpod.jobs)
    answer = api.post("/api/v1/ai/regenerate", {"asset_id": asset_id}, token=user.token)
    assert answer.status == 202, answer.body
    [new] = set(runpod.jobs) - before
    return runpod.jobs[new], asset_id


def test_an_edit_during_the_upload_moves_the_picture_to_the_next_version(
    api: LambdaApi,
    conn: db.Connection,
    monkeypatch: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    job, asset_id = _regenerating(api, conn, runpod, user)
    job_id = _job_id(job)
    paths = _edit_during_uploads(api, user, asset_id, monkeypatch, times=1)
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))

    assert deliver(api, job, None).json["status"] == "succeeded"

    prefix = f"users/{user.id}/assets/{asset_id}"
    assert paths == [f"{prefix}/v2.png", f"{prefix}/v3.png"]
    assert [(v["version"], v["source"], v["storage_path"]) for v in versions(conn, asset_id)] == [
        (1, "ai_generate", f"{prefix}/v1.png"),
        (2, "manual", f"{prefix}/v1.png"),  # the rename keeps the picture it was made from
        (3, "ai_regenerate", f"{prefix}/v3.png"),
    ]  # fmt: skip
    assert job_row(conn, job_id)["version"] == 3
    asset = asset_row(conn, asset_id)
    assert (asset["status"], asset["current_version"], asset["title"]) == ("ready", 3, "Edit 1")


def test_an_asset_that_keeps_changing_fails_the_job_after_three_tries_and_refunds(
    api: LambdaApi,
    conn: db.Connection,
    monkeypatch: pytest.MonkeyPatch,
    runpod: RunPodDouble,
    user: SignedUp,
) -> None:
    job, asset_id = _regenerating(api, conn, runpod, user)
    job_id = _job_id(job)
    paths = _edit_during_uploads(api, user, asset_id, monkeypatch, times=10)
    runpod.complete(job.id, sdxl_output(data_url(png(512, 512))))

    assert deliver(api, job, None).json["status"] == "failed"

    prefix = f"users/{user.id}/assets/{asset_id}"
    assert paths == [f"{prefix}/v2.png", f"{prefix}/v3.png", f"{prefix}/v4.png"]
    row = job_row(conn, job_id)
    assert (row["status"], row["error"]) == (
        "failed",
        "The asset kept changing; the picture was not saved.",
    )
    sources = [v["source"] for v in versions(conn, asset_id)]
    assert sources == ["ai_generate", "manual", "manual", "manual"]
    assert asset_row(conn, asset_id)["status"] == "ready"  # its version 4, first picture kept
    assert balance(conn, user) == 45  # the first picture's 5; the regenerate refunded
