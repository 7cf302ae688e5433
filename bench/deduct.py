"""Benchmark: POST /api/v1/credits/deduct through the real handler vs the same SQL in bare psycopg.

The handler path is everything a Lambda does for the request (Mangum, FastAPI, validation,
auth lookup, the debit, the usage event, the JSON answer); the bare path is only the debit
(`credits.debit` in a transaction: BEGIN, the UPDATE + ledger statement, COMMIT) on a
connection of the client's own, the loop the figures have always been compared with.

Two modes, each client a user of its own sending its share of the requests back to back:
one process per client (the Lambda model: each concurrent request has a container of its
own), at 1 and 2 processes, run three times interleaved with the bare loop, medians; and
`--threads`, many clients as threads of one process (1, 16, 64: GIL-bound). It also prints
the database round trips of one request (see round_trips.py).

    python bench/deduct.py            # the recorded run
    python bench/deduct.py --quick    # a smoke run

Uses TEST_DATABASE_URL (or DATABASE_URL) as an admin URL to make a scratch database, else a
private PostgreSQL from pgserver; the scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from asset_engine.local.embedded_postgres import private_server, scratch_database
from asset_engine.local.template import powertools_settings

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 16, 64)  # --threads
PROCESS_LEVELS = (1, 2)
TARGET = 0.5  # handler ÷ bare, one process per client
# As deployed: Lambda's environment (LAMBDA_TASK_ROOT set, a sampled X-Ray trace header, the
# subsegments sent over UDP to the daemon address as in Lambda) and template.yaml's Powertools
# settings (tracing and metrics on, log level INFO, no payload in a trace).
ENV = {
    "APP_ENV": "test",
    "SECRET_KEY": "bench-secret-key-long-enough-for-hs256-signing",
    "LAMBDA_TASK_ROOT": str(ROOT),
    "AWS_REGION": "us-east-1",
    "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
}


def as_deployed(function: str = "BillingFunction") -> None:
    """This process's environment as the deployed `function`'s (and the X-Ray SDK's warnings
    about the facade segment Lambda would have made silenced; tracing stays on)."""
    os.environ.update(ENV, AWS_LAMBDA_FUNCTION_NAME=function)
    os.environ.update(powertools_settings(ROOT / "template.yaml", function))
    logging.getLogger("aws_xray_sdk").setLevel(logging.CRITICAL)


@contextmanager
def benchmark_database() -> Iterator[str]:
    admin = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if not admin:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-pg-")))
            admin = stack.enter_context(private_server(folder / "pg"))
        yield stack.enter_context(scratch_database(admin, prefix="asset_engine_bench"))


def run_level(
    clients: int, per_client: int, one_request: Callable[[int], None]
) -> dict[str, float]:
    """`clients` threads, each sending `per_client` requests; returns throughput and latencies."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    start_line = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        start_line.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            one_request(index)
            latencies[index].append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = sorted(x for xs in latencies for x in xs)
    return {
        "requests": len(flat),
        "rps": len(flat) / elapsed,
        "p50_ms": statistics.median(flat) * 1000,
        "p95_ms": flat[int(len(flat) * 0.95) - 1] * 1000,
    }


def worker(mode: str, user_id: str, token: str, requests: int) -> None:
    """One client in a process of its own: warm up, say ready, wait for go, run, report."""
    as_deployed()
    os.environ["DB_POOL_SIZE"] = "1"
    from asset_engine import db
    from asset_engine.billing import credits

    if mode == "handler":
        from asset_engine.local.lambda_runtime import LambdaContext, http_api_event
        from asset_engine.local.template import load_routes

        route = next(
            r
            for r in load_routes(ROOT / "template.yaml")
            if r.route_key == "POST /api/v1/credits/deduct"
        )
        handler = route.function.load_handler()
        event = http_api_event(
            method="POST",
            path="/api/v1/credits/deduct",
            route_key=route.route_key,
            headers=[("content-type", "application/json"), ("authorization", f"Bearer {token}")],
            body=json.dumps({"amount": 1, "reason": "bench"}).encode(),
        )
        context = LambdaContext(function_name="BillingFunction")
        # A warm container calls the handler on one thread, whose event loop Mangum reuses.
        asyncio.set_event_loop(asyncio.new_event_loop())

        def one() -> None:
            answer = handler(event, context)
            assert answer["statusCode"] == 200, answer
    else:
        conn = db.connect()
        uid = uuid.UUID(user_id)

        def one() -> None:
            with conn.transaction():
                credits.debit(conn, user_id=uid, amount=1, reason="bench")

    for _ in range(20):
        one()
    print("ready", flush=True)
    sys.stdin.readline()
    latencies = []
    began = time.perf_counter()
    for _ in range(requests):
        started = time.perf_counter()
        one()
        latencies.append(time.perf_counter() - started)
    elapsed = time.perf_counter() - began
    print(json.dumps({"elapsed": elapsed, "latencies": latencies}), flush=True)


def run_processes(
    mode: str, users: list[tuple[uuid.UUID, str]], per_client: int
) -> dict[str, float]:
    """One process per client, started together once all are warm."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", mode, str(uid), token, str(per_client)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for uid, token in users
    ]
    for proc in procs:
        assert proc.stdout is not None
        while proc.stdout.readline().strip() != "ready":
            pass
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, _ = proc.communicate()
        assert proc.returncode == 0, out
        reports.append(json.loads(out.strip().splitlines()[-1]))
    flat = sorted(x for r in reports for x in r["latencies"])
    return {
        "requests": len(flat),
        "rps": len(flat) / max(r["elapsed"] for r in reports),
        "p50_ms": statistics.median(flat) * 1000,
        "p95_ms": flat[int(len(flat) * 0.95) - 1] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few requests: a smoke run")
    parser.add_argument("--threads", action="store_true", help="clients as threads (1, 16, 64)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, user_id, token, requests = args.worker
        worker(mode, user_id, token, int(requests))
        return 0
    if not args.threads:
        return main_processes(quick=args.quick)
    total = 300 if args.quick else 3000  # requests per level, shared among its clients

    with benchmark_database() as url:
        as_deployed()
        os.environ.update(DATABASE_URL=url, DB_POOL_SIZE=str(max(LEVELS)))
        from asset_engine import db
        from asset_engine.auth.logic import sign_in
        from asset_engine.billing import credits
        from asset_engine.local.lambda_runtime import LambdaContext, http_api_event, invoke_handler
        from asset_engine.local.template import load_routes
        from asset_engine.migrate import migrate

        with db.connect(url) as conn:
            migrate(conn)
            users = []
            for i in range(max(LEVELS)):
                session = sign_in(conn, email=f"bench-{i}@example.com")
                credits.credit(conn, user_id=session.user.id, amount=1_000_000, reason="bench")
                users.append((session.user.id, session.access_token))

        route = next(
            r
            for r in load_routes(ROOT / "template.yaml")
            if r.route_key == "POST /api/v1/credits/deduct"
        )
        handler = route.function.load_handler()
        body = json.dumps({"amount": 1, "reason": "bench"}).encode()
        events = [
            http_api_event(
                method="POST",
                path="/api/v1/credits/deduct",
                route_key=route.route_key,
                headers=[
                    ("content-type", "application/json"),
                    ("authorization", f"Bearer {token}"),
                ],
                body=body,
            )
            for _, token in users
        ]

        def through_handler(index: int) -> None:
            answer = invoke_handler(
                handler, events[index], LambdaContext(function_name="BillingFunction")
            )
            assert answer["statusCode"] == 200, answer

        bare_connections: list[db.Connection] = []

        def bare_sql(index: int) -> None:
            conn = bare_connections[index]
            with conn.transaction():
                credits.debit(conn, user_id=users[index][0], amount=1, reason="bench")

        through_handler(0)  # warm: imports, pool, first connection
        rows = []
        for clients in LEVELS:
            per_client = max(1, total // clients)
            handler_run = run_level(clients, per_client, through_handler)
            db.close_pool()  # hand its connections back before the bare clients open theirs
            bare_connections[:] = [db.connect(url) for _ in range(clients)]
            bare_run = run_level(clients, per_client, bare_sql)
            for conn in bare_connections:
                conn.close()
            rows.append((clients, handler_run, bare_run))
            print(
                f"{clients:>3} clients: handler {handler_run['rps']:8.0f} req/s "
                f"(p50 {handler_run['p50_ms']:.1f} ms, p95 {handler_run['p95_ms']:.1f} ms) | "
                f"bare {bare_run['rps']:8.0f} req/s (p50 {bare_run['p50_ms']:.1f} ms, "
                f"p95 {bare_run['p95_ms']:.1f} ms) | ratio {handler_run['rps'] / bare_run['rps']:.2f}",
                flush=True,
            )
        with db.connect(url) as conn:
            # The benchmark is also a check: every debit is in the ledger, nothing lost.
            bad = conn.execute(
                "SELECT count(*) AS n FROM users u WHERE credits_balance <> "
                "(SELECT sum(delta) FROM credit_ledger l WHERE l.user_id = u.id)"
            ).fetchone()
            assert bad == {"n": 0}, bad
        db.close_pool()

    if not args.quick:
        write_results(rows, total)
    return 0


def main_processes(*, quick: bool) -> int:
    per_client = 200 if quick else 1500
    rounds = 1 if quick else 3
    with benchmark_database() as url:
        as_deployed()
        os.environ["DATABASE_URL"] = url
        from round_trips import count_round_trips

        from asset_engine import db
        from asset_engine.auth.logic import sign_in
        from asset_engine.billing import credits
        from asset_engine.migrate import migrate

        with db.connect(url) as conn:
            migrate(conn)
            users = []
            for i in range(max(PROCESS_LEVELS)):
                session = sign_in(conn, email=f"bench-{i}@example.com")
                credits.credit(conn, user_id=session.user.id, amount=1_000_000, reason="bench")
                users.append((session.user.id, session.access_token))
        trips = count_round_trips(url)
        print(f"round trips per deduct: {trips['deduct']:.0f} "
              f"({trips['deduct, Idempotency-Key']:.0f} with an Idempotency-Key)")  # fmt: skip
        rows = []
        for clients in PROCESS_LEVELS:
            runs: list[tuple[dict[str, float], dict[str, float]]] = []
            for _ in range(rounds):  # interleaved, so a busy spell lands on both alike
                handler_run = run_processes("handler", users[:clients], per_client)
                bare_run = run_processes("bare", users[:clients], per_client)
                runs.append((handler_run, bare_run))
            ratios = sorted(h["rps"] / b["rps"] for h, b in runs)
            handler_run, bare_run = next(
                r for r in runs if r[0]["rps"] / r[1]["rps"] == ratios[len(ratios) // 2]
            )
            ratio = ratios[len(ratios) // 2]
            rows.append((clients, handler_run, bare_run, ratio))
            print(
                f"{clients} process{'es' if clients > 1 else ''}: handler {handler_run['rps']:6.0f} "
                f"req/s (p50 {handler_run['p50_ms']:.2f} ms) | bare {bare_run['rps']:6.0f} req/s "
                f"(p50 {bare_run['p50_ms']:.2f} ms) | ratio {ratio:.2f} (target >= {TARGET})",
                flush=True,
            )  # fmt: skip
        with db.connect(url) as conn:
            bad = conn.execute(
                "SELECT count(*) AS n FROM users u WHERE credits_balance <> "
                "(SELECT sum(delta) FROM credit_ledger l WHERE l.user_id = u.id)"
            ).fetchone()
            assert bad == {"n": 0}, bad
    if not quick:
        lines = [
            "# POST /api/v1/credits/deduct: handler vs bare SQL, one process per client",
            "",
            f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/deduct.py` on "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, {per_client} requests "
            f"per client, the median ratio of {rounds} interleaved runs; the handler as deployed "
            "(Lambda's environment, tracing and metrics on). Round trips per request: "
            f"{trips['deduct']:.0f} ({trips['deduct, Idempotency-Key']:.0f} with an "
            "Idempotency-Key); the bare loop's: 3 (BEGIN, debit, COMMIT).",
            "",
            "| processes | handler req/s | handler p50 / p95 ms | bare SQL req/s | bare p50 / p95 ms | handler ÷ bare |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for clients, h, b, ratio in rows:
            lines.append(
                f"| {clients} | {h['rps']:.0f} | {h['p50_ms']:.2f} / {h['p95_ms']:.2f} | "
                f"{b['rps']:.0f} | {b['p50_ms']:.2f} / {b['p95_ms']:.2f} | {ratio:.2f} |"
            )
        out = ROOT / "bench" / "results" / "deduct_processes.md"
        out.write_text("\n".join(lines) + "\n")
        print(f"written to {out.relative_to(ROOT)}")
    return 0


def write_results(rows: list[tuple[int, dict[str, float], dict[str, float]]], total: int) -> None:
    lines = [
        "# POST /api/v1/credits/deduct: handler vs bare SQL",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/deduct.py` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {total} requests per level, one user per client.",
        "",
        "| clients | handler req/s | handler p50 / p95 ms | bare SQL req/s | bare p50 / p95 ms | handler ÷ bare |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for clients, h, b in rows:
        lines.append(
            f"| {clients} | {h['rps']:.0f} | {h['p50_ms']:.1f} / {h['p95_ms']:.1f} | "
            f"{b['rps']:.0f} | {b['p50_ms']:.1f} / {b['p95_ms']:.1f} | {h['rps'] / b['rps']:.2f} |"
        )
    out = ROOT / "bench" / "results" / "deduct.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
