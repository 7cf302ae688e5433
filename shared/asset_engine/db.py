"""Postgres access: one small pool per container, so warm invocations reuse their connection.

In Lambda a container answers one request at a time, so the pool holds one connection
(DB_POOL_SIZE=1). The local gateway runs many invocations in one process and raises the size;
either way each request checks out a connection of its own for its whole duration.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from asset_engine.config import get_settings
from asset_engine.errors import ServiceUnavailable

Connection = psycopg.Connection[dict[str, Any]]

_pool: ConnectionPool[Connection] | None = None
_pool_lock = threading.Lock()


def connection_kwargs() -> dict[str, Any]:
    # prepare_threshold=None: Supabase's transaction pooler (port 6543) cannot keep prepared
    # statements across transactions. autocommit: every write happens inside transaction().
    return {"autocommit": True, "prepare_threshold": None, "row_factory": dict_row}


def connect(url: str | None = None) -> Connection:
    """A standalone connection (CLI, migrations, benchmarks); requests use `checkout()`."""
    settings = get_settings()
    dsn = url or settings.database_url
    if not dsn:
        raise RuntimeError("DATABASE_URL is not set")
    return psycopg.connect(
        dsn, connect_timeout=settings.db_connect_timeout_s, **connection_kwargs()
    )


def _get_pool() -> ConnectionPool[Connection]:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                settings = get_settings()
                if not settings.database_url:
                    raise ServiceUnavailable("The database is not configured (DATABASE_URL).")
                _pool = ConnectionPool(
                    settings.database_url,
                    min_size=0,
                    max_size=settings.db_pool_size,
                    kwargs={
                        **connection_kwargs(),
                        "connect_timeout": settings.db_connect_timeout_s,
                    },
                    connection_class=psycopg.Connection,
                    # A pooler or a frozen container may have dropped the connection while idle:
                    # check it on checkout and reconnect instead of failing the request.
                    check=ConnectionPool.check_connection,
                    # How long a request waits for a connection before answering 503.
                    timeout=float(settings.db_connect_timeout_s),
                    max_idle=300,
                    name="asset-engine",
                    open=True,
                )
    return _pool


@contextmanager
def checkout() -> Iterator[Connection]:
    """This request's connection; a broken one is discarded by the pool and replaced next time."""
    try:
        with _get_pool().connection() as conn:
            yield conn
    except psycopg.OperationalError as exc:  # PoolTimeout included: down, unreachable or saturated
        raise ServiceUnavailable("The database is unavailable right now.") from exc


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """All-or-nothing: commits when the block ends, rolls back when it raises."""
    with conn.transaction():
        yield conn


def close_pool() -> None:
    """Close the container's pool (tests between databases; the CLI on exit)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None
