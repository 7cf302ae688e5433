"""`asset-engine`: serve the local gateway, migrate, and small admin tasks."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import sys
from pathlib import Path
from typing import Any

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
        # A line per request for people; LOG_FORMAT=json gives Lambda's JSON lines instead.
        os.environ.setdefault("LOG_FORMAT", "text")
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
        # Each problem names its setting as the environment spells it: DB_POOL_SIZE: ...
        messages = "; ".join(
            ".".join(map(str, e["loc"])).upper() + ": " * bool(e["loc"]) + str(e["msg"])
            for e in exc.errors()
        )
        raise SystemExit(f"asset-engine: refusing to start: {messages}") from None


def _migrate() -> list[str]:
    import psycopg

    from asset_engine import db
    from asset_engine.config import get_settings
    from asset_engine.migrate import migrate

    try:
        with db.connect() as conn:
            return migrate(conn)
    except psycopg.OperationalError as exc:
        # One line naming the server, not a traceback.
        info = psycopg.conninfo.conninfo_to_dict(get_settings().database_url or "")
        where = f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}"
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise SystemExit(f"asset-engine: cannot reach the database at {where}: {reason}") from None


def cmd_migrate(args: argparse.Namespace) -> int:
    from asset_engine.config import for_maintenance

    for_maintenance()  # a database is all migrating needs: no signing secret, no providers
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
    mounts = _offline_runpod(f"http://{args.host}:{args.port}")
    mounts.update(_offline_stripe(f"http://{args.host}:{args.port}"))
    settings = get_settings()
    _report_backing_services()
    gateway = LocalGateway(
        args.root / "template.yaml",
        storage_dir=Path(settings.local_storage_dir).resolve(),
        mounts=mounts,
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
        # The gateway logs each request itself (with its user); uvicorn's access log would repeat it.
        uvicorn.run(
            gateway, host=args.host, port=args.port, log_level=args.log_level, access_log=False
        )
    return 0


def _offline_runpod(api_url: str) -> dict[str, Any]:
    """Without RunPod settings, serve the RunPod stand-in at /_local/runpod and point the
    real RunPod client at it, so images go through the whole asynchronous path."""
    from asset_engine.config import OFFLINE_SDXL_ENDPOINT, get_settings
    from asset_engine.local.runpod_standin import RunPodStandIn

    if get_settings().uses_runpod:
        return {}
    key = secrets.token_hex(16)
    os.environ.update(
        RUNPOD_API_KEY=key,
        RUNPOD_SDXL_ENDPOINT=OFFLINE_SDXL_ENDPOINT,
        RUNPOD_BASE_URL=f"{api_url}/_local/runpod",
    )
    get_settings.cache_clear()
    standin = RunPodStandIn(api_key=key, work_s=get_settings().mock_image_delay_s)
    return {"/_local/runpod": standin.app}


def _offline_stripe(api_url: str) -> dict[str, Any]:
    """In dev without a Stripe key, serve the Stripe stand-in at /_local/stripe and point the
    real stripe library at it: checkout, the local checkout page, and signed webhook events
    to the real webhook function over HTTP (signed with the dev webhook secret)."""
    from asset_engine.config import get_settings
    from asset_engine.local.stripe_standin import StripeStandIn

    settings = get_settings()
    if settings.uses_stripe or not settings.is_dev_like:
        return {}
    key = f"sk_test_local_{secrets.token_hex(16)}"
    os.environ.update(STRIPE_SECRET_KEY=key, STRIPE_API_BASE=f"{api_url}/_local/stripe")
    get_settings.cache_clear()
    secret = get_settings().stripe_webhook_signing_secret
    assert secret is not None  # dev, not in the cloud: the dev secret at least
    standin = StripeStandIn(
        api_key=key,
        webhook_secret=secret,
        webhook_url=f"{api_url}/api/v1/webhooks/stripe",
        base_url=f"{api_url}/_local/stripe",
    )
    return {"/_local/stripe": standin.app}


def _report_backing_services() -> None:
    """Say once, at start-up, which parts run on the real thing and which on a local fallback."""
    from asset_engine import ratelimit, storage
    from asset_engine.providers import images, text

    print(f"text provider: {text.describe()}")
    print(f"image provider: {images.describe()}")
    print(f"rate limits: {ratelimit.describe()}")
    print(f"file storage: {storage.describe()}")
    print(f"payments: {_describe_payments()}")


def _describe_payments() -> str:
    from asset_engine.config import get_settings

    settings = get_settings()
    if not settings.uses_stripe:
        return "none (no STRIPE_SECRET_KEY: checkout answers 503)"
    base = settings.stripe_api_base or ""
    if base.endswith("/_local/stripe"):
        return f"local Stripe stand-in at {base} (pay at POST {base}/checkout/SESSION/pay)"
    return f"Stripe ({base or 'api.stripe.com'})"


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


def cmd_event(args: argparse.Namespace) -> int:
    """Print a tests/events/ event with its placeholders filled, or invoke it in-process."""
    import json

    from asset_engine.local import events

    try:
        event = events.find_event(args.root, args.function, args.name)
    except LookupError as exc:
        print(f"asset-engine: {exc}", file=sys.stderr)
        return 2
    if args.env_vars:
        events.apply_sam_env_vars(args.env_vars, event.function)
    # stdout carries the event (for `> event.json`); what setting up says goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        _prepare_environment(args, local_defaults=True)
        from asset_engine import db

        with db.connect() as conn:
            from asset_engine.migrate import migrate

            migrate(conn)
    given = dict(pair.split("=", 1) for pair in args.set)
    payload = events.ready_event(event, events.Placeholders(email=args.email, given=given))
    if not args.invoke:
        print(json.dumps(payload, indent=2))
        return 0
    result = events.invoke(event, payload)
    print(json.dumps(result, indent=2, default=str))
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

    event = commands.add_parser(
        "event",
        help="print a tests/events/ event, placeholders filled with a real token and ids",
        description="FUNCTION: a logical id (AuthFunction) or its folder (auth); NAME: health, "
        "health.json or auth/health. Signs in EMAIL on the database (DATABASE_URL, or the "
        "embedded one) and creates what the event names.",
    )
    event.add_argument("function")
    event.add_argument("name")
    event.add_argument("--invoke", action="store_true", help="run it in-process, print the answer")
    event.add_argument("--email", default="sam-local@example.com")
    event.add_argument(
        "--env-vars",
        type=Path,
        help="the --env-vars file sam local invoke will use (its database and secret)",
    )
    event.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="fill {{NAME}} with VALUE"
    )
    event.set_defaults(run=cmd_event)

    admin = commands.add_parser("make-admin", help="give a signed-up user the admin role")
    admin.add_argument("email")
    admin.set_defaults(run=cmd_make_admin)

    args = parser.parse_args(argv)
    args.root = args.root.resolve() if args.root else find_project_root()
    args.data_dir = (args.data_dir or args.root / ".data").resolve()
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
