"""Image jobs from the charge to the stored PNG, with no credit ever lost.

generate / regenerate: claim the key, charge, open a `pending` asset and a `queued` job (one
transaction) -> queue the job at RunPod with our callback URL (no connection held) -> 202.
A job ends in `settle`, whoever notices first: RunPod's callback, a poll of the job, or the
sweeper. It reads the outcome from RunPod's /status (never from a webhook body), then either
stores the picture and appends the asset version, or refunds; under the job's row lock, so a
job ends once however many of them race.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import psycopg

from asset_engine import db, storage
from asset_engine.assets import logic as assets
from asset_engine.assets.schemas import AssetPublic
from asset_engine.billing import charges, credits, usage
from asset_engine.billing.charges import Answer, PaidRequest
from asset_engine.config import get_settings
from asset_engine.db import transaction
from asset_engine.errors import (
    Conflict,
    NotFound,
    ProviderError,
    ServiceUnavailable,
    Unauthorized,
)
from asset_engine.images import callback_tokens, jobs, pictures
from asset_engine.images.jobs import Job
from asset_engine.images.schemas import (
    CallbackAnswer,
    GenerateImageRequest,
    ImageJobAccepted,
    JobProgress,
    JobPublic,
)
from asset_engine.observability import logger, metrics, traced
from asset_engine.providers.images import JobStatus, get_image_provider

REF_TYPE = "image_job"
USAGE_KIND = "image_generation"
_POLL_EVERY_S = 1.0  # a poll asks RunPod at most this often per job


def public(job: Job) -> JobPublic:
    return JobPublic(
        id=job.id,
        kind="image",
        status=job.status,
        asset_id=job.asset_id,
        error=job.error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
        provider=job.provider,
        source=job.source,
        progress=JobProgress(queue_ms=job.queue_ms, execution_ms=job.execution_ms),
    )


# --- starting a job ------------------------------------------------------------------------


def _worker_input(
    *, prompt: str, negative_prompt: str | None, width: int, height: int, seed: int
) -> dict[str, Any]:
    """worker-sdxl's `input` (its schema refuses unknown keys, so only these)."""
    settings = get_settings()
    request: dict[str, Any] = {
        "prompt": prompt,
        "width": width,
        "height": height,
        "seed": seed,
        "num_inference_steps": settings.sdxl_num_inference_steps,
        "guidance_scale": settings.sdxl_guidance_scale,
    }
    if negative_prompt:
        request["negative_prompt"] = negative_prompt
    return request


def _title(prompt: str) -> str:
    first_line = " ".join(prompt.split())
    if len(first_line) <= 80:
        return first_line
    return first_line[:80].rsplit(" ", 1)[0] + "…"


def generate_image(
    *,
    user_id: uuid.UUID,
    body: GenerateImageRequest,
    idempotency_key: str | None,
    callback_base: str,
) -> Answer:
    seed = body.seed if body.seed is not None else secrets.randbelow(2**32)
    worker_input = _worker_input(
        prompt=body.prompt,
        negative_prompt=body.negative_prompt,
        width=body.width,
        height=body.height,
        seed=seed,
    )
    request = _paid_request(
        user_id, "POST /api/v1/ai/generate-image", body.model_dump(mode="json"), idempotency_key
    )

    def open_asset(conn: db.Connection) -> uuid.UUID:
        asset = assets.create_pending_image(
            conn,
            user_id=user_id,
            title=_title(body.prompt),
            campaign_id=body.campaign_id,
            metadata=_picture_metadata(worker_input, job_id=request.request_id),
        )
        return asset.id

    return _start(request, worker_input, open_asset, source="ai_generate", base=callback_base)


def regenerate_image(
    *, user_id: uuid.UUID, asset: AssetPublic, idempotency_key: str | None, callback_base: str
) -> Answer:
    """A new picture from the asset's prompt and a new seed, as its next version. An image
    still painting is refused by the one-open-job index, after the Idempotency-Key is read
    (a retry of the regenerate that started it replays its 202)."""
    meta = asset.metadata
    worker_input = _worker_input(
        prompt=str(meta.get("prompt") or asset.title),
        negative_prompt=meta.get("negative_prompt") or None,
        width=int(meta.get("width") or 1024),
        height=int(meta.get("height") or 1024),
        seed=secrets.randbelow(2**32),
    )
    request = _paid_request(
        user_id, "POST /api/v1/ai/regenerate", {"asset_id": str(asset.id)}, idempotency_key
    )

    def open_asset(conn: db.Connection) -> uuid.UUID:
        assets.mark_pending(conn, user_id=user_id, asset_id=asset.id)
        return asset.id

    return _start(request, worker_input, open_asset, source="ai_regenerate", base=callback_base)


def _paid_request(
    user_id: uuid.UUID, route: str, body: dict[str, Any], idempotency_key: str | None
) -> PaidRequest:
    return PaidRequest(
        user_id=user_id,
        route=route,
        body=body,
        price=get_settings().price_image,
        usage_kind=USAGE_KIND,
        idempotency_key=idempotency_key,
        ref_type=REF_TYPE,  # request_id doubles as the job id: the charge points at the job
    )


def _picture_metadata(worker_input: dict[str, Any], *, job_id: uuid.UUID) -> dict[str, Any]:
    keys = ("prompt", "negative_prompt", "width", "height", "seed")
    return {**{k: worker_input.get(k) for k in keys}, "job_id": str(job_id)}


def _start(
    request: PaidRequest,
    worker_input: dict[str, Any],
    open_asset: Any,
    *,
    source: str,
    base: str,
) -> Answer:
    provider = get_image_provider()
    job_id = request.request_id
    with db.checkout() as conn, transaction(conn):
        claimed = charges.charge(conn, request)
        if isinstance(claimed, Answer):
            return claimed
        asset_id = open_asset(conn)
        try:
            with transaction(conn):
                jobs.insert(
                    conn,
                    job_id=job_id,
                    user_id=request.user_id,
                    asset_id=asset_id,
                    source=source,
                    provider=provider.name,
                    request=worker_input,
                    credits_charged=claimed.credits_charged,
                )
        except psycopg.errors.UniqueViolation as exc:  # rolls the charge back with it
            raise Conflict(assets.PAINTING) from exc
    charge = claimed

    try:
        webhook = callback_tokens.callback_url(job_id, base_url=base)
        provider_job_id = provider.submit(worker_input, webhook_url=webhook)
    except Exception as exc:
        reason = charges.failure_reason(exc)
        with db.checkout() as conn, transaction(conn):
            locked = jobs.lock(conn, job_id=job_id)
            if locked is not None and not locked.finished:
                _close_unpainted(conn, locked, status="failed", error=reason)
            charges.give_back(conn, request, charge, reason, provider=provider.name)
        metrics.add_metric(name="ImageSubmitFailures", unit="Count", value=1)
        if isinstance(exc, ProviderError):
            refunded = f"{exc.message} The {charge.credits_charged} credits were refunded."
            raise ProviderError(refunded, provider=provider.name) from exc
        raise

    with db.checkout() as conn, transaction(conn):
        jobs.set_submitted(conn, job_id=job_id, provider_job_id=provider_job_id)
    if provider.settles_inline:
        settle(job_id)
    with db.checkout() as conn, transaction(conn):
        job = jobs.get(conn, job_id=job_id)
        assert job is not None
        answer = ImageJobAccepted(
            job=public(job),
            asset_id=job.asset_id,
            credits_charged=charge.credits_charged,
            balance=charge.balance,
            provider=provider.name,
        ).model_dump(mode="json")
        accepted = Answer(202, answer)
        charges.finish(conn, request, accepted)
    metrics.add_metric(name="ImageJobs", unit="Count", value=1)
    return accepted


# --- reading and ending a job --------------------------------------------------------------


def get_job(*, user_id: uuid.UUID, job_id: uuid.UUID) -> JobPublic:
    """The owner's job. An unfinished one is checked with RunPod every few seconds, so the
    progress is live and a job whose webhook was lost still ends."""
    with db.checkout() as conn:
        job = jobs.get_owned(conn, user_id=user_id, job_id=job_id)
    fresh = job is not None and (
        job.finished or (job.checked_s_ago is not None and job.checked_s_ago < _POLL_EVERY_S)
    )
    if job is None:
        raise NotFound("Job not found.")
    if not fresh:
        try:
            job = settle(job.id) or job
        except ProviderError as exc:  # RunPod unreachable: answer what we know
            logger.info(
                "job status unavailable", extra={"job_id": str(job.id), "error": exc.message}
            )
    return public(job)


def handle_callback(*, job_id: uuid.UUID, token: str | None) -> CallbackAnswer:
    """RunPod's webhook. The body is not read: the token says the URL is ours, and /status
    says what happened."""
    if not callback_tokens.is_valid(job_id, token):
        raise Unauthorized("The callback token is not valid for this job.")
    with db.checkout() as conn:
        job = jobs.get(conn, job_id=job_id)
    if job is None:
        raise NotFound("Job not found.")
    if job.provider_job_id is None and not job.finished:
        # The webhook overtook our own record of the submission: RunPod retries a non-200.
        raise ServiceUnavailable("The job is still being registered; deliver again shortly.")
    if not job.finished:
        job = settle(job_id) or job
    return CallbackAnswer(job_id=job.id, status=job.status)


def settle(job_id: uuid.UUID, *, give_up: bool = False) -> Job | None:
    """Bring the job up to date with RunPod: store its picture, end it failed (refunded), or
    note its progress. With `give_up` (the sweeper), an unfinished job is cancelled at RunPod
    and timed out (refunded). Returns the job as it is afterwards."""
    with db.checkout() as conn:
        job = jobs.get(conn, job_id=job_id)
    if job is None or job.finished:
        return job
    provider_job_id = job.provider_job_id
    if provider_job_id is None:  # still being submitted, or its submission died midway
        if not give_up:
            return job
        return _end(job, status="failed", error="The image job failed: it was never queued.")
    provider = get_image_provider()
    try:
        status = provider.status(provider_job_id, job.request)
    except ProviderError:
        if not give_up:
            raise
        return _time_out(job, provider_job_id)  # RunPod unreadable: given up all the same

    if status.state == "completed":
        try:
            reference = pictures.first_image(status.output)
            data = pictures.fetch_bytes(reference, allow_http=get_settings().is_dev_like)
            png = pictures.as_png(
                data, width=int(job.request["width"]), height=int(job.request["height"])
            )
        except pictures.BadPicture as exc:
            return _end(job, status="failed", error=f"The picture was unusable: {exc}.")
        return _store_picture(job, png, status)
    if status.state in ("failed", "gone"):
        why = status.error or f"RunPod reports {status.status}"
        return _end(job, status="failed", error=f"The image job failed: {why}.")
    if give_up:
        return _time_out(job, provider_job_id)
    with db.checkout() as conn, transaction(conn):
        jobs.record_progress(
            conn,
            job_id=job.id,
            running=status.state == "running",
            queue_ms=status.queue_ms,
            execution_ms=status.execution_ms,
        )
        return jobs.get(conn, job_id=job.id)


def _time_out(job: Job, provider_job_id: str) -> Job | None:
    """The sweeper's last word on a job RunPod has not finished: cancel it there (a cancel that
    fails is logged, not fatal), then end it `timed_out`, refunded."""
    try:
        get_image_provider().cancel(provider_job_id)
    except ProviderError as exc:
        logger.warning("cancel failed", extra={"job_id": str(job.id), "error": exc.message})
    timeout = get_settings().image_job_timeout_s
    return _end(job, status="timed_out", error=f"No picture after {timeout} s; cancelled.")


class _VersionMoved(Exception):
    """The asset got a new version between choosing the picture's name and writing it."""


def _store_picture(job: Job, png: bytes, status: JobStatus) -> Job | None:
    """Upload the picture (no connection held), then append it as the asset's next version,
    end the job and record the usage, in one transaction."""
    for _ in range(3):
        try:
            with db.checkout() as conn:
                asset = assets.get_asset(conn, user_id=job.user_id, asset_id=job.asset_id)
        except NotFound:  # deleted meanwhile, and its job with it (ON DELETE CASCADE)
            return None
        version = asset.latest_version + 1
        path = storage.asset_image_path(user_id=job.user_id, asset_id=job.asset_id, version=version)
        storage.get_storage().put(path, png, content_type="image/png")
        try:
            with db.checkout() as conn, transaction(conn):
                locked = jobs.lock(conn, job_id=job.id)
                if locked is None or locked.finished:
                    return locked  # settled by someone else meanwhile: nothing more to do
                current = assets.hold_for_version(conn, user_id=job.user_id, asset_id=job.asset_id)
                if current is None or current.latest_version + 1 != version:
                    raise _VersionMoved
                assets.append_version(
                    conn,
                    user_id=job.user_id,
                    asset_id=job.asset_id,
                    source=job.source,
                    storage_path=path,
                    metadata={
                        **current.metadata,
                        **_picture_metadata(job.request, job_id=job.id),
                    },
                    status="ready",
                )
                jobs.finish(
                    conn,
                    job_id=job.id,
                    status="succeeded",
                    version=version,
                    queue_ms=status.queue_ms,
                    execution_ms=status.execution_ms,
                )
                usage.record(
                    conn,
                    user_id=job.user_id,
                    kind=USAGE_KIND,
                    provider=job.provider,
                    credits_spent=job.credits_charged,
                    ref_type=REF_TYPE,
                    ref_id=str(job.id),
                    metadata={"source": job.source, "width": job.request.get("width"),
                              "height": job.request.get("height"), "seed": job.request.get("seed")},
                )  # fmt: skip
                metrics.add_metric(name="ImagesStored", unit="Count", value=1)
                return jobs.get(conn, job_id=job.id)
        except _VersionMoved:
            continue
    return _end(job, status="failed", error="The asset kept changing; the picture was not saved.")


def _end(job: Job, *, status: str, error: str) -> Job | None:
    """End an unfinished job without a picture, refunded; a job ended meanwhile is left as is."""
    with db.checkout() as conn, transaction(conn):
        locked = jobs.lock(conn, job_id=job.id)
        if locked is None or locked.finished:
            return locked
        _close_unpainted(conn, locked, status=status, error=error)
        _refund(conn, locked, error=error)
        logger.warning("image job ended unpainted", extra={"job_id": str(job.id), "error": error})
        return jobs.get(conn, job_id=job.id)


def _close_unpainted(conn: db.Connection, job: Job, *, status: str, error: str) -> None:
    """Inside a transaction holding the job's lock: end it, and put the asset back (its
    previous version for a regenerate, `failed` for a first picture)."""
    jobs.finish(conn, job_id=job.id, status=status, error=error[:1000])
    assets.give_up_pending(conn, user_id=job.user_id, asset_id=job.asset_id)


def _refund(conn: db.Connection, job: Job, *, error: str) -> None:
    """Inside the same transaction: give the job's charge back and record the failure (a job
    whose submission failed is refunded by its paid request instead: `charges.give_back`)."""
    charge = credits.charge_for(conn, ref_type=REF_TYPE, ref_id=str(job.id))
    if charge is not None:
        credits.refund(conn, charge=charge)
    usage.record(
        conn,
        user_id=job.user_id,
        kind=USAGE_KIND,
        status="failed",
        provider=job.provider,
        ref_type=REF_TYPE,
        ref_id=str(job.id),
        metadata={"error": error[:500], "source": job.source},
    )
    metrics.add_metric(name="ImageRefunds", unit="Count", value=1)


def time_out_stale_jobs(*, limit: int = 100) -> dict[str, int]:
    """The sweeper's part: every job unfinished after IMAGE_JOB_TIMEOUT_S is settled once
    more with RunPod (a lost webhook completes it), or cancelled and refunded."""
    with db.checkout() as conn:
        stale = jobs.open_older_than(conn, seconds=get_settings().image_job_timeout_s, limit=limit)
    ended = {"succeeded": 0, "failed": 0, "timed_out": 0}
    for job_id in stale:
        job = settle(job_id, give_up=True)  # ends it, unless it was deleted meanwhile
        if job is not None:
            ended[job.status] += 1
    return ended


# Traced after definition, not decorated, so that `make mutate` mutates them.
_start = traced(_start)
settle = traced(settle)
time_out_stale_jobs = traced(time_out_stale_jobs)
