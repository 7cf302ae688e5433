"""Data access for `usage_events`: what each AI or billing request did, and the daily summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg.types.json import Jsonb

from asset_engine.db import Connection, fetch_all

# Kinds that count as one text generation in the summary.
TEXT_KINDS = ("text_generation", "suggestions", "refine", "regenerate")


def record(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    kind: str,
    status: str = "succeeded",
    provider: str | None = None,
    credits_spent: int = 0,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    ref_type: str | None = None,
    ref_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        """
        INSERT INTO usage_events (user_id, kind, status, provider, credits_spent, prompt_tokens,
                                  completion_tokens, ref_type, ref_id, metadata)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        """,
        (
            user_id,
            kind,
            status,
            provider,
            credits_spent,
            prompt_tokens,
            completion_tokens,
            ref_type,
            ref_id,
            Jsonb(metadata or {}),
        ),
    )


@dataclass(frozen=True)
class DailyUsage:
    date: date
    credits_spent: int
    text_generations: int
    image_generations: int


def daily_summary(conn: Connection, *, user_id: uuid.UUID, days: int) -> list[DailyUsage]:
    """One row per UTC day of the last `days` days, oldest first, zeros included."""
    return fetch_all(
        conn,
        DailyUsage,
        """
        WITH day AS (
            SELECT generate_series(
                (now() AT TIME ZONE 'UTC')::date - (%(days)s - 1),
                (now() AT TIME ZONE 'UTC')::date,
                interval '1 day'
            )::date AS date
        ),
        spent AS (
            SELECT (created_at AT TIME ZONE 'UTC')::date AS date,
                   sum(credits_spent)::int AS credits_spent,
                   count(*) FILTER (WHERE kind = ANY(%(text_kinds)s))::int AS text_generations,
                   count(*) FILTER (WHERE kind = 'image_generation')::int AS image_generations
            FROM usage_events
            WHERE user_id = %(user_id)s AND status = 'succeeded'
              AND created_at >= ((now() AT TIME ZONE 'UTC')::date - (%(days)s - 1))
                                AT TIME ZONE 'UTC'
            GROUP BY 1
        )
        SELECT day.date,
               COALESCE(spent.credits_spent, 0) AS credits_spent,
               COALESCE(spent.text_generations, 0) AS text_generations,
               COALESCE(spent.image_generations, 0) AS image_generations
        FROM day LEFT JOIN spent USING (date)
        ORDER BY day.date
        """,
        {"user_id": user_id, "days": days, "text_kinds": list(TEXT_KINDS)},
    )
