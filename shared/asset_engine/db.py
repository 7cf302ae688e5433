"""Postgres access: one small pool per container, so warm invocations reuse their connection.

In Lambda a container answers one request at a time, so the pool holds one connection
(DB_POOL_SIZE=1). The local gateway runs many invocations in one process and raises the size;
either way each request checks out a connection of its own for its whole duration.
"""

from __future__ import annotations

import select
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import psycopg
from psycopg.abc import Params
from psycopg.rows import class_row, dict_row
from psycopg_pool import ConnectionPool

from asset_engine.config import get_settings
from asset_engine.errors import ServiceUnavailable

Connection = psycopg.Connection[dict[str, Any]]
T = TypeVar("T")
RowT = TypeVar("RowT")

_pool: ConnectionPool[Connection] | None = None
_pool_lock = threading.Lock()

# A connection idle longer than this is checked (one empty query) before a request gets it: a
# pooler or a frozen container may have dropped it meanwhile. A busier one is checked only when
# its socket has something to read, which an idle connection never has unless the server
# closed it (a terminated backend, a failover): that costs no round trip. One that fails anyway
# is discarded by the pool (a broken connection never goes back), and `read` tries a read
# again on a new one.
CHECK_AFTER_IDLE_S = 30.0
_last_used: weakref.WeakKeyDictionary[Connection, float] = weakref.WeakKeyDictionary()


def _mark_used(conn: Connection) -> None:
    """On connect and at the end of every checkout: the start of its idle time. (Not as the
    pool's `reset`, which would hand every return to a worker thread.)"""
    _last_used[conn] = time.monotonic()


def _check_if_idle(conn: Connection) -> None:
    idle_s = time.monotonic() - _last_used.get(conn, 0.0)
    if idle_s > CHECK_AFTER_IDLE_S or _has_unread_input(conn):
        ConnectionPool.check_connection(conn)


def _has_unread_input(conn: Connection) -> bool:
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True  # no usable socket: let the check fail and the pool replace it
    return bool(readable)


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
                    # Checked on checkout only after sitting idle (see CHECK_AFTER_IDLE_S): a
                    # dropped one is replaced instead of failing the request.
                    check=_check_if_idle,
                    configure=_mark_used,
                    # How long a request waits for a connection before answering 503.
                    timeout=float(settings.db_connect_timeout_s),
                    max_idle=300,
                    name="asset-engine",
                    open=True,
                )
    return _pool


def read(query: Callable[[Connection], T]) -> T:
    """`query` (reads only) on a connection of its own; if that connection turns out to have
    been dropped, once more on a new one: a read is safe to repeat."""
    for attempt in (1, 2):
        conn: Connection | None = None
        try:
            with checkout() as conn:
                return query(conn)
        except ServiceUnavailable:
            dropped = conn is not None and conn.broken
            if attempt == 2 or not dropped:
                raise
    raise AssertionError("unreachable")


@contextmanager
def checkout() -> Iterator[Connection]:
    """This request's connection; a broken one is discarded by the pool and replaced next time."""
    try:
        with _get_pool().connection() as conn:
            try:
                yield conn
            finally:
                _mark_used(conn)
    except psycopg.OperationalError as exc:  # PoolTimeout included: down, unreachable or saturated
        raise ServiceUnavailable("The database is unavailable right now.") from exc


# Connections inside `batched_transaction`, with their pipeline.
_batched: weakref.WeakKeyDictionary[Connection, psycopg.Pipeline] = weakref.WeakKeyDictionary()


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """All-or-nothing: commits when the block ends, rolls back when it raises. Inside another
    transaction it is a savepoint (inside `batched_transaction` too, after a sync)."""
    pipeline = _batched.get(conn)
    if pipeline is not None:
        pipeline.sync()  # the batch's BEGIN reaches the server, so psycopg nests a savepoint
    with conn.transaction():
        yield conn


@contextmanager
def batched_transaction(conn: Connection) -> Iterator[Connection]:
    """`transaction`, in pipeline mode: BEGIN travels with the first statement whose result is
    read, and statements whose results nobody reads travel with the COMMIT, so the transaction
    costs no round trip of its own (pipelines work through Supabase's pooler, with
    prepare_threshold=None). A statement's error may surface at the next read or when the
    block ends, rather than at the statement. Nest only `transaction` inside it."""
    try:
        with conn.pipeline() as pipeline:
            _batched[conn] = pipeline
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
    except BaseException:
        # The block raised, or a batched statement or the COMMIT failed: nothing stays.
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with suppress(psycopg.Error):  # a broken connection is discarded by the pool
                conn.execute("ROLLBACK")
        raise
    finally:
        _batched.pop(conn, None)


def fetch_one(
    conn: Connection, row: type[RowT], query: str, params: Params | None = None
) -> RowT | None:
    """The first row of `query` as a `row` (a dataclass or model named by its columns)."""
    with conn.cursor(row_factory=class_row(row)) as cur:
        return cur.execute(query, params).fetchone()


def fetch_all(
    conn: Connection, row: type[RowT], query: str, params: Params | None = None
) -> list[RowT]:
    """Every row of `query`, each as a `row`."""
    with conn.cursor(row_factory=class_row(row)) as cur:
        return cur.execute(query, params).fetchall()


def close_pool() -> None:
    """Close the container's pool (tests between databases; the CLI on exit)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None
