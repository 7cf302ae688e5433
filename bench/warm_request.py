"""Benchmark: one warm request through a function's real handler vs a bare FastAPI+Mangum app.

The subject is `GET /api/v1/me` through the auth function's handler (Powertools' logger,
tracer and metrics decorators, Mangum, FastAPI, our middleware and CORS, the bearer token
checked, the user read from Postgres, the answer validated). The baseline is the least a
FastAPI+Mangum function can do: a bare app with one `async def` route, `GET /health`,
answering a constant, called through Mangum the same way. Both run in this process, in
alternating batches, and each figure is the median per-request time of its batches.

    python bench/warm_request.py            # the recorded run
    python bench/warm_request.py --quick    # a smoke run

Tracing is on as deployed (deduct.py's `as_deployed`: LAMBDA_TASK_ROOT set, a sampled X-Ray
trace header, the subsegments sent over UDP to the daemon address as in Lambda). Database as in
deduct.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deduct import as_deployed, benchmark_database  # bench/ is on the path when a script here runs

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0  # handler ÷ bare


def bare_handler(read_user: Any = None) -> Any:
    """The bare app; with `read_user`, its route also reads the user row (the same query as
    /me's) on a connection it keeps: the floor for any route that reads the database once."""
    from fastapi import FastAPI
    from mangum import Mangum

    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        if read_user is not None:
            read_user()
        return {"status": "ok"}

    return Mangum(app, lifespan="off")


def floor_handler(read_user: Any) -> Any:
    """The bare app reading the user row inside what every function here must wear: Powertools'
    logger, tracer and metrics decorators around the handler (as cold_start.py's floor). The
    floor for /me: what is left above it is ours (the token check, our middleware, CORS, the
    answer's model)."""
    from aws_lambda_powertools import Logger, Metrics, Tracer

    logger, tracer, metrics = Logger(service="floor"), Tracer(service="floor"), Metrics()
    asgi = bare_handler(read_user)

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler
    @metrics.log_metrics(capture_cold_start_metric=True)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        answer: dict[str, Any] = asgi(event, context)
        return answer

    return handler


def measure(batches: int, per_batch: int) -> tuple[float, float, float, float]:
    """Median ms per request of GET /me through the auth handler, the bare GET /health, the
    bare GET /health that also reads the user row, and that inside Powertools' decorators."""
    from asset_engine import db
    from asset_engine.auth import users
    from asset_engine.auth.logic import sign_in
    from asset_engine.local.lambda_runtime import LambdaContext, http_api_event
    from asset_engine.local.template import load_routes
    from asset_engine.migrate import migrate

    url = os.environ["DATABASE_URL"]
    with db.connect(url) as conn:
        migrate(conn)
        session = sign_in(conn, email="warm-request@example.com")
    route = next(r for r in load_routes(ROOT / "template.yaml") if r.route_key == "GET /api/v1/me")
    me = route.function.load_handler()
    bare = bare_handler()
    bare_conn = db.connect(url)

    def read_user() -> None:
        users.get_user(bare_conn, user_id=session.user.id)  # the same query as /me's

    bare_with_read = bare_handler(read_user)
    floor = floor_handler(read_user)
    me_event = http_api_event(
        method="GET",
        path="/api/v1/me",
        route_key="GET /api/v1/me",
        headers=[("authorization", f"Bearer {session.access_token}")],
    )
    bare_event = http_api_event(method="GET", path="/health", route_key="GET /health")
    context = LambdaContext(function_name="AuthFunction")

    # A warm container calls its handler on one thread, whose event loop Mangum reuses.
    asyncio.set_event_loop(asyncio.new_event_loop())

    def batch(handler: Any, event: dict[str, Any]) -> float:
        started = time.perf_counter()
        for _ in range(per_batch):
            answer = handler(event, context)
            assert answer["statusCode"] == 200, answer
        return (time.perf_counter() - started) * 1000 / per_batch

    subjects = [
        (me, me_event),
        (bare, bare_event),
        (bare_with_read, bare_event),
        (floor, bare_event),
    ]
    for handler, event in subjects * 3:  # warm: imports, the pool's connection, caches
        batch(handler, event)
    times: list[list[float]] = [[] for _ in subjects]
    for _ in range(batches):
        for index, (handler, event) in enumerate(subjects):
            times[index].append(batch(handler, event))
    db.close_pool()
    bare_conn.close()
    me_ms, bare_ms, read_ms, floor_ms = (statistics.median(t) for t in times)
    return me_ms, bare_ms, read_ms, floor_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few batches: a smoke run")
    args = parser.parse_args()
    with benchmark_database() as url:
        as_deployed("AuthFunction")
        os.environ["DATABASE_URL"] = url
        me_ms, bare_ms, read_ms, floor_ms = measure(batches=5 if args.quick else 31, per_batch=50)
    print(
        f"GET /api/v1/me through the auth handler {me_ms:.2f} ms | bare FastAPI+Mangum GET "
        f"/health {bare_ms:.2f} ms: ratio {me_ms / bare_ms:.2f} (target <= {TARGET:.1f}) | "
        f"bare GET /health reading the user row {read_ms:.2f} ms: ratio {me_ms / read_ms:.2f} | "
        f"the same in Powertools' decorators (the floor) {floor_ms:.2f} ms ({floor_ms / bare_ms:.2f}"
        f"x bare): ratio {me_ms / floor_ms:.2f}"
    )
    if not args.quick:
        lines = [
            "# Warm GET /api/v1/me vs a bare FastAPI+Mangum app",
            "",
            f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/warm_request.py` on "
            f"{os.cpu_count()} cores, Python {platform.python_version()}: medians of 31 "
            "interleaved batches of 50 requests, tracing on.",
            "",
            "| subject | ms per request | /me ÷ subject |",
            "|---|---:|---:|",
            f"| `GET /api/v1/me` through the auth handler | {me_ms:.2f} | 1.00 |",
            f"| bare FastAPI+Mangum `GET /health` | {bare_ms:.2f} | {me_ms / bare_ms:.2f} |",
            f"| the same, reading the user row | {read_ms:.2f} | {me_ms / read_ms:.2f} |",
            f"| the floor: that in Powertools' logger, tracer and metrics decorators, "
            f"{floor_ms / bare_ms:.2f}x bare | {floor_ms:.2f} | {me_ms / floor_ms:.2f} |",
        ]
        out = ROOT / "bench" / "results" / "warm_request.md"
        out.write_text("\n".join(lines) + "\n")
        print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
