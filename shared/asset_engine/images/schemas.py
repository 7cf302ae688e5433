"""Request and response models of the image paths (generate-image, jobs, RunPod's callback)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictInt

from asset_engine.images.jobs import JobSource, JobStatus
from asset_engine.providers.images import ImageProviderName
from asset_engine.schemas import StrictModel, Text

FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "timed_out"})


def _multiple_of_64(value: int) -> int:
    if value % 64:
        raise ValueError(f"must be a multiple of 64 (512..1536), not {value}")
    return value


# SDXL paints in 64-pixel blocks; beyond 1536 it is slow and off its training sizes.
Side = Annotated[StrictInt, Field(ge=512, le=1536), AfterValidator(_multiple_of_64)]


class GenerateImageRequest(StrictModel):
    prompt: Text = Field(min_length=1, max_length=2000, description="What the picture shows.")
    negative_prompt: Text | None = Field(
        default=None, max_length=2000, description="What the picture must not show."
    )
    campaign_id: uuid.UUID | None = None
    width: Side = 1024
    height: Side = 1024
    seed: StrictInt | None = Field(
        default=None, ge=0, le=2**32 - 1, description="The same seed and prompt paint alike."
    )


class JobProgress(BaseModel):
    """What RunPod reports of a job: its wait in the queue and its run so far, when known."""

    queue_ms: int | None = None
    execution_ms: int | None = None


class JobPublic(BaseModel):
    """API.md's `Job`, plus the provider, the source, when it finished, and its progress."""

    id: uuid.UUID
    kind: Literal["image"]
    status: JobStatus
    asset_id: uuid.UUID
    error: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    provider: ImageProviderName
    source: JobSource
    progress: JobProgress


class ImageJobAccepted(BaseModel):
    """The 202 of generate-image and of regenerate on an image asset."""

    job: JobPublic
    asset_id: uuid.UUID
    credits_charged: int
    balance: int
    provider: ImageProviderName


class CallbackAnswer(BaseModel):
    """What the RunPod callback answers: the job's state after this delivery."""

    job_id: uuid.UUID
    status: JobStatus
