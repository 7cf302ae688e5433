"""Apply `migrations/*.sql` in order, once each, safely from several processes at once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from asset_engine.db import Connection

# Any fixed number: every process that migrates takes the same advisory lock. It is held by a
# transaction (pg_advisory_xact_lock), never by the session: on Supabase's transaction pooler
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

    One transaction holds the lock for the whole run, so a second process waits, then finds
    everything done. Each file runs in a savepoint: a failing one is rolled back alone, the
    ones before it are kept, and the error is raised once they are committed."""
    migrations = load_migrations(directory or default_migrations_dir())
    done: list[str] = []
    failure: Exception | None = None
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
        applied = {
            row["version"]: row["checksum"]
            for row in conn.execute("SELECT version, checksum FROM schema_migrations")
        }
        for migration in migrations:
            if applied.get(migration.version, migration.checksum) != migration.checksum:
                raise RuntimeError(
                    f"{migration.name} changed after it was applied; add a new migration instead"
                )
        for migration in (m for m in migrations if m.version not in applied):
            try:
                with conn.transaction():
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) "
                        "VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
            except Exception as exc:
                failure = exc
                break
            done.append(migration.name)
    if failure is not None:
        raise failure
    return done


def _lock(conn: Connection) -> None:
    """Held until the current transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
