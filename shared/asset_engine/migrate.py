"""Apply `migrations/*.sql` in order, once each, safely from several processes at once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from asset_engine.db import Connection

# Any fixed number: every process that migrates takes the same advisory lock. It is taken per
# transaction (pg_advisory_xact_lock), never per session: on Supabase's transaction pooler
# consecutive statements may run on different server connections, so a session lock could be
# taken on one and "released" on another.
_LOCK_ID = 7_314_205_118
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def default_migrations_dir() -> Path:
    # shared/asset_engine/migrate.py -> <project>/migrations
    return Path(__file__).resolve().parents[2] / "migrations"


def load_migrations(directory: Path) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"{path.name}: migrations are named NNNN_snake_case.sql")
        found.append(Migration(match.group(1), path.name, path.read_text()))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two migrations share a number")
    return found


def migrate(conn: Connection, directory: Path | None = None) -> list[str]:
    """Apply what is missing; returns the names applied. A changed, applied file is an error.

    Each migration is one transaction that takes the lock, re-reads the bookkeeping and applies
    the file: a process that waited for another applies nothing twice, and a failing file
    leaves nothing half applied."""
    migrations = load_migrations(directory or default_migrations_dir())
    with conn.transaction():
        _lock(conn)
        conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    text PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
    done = []
    for migration in migrations:
        with conn.transaction():
            _lock(conn)
            seen = conn.execute(
                "SELECT checksum FROM schema_migrations WHERE version = %s", (migration.version,)
            ).fetchone()
            if seen is not None:
                if seen["checksum"] != migration.checksum:
                    raise RuntimeError(
                        f"{migration.name} changed after it was applied; add a new migration instead"
                    )
                continue
            conn.execute(migration.sql.encode())
            conn.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
        done.append(migration.name)
    return done


def _lock(conn: Connection) -> None:
    """Held until the current transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
