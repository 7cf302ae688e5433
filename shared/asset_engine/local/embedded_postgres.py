"""The embedded default: a private PostgreSQL under `.data/`, for when DATABASE_URL is unset."""

from __future__ import annotations

import contextlib
import warnings
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
    server = get_server(str(data_dir), cleanup_mode="stop")
    admin_url = server.get_uri()
    ensure_database(admin_url, database)
    return str(server.get_uri(database))


def ensure_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists is None:
            # Another process may make it first; either way it exists afterwards.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
