"""Private PostgreSQL servers and scratch databases: the embedded default (a server under
`.data/` when DATABASE_URL is unset), and throwaway ones for tests and benchmarks."""

from __future__ import annotations

import contextlib
import json
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_NAME = "asset_engine"


def start(data_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start (or join) the private server in `data_dir`; returns a URL to `database` on it.

    pgserver ships PostgreSQL's binaries in its wheel and shares one server between the
    processes that ask for the same folder, so two gateways started at once both come up;
    the server stops when the last of them exits.
    """
    # pgserver asks platformdirs for a runtime folder it does not need; the warning is noise.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from pgserver import get_server  # type: ignore[attr-defined]  # local tooling only

    data_dir.mkdir(parents=True, exist_ok=True)
    forget_dead_users(data_dir)
    server = get_server(str(data_dir), cleanup_mode="stop")
    admin_url = server.get_uri()
    ensure_database(admin_url, database)
    return str(server.get_uri(database))


def forget_dead_users(data_dir: Path) -> list[int]:
    """Drop processes that no longer exist from pgserver's list of the server's users.

    pgserver stops the server when the last process in `.handle_pids.json` exits; a process
    killed with `kill -9` never takes itself off, so without this every later run would leave
    the server running forever after. Returns the ids dropped."""
    import psutil
    from pgserver.postgres_server import PostgresServer

    users = data_dir.resolve() / ".handle_pids.json"
    with PostgresServer._lock:  # the lock pgserver itself holds while it edits the list
        if not users.exists():
            return []
        pids = [int(pid) for pid in json.loads(users.read_text() or "[]")]
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            users.write_text(json.dumps(alive))
        return [pid for pid in pids if pid not in alive]


def ensure_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists is None:
            # Another process may make it first; either way it exists afterwards.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


@contextmanager
def private_server(folder: Path) -> Iterator[str]:
    """A throwaway server for a test run or a benchmark; stopped and deleted at the end."""
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from pgserver import get_server  # type: ignore[attr-defined]

    server = get_server(str(folder), cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


@contextmanager
def scratch_database(admin_url: str, prefix: str = "asset_engine_scratch") -> Iterator[str]:
    """A database of its own on `admin_url`'s server, dropped at the end: runs never meet."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    info["dbname"] = name
    try:
        yield psycopg.conninfo.make_conninfo(**info)  # type: ignore[arg-type]
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
