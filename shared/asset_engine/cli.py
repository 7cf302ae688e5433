"""`asset-engine`: serve the local gateway, migrate, and small admin tasks."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from pathlib import Path

from pydantic import ValidationError


def find_project_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "template.yaml").is_file() and (folder / "migrations").is_dir():
            return folder
    raise SystemExit(
        "asset-engine: run this inside the project (no template.yaml found above here)"
    )


def _prepare_environment(args: argparse.Namespace, *, local_defaults: bool) -> None:
    """Read `.env`, then fill in the embedded defaults for whatever is still unset."""
    root, data_dir = args.root, args.data_dir
    from dotenv import load_dotenv

    load_dotenv(root / ".env", override=False)
    if local_defaults:
        # Many invocations share this process: give each its own connection.
        os.environ.setdefault("DB_POOL_SIZE", "20")
        os.environ.setdefault("LOCAL_STORAGE_DIR", str(data_dir / "storage"))
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    if not os.environ.get("DATABASE_URL"):
        from asset_engine.local import embedded_postgres

        folder = data_dir / "postgres"
        os.environ["DATABASE_URL"] = embedded_postgres.start(folder)
        print(f"database: embedded PostgreSQL in {folder} (set DATABASE_URL to use another)")

    from asset_engine.config import get_settings

    get_settings.cache_clear()
    try:
        get_settings()
    except ValidationError as exc:
        messages = "; ".join(str(err["msg"]) for err in exc.errors())
        raise SystemExit(f"asset-engine: refusing to start: {messages}") from None


def _migrate() -> list[str]:
    from asset_engine import db
    from asset_engine.migrate import migrate

    with db.connect() as conn:
        return migrate(conn)


def cmd_migrate(args: argparse.Namespace) -> int:
    _prepare_environment(args, local_defaults=False)
    applied = _migrate()
    print("applied: " + ", ".join(applied) if applied else "database is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Links to stored files and provider callbacks point back at this server.
    os.environ.setdefault("PUBLIC_API_URL", f"http://{args.host}:{args.port}")
    _prepare_environment(args, local_defaults=True)
    import uvicorn

    from asset_engine.config import get_settings
    from asset_engine.local.gateway import LocalGateway
    from asset_engine.local.scheduler import LocalScheduler

    applied = _migrate()
    if applied:
        print("migrated: " + ", ".join(applied))
    settings = get_settings()
    _report_backing_services()
    gateway = LocalGateway(
        args.root / "template.yaml", storage_dir=Path(settings.local_storage_dir).resolve()
    )
    scheduler = LocalScheduler(args.root / "template.yaml")
    scheduler.start()
    print(
        f"asset-engine API on http://{args.host}:{args.port} (APP_ENV={settings.app_env}); "
        f"functions: {', '.join(gateway.functions)}"
    )
    for schedule in scheduler.schedules:
        print(f"scheduled: {schedule.function.logical_id} every {schedule.every_s} s")
    # uvicorn re-raises the stop signal once it has shut down; exiting normally instead lets
    # the embedded Postgres stop with the last process that uses it (pgserver's atexit hook).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(gateway, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _report_backing_services() -> None:
    """Say once, at start-up, which parts run on the real thing and which on a local fallback."""
    from asset_engine import ratelimit, storage
    from asset_engine.providers import images, text

    print(f"text provider: {text.describe()}")
    print(f"image provider: {images.describe()}")
    print(f"rate limits: {ratelimit.describe()}")
    print(f"file storage: {storage.describe()}")


def cmd_make_admin(args: argparse.Namespace) -> int:
    _prepare_environment(args, local_defaults=False)
    from asset_engine import db
    from asset_engine.auth.logic import make_admin
    from asset_engine.errors import NotFound

    with db.connect() as conn:
        try:
            user = make_admin(conn, email=args.email)
        except NotFound as exc:
            print(f"asset-engine: {exc.message}", file=sys.stderr)
            return 1
    print(f"{user.email} is now an admin")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="asset-engine", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: found)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="embedded database and files (default: ROOT/.data)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the local gateway (the product's local API)")
    serve.add_argument("--host", default=os.environ.get("API_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("API_PORT", "3001")))
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", help="apply migrations/*.sql").set_defaults(run=cmd_migrate)

    admin = commands.add_parser("make-admin", help="give a signed-up user the admin role")
    admin.add_argument("email")
    admin.set_defaults(run=cmd_make_admin)

    args = parser.parse_args(argv)
    args.root = args.root.resolve() if args.root else find_project_root()
    args.data_dir = (args.data_dir or args.root / ".data").resolve()
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
