"""The migration runner: in order, once each, safe twice and from two processes at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from asset_engine import db
from asset_engine.local.embedded_postgres import scratch_database
from asset_engine.migrate import default_migrations_dir, load_migrations, migrate

SCHEMA_SNAPSHOT = """
SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'public'
ORDER BY 1, 2, 3
"""


def test_every_table_of_the_design_exists(conn: db.Connection) -> None:
    tables = {
        row["tablename"]
        for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }
    assert {
        "users", "campaigns", "assets", "asset_versions", "credit_ledger", "usage_events",
        "generation_jobs", "idempotency_keys", "schema_migrations",
    } <= tables  # fmt: skip


def test_running_twice_changes_nothing(postgres_admin_url: str) -> None:
    with scratch_database(postgres_admin_url) as url, db.connect(url) as conn:
        first = migrate(conn)
        snapshot = conn.execute(SCHEMA_SNAPSHOT).fetchall()
        second = migrate(conn)
        assert first == [m.name for m in load_migrations(default_migrations_dir())]
        assert second == []
        assert conn.execute(SCHEMA_SNAPSHOT).fetchall() == snapshot


def test_two_processes_migrating_one_empty_database_both_succeed(postgres_admin_url: str) -> None:
    with scratch_database(postgres_admin_url) as url:
        results: list[list[str]] = []
        errors: list[BaseException] = []
        start = threading.Barrier(2)

        def run() -> None:
            try:
                with db.connect(url) as conn:
                    start.wait()
                    results.append(migrate(conn))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        # One of them applied everything, the other found it done.
        assert sorted(results, key=len) == [
            [],
            [m.name for m in load_migrations(default_migrations_dir())],
        ]


def test_an_applied_migration_that_changed_is_refused(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    (tmp_path / "0001_first.sql").write_text("CREATE TABLE first_one (id int);")
    with scratch_database(postgres_admin_url) as url, db.connect(url) as conn:
        assert migrate(conn, tmp_path) == ["0001_first.sql"]
        (tmp_path / "0001_first.sql").write_text("CREATE TABLE first_one (id bigint);")
        with pytest.raises(RuntimeError, match="changed after it was applied"):
            migrate(conn, tmp_path)


def test_a_failing_migration_leaves_nothing_half_applied(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    (tmp_path / "0001_ok.sql").write_text("CREATE TABLE ok_one (id int);")
    (tmp_path / "0002_broken.sql").write_text(
        "CREATE TABLE half (id int); SELECT no_such_function();"
    )
    with scratch_database(postgres_admin_url) as url, db.connect(url) as conn:
        with pytest.raises(Exception, match="no_such_function"):
            migrate(conn, tmp_path)
        applied = [r["name"] for r in conn.execute("SELECT name FROM schema_migrations")]
        assert applied == ["0001_ok.sql"]
        assert conn.execute("SELECT to_regclass('half') AS t").fetchone() == {"t": None}
