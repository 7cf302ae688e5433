"""Data access for `generation_jobs`. Rows come back as `Job`; every read by a user filters by
them, and the callback and the sweeper (which have no user) lock the row they settle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from asset_engine.db import Connection
from asset_engine.providers.images import ImageProviderName

JobStatus = Literal["queued", "running", "succeeded", "failed", "timed_out"]
JobSource = Literal["ai_generate", "ai_regenerate"]

_COLUMNS = """id, user_id, asset_id, kind, status, source, provider, provider_job_id, request,
credits_charged, error, queue_ms, execution_ms, version, created_at, updated_at, finished_at,
checked_at, extract(epoch FROM now() - checked_at)::float AS checked_s_ago"""


@dataclass(frozen=True)
class Job:
    id: uuid.UUID
    user_id: uuid.UUID
    asset_id: uuid.UUID
    kind: str
    status: JobStatus
    source: JobSource
    provider: ImageProviderName
    provider_job_id: str | None
    request: dict[str, Any]  # worker-sdxl's `input`, as submitted
    credits_charged: int
    error: str | None
    queue_ms: int | None
    execution_ms: int | None
    version: int | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    checked_at: datetime | None
    checked_s_ago: float | None  # by the database's clock, as checked_at was written

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed", "timed_out")


def _one(conn: Connection, sql: str, params: dict[str, Any]) -> Job | None:
    with conn.cursor(row_factory=class_row(Job)) as cur:
        return cur.execute(sql, params).fetchone()


def insert(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    user_id: uuid.UUID,
    asset_id: uuid.UUID,
    source: str,
    provider: str,
    request: dict[str, Any],
    credits_charged: int,
) -> Job:
    job = _one(
        conn,
        f"""
        INSERT INTO generation_jobs (id, user_id, asset_id, source, provider, request,
                                     credits_charged)
        VALUES (%(id)s, %(user_id)s, %(asset_id)s, %(source)s, %(provider)s, %(request)s,
                %(credits)s)
        RETURNING {_COLUMNS}
        """,  # noqa: S608 - only the constant column list is interpolated
        {
            "id": job_id,
            "user_id": user_id,
            "asset_id": asset_id,
            "source": source,
            "provider": provider,
            "request": Jsonb(request),
            "credits": credits_charged,
        },
    )
    assert job is not None
    return job


def get_owned(conn: Connection, *, user_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    return _one(
        conn,
        f"SELECT {_COLUMNS} FROM generation_jobs WHERE id = %(id)s AND user_id = %(user_id)s",  # noqa: S608
        {"id": job_id, "user_id": user_id},
    )


def get(conn: Connection, *, job_id: uuid.UUID) -> Job | None:
    """Any user's job: only for the callback (whose token names it) and the sweeper."""
    return _one(conn, f"SELECT {_COLUMNS} FROM generation_jobs WHERE id = %(id)s", {"id": job_id})  # noqa: S608


def lock(conn: Connection, *, job_id: uuid.UUID) -> Job | None:
    """The job row, locked until the transaction ends: one settlement at a time."""
    return _one(
        conn,
        f"SELECT {_COLUMNS} FROM generation_jobs WHERE id = %(id)s FOR UPDATE",  # noqa: S608
        {"id": job_id},
    )


def set_submitted(conn: Connection, *, job_id: uuid.UUID, provider_job_id: str) -> Job | None:
    """RunPod's id for the job; a job settled meanwhile (a fast webhook) keeps its state."""
    return _one(
        conn,
        f"""
        UPDATE generation_jobs SET provider_job_id = %(provider_job_id)s, updated_at = now()
        WHERE id = %(id)s
        RETURNING {_COLUMNS}
        """,  # noqa: S608
        {"id": job_id, "provider_job_id": provider_job_id},
    )


def record_progress(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    running: bool,
    queue_ms: int | None,
    execution_ms: int | None,
) -> None:
    """What /status said of an unfinished job; never touches a finished one."""
    conn.execute(
        """
        UPDATE generation_jobs
        SET status = CASE WHEN %(running)s THEN 'running' ELSE status END,
            queue_ms = COALESCE(%(queue_ms)s, queue_ms),
            execution_ms = COALESCE(%(execution_ms)s, execution_ms),
            checked_at = now(), updated_at = now()
        WHERE id = %(id)s AND status IN ('queued', 'running')
        """,
        {"id": job_id, "running": running, "queue_ms": queue_ms, "execution_ms": execution_ms},
    )


def finish(
    conn: Connection,
    *,
    job_id: uuid.UUID,
    status: str,
    error: str | None = None,
    version: int | None = None,
    queue_ms: int | None = None,
    execution_ms: int | None = None,
) -> None:
    """Move a locked, unfinished job to its end state."""
    conn.execute(
        """
        UPDATE generation_jobs
        SET status = %(status)s, error = %(error)s, version = %(version)s,
            queue_ms = COALESCE(%(queue_ms)s, queue_ms),
            execution_ms = COALESCE(%(execution_ms)s, execution_ms),
            finished_at = now(), checked_at = now(), updated_at = now()
        WHERE id = %(id)s AND status IN ('queued', 'running')
        """,
        {
            "id": job_id,
            "status": status,
            "error": error,
            "version": version,
            "queue_ms": queue_ms,
            "execution_ms": execution_ms,
        },
    )


def open_older_than(conn: Connection, *, seconds: int, limit: int) -> list[uuid.UUID]:
    """Unfinished jobs submitted more than `seconds` ago, oldest first (the sweeper's list)."""
    rows = conn.execute(
        """
        SELECT id FROM generation_jobs
        WHERE status IN ('queued', 'running')
          AND created_at < now() - make_interval(secs => %(seconds)s)
        ORDER BY created_at
        LIMIT %(limit)s
        """,
        {"seconds": seconds, "limit": limit},
    ).fetchall()
    return [row["id"] for row in rows]
