"""Benchmark: database round trips per request, counted on the wire.

Every connection the functions open goes through a small TCP proxy in front of Postgres that
counts a round trip each time the client starts sending after the server last answered (a
pipeline of statements ending in one sync is one round trip; a BEGIN sent on its own is one).
On Supabase's pooler each is a network round trip, so this is the figure that moves latency.

    python bench/round_trips.py

Requests go through the functions' real handlers (warm: the pool's connection is open), with
the offline text provider. Database as in deduct.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from deduct import benchmark_database  # bench/ is on the path when a script here runs
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RoundTripCounter:
    count: int = 0


@contextlib.contextmanager
def counting_proxy(url: str) -> Iterator[tuple[str, RoundTripCounter]]:
    """`url` with its host and port replaced by a proxy that counts round trips to it."""
    info = conninfo_to_dict(url)
    upstream = (str(info.get("host") or "127.0.0.1"), int(info.get("port") or 5432))
    counter = RoundTripCounter()
    lock = threading.Lock()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    open_sockets: list[socket.socket] = [listener]

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(upstream)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            open_sockets.extend((client, server))
            awaiting = [False]  # the client has sent since the server last answered

            def pump(
                src: socket.socket, dst: socket.socket, from_client: bool, awaiting: list[bool]
            ) -> None:
                while True:
                    try:
                        data = src.recv(65536)
                    except OSError:
                        data = b""
                    if not data:
                        with contextlib.suppress(OSError):
                            dst.shutdown(socket.SHUT_WR)
                        return
                    with lock:
                        if from_client and not awaiting[0]:
                            counter.count += 1
                        awaiting[0] = from_client
                    try:
                        dst.sendall(data)
                    except OSError:
                        return

            for args in ((client, server, True, awaiting), (server, client, False, awaiting)):
                threading.Thread(target=pump, args=args, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield make_conninfo(url, host="127.0.0.1", port=port, sslmode="disable"), counter
    finally:
        for s in open_sockets:
            with contextlib.suppress(OSError):
                s.close()


def count_round_trips(url: str) -> dict[str, float]:
    """Round trips of each scenario (the median request of a few), through the real handlers."""
    from asset_engine import db
    from asset_engine.auth.logic import sign_in
    from asset_engine.billing import credits
    from asset_engine.config import get_settings
    from asset_engine.local.lambda_runtime import LambdaContext, http_api_event, invoke_handler
    from asset_engine.local.template import load_routes
    from asset_engine.migrate import migrate

    with db.connect(url) as conn:
        migrate(conn)
        session = sign_in(conn, email="round-trips@example.com")
        credits.credit(conn, user_id=session.user.id, amount=1_000_000, reason="bench")
        campaign = conn.execute(
            "INSERT INTO campaigns (user_id, name) VALUES (%s, 'Bench') RETURNING id",
            (session.user.id,),
        ).fetchone()
    assert campaign is not None
    routes = {r.route_key: r for r in load_routes(ROOT / "template.yaml")}

    def call(route_key: str, body: object, key: str | None = None) -> None:
        route = routes[route_key]
        method, path = route_key.split(" ", 1)
        headers = [
            ("content-type", "application/json"),
            ("authorization", f"Bearer {session.access_token}"),
        ]
        if key:
            headers.append(("idempotency-key", key))
        event = http_api_event(
            method=method,
            path=path,
            route_key=route_key,
            headers=headers,
            body=json.dumps(body).encode() if body is not None else b"",
        )
        handler = route.function.load_handler()
        answer = invoke_handler(handler, event, LambdaContext(function_name="bench"))
        assert answer["statusCode"] < 300, answer

    scenarios: dict[str, tuple[str, object]] = {
        "deduct": ("POST /api/v1/credits/deduct", {"amount": 1, "reason": "bench"}),
        "generate-text, 1 variant": (
            "POST /api/v1/ai/generate-text",
            {"prompt": "A spring sale", "asset_type": "ad_copy", "variants": 1},
        ),
        "generate-text, 3 variants + campaign": (
            "POST /api/v1/ai/generate-text",
            {
                "prompt": "A spring sale",
                "asset_type": "ad_copy",
                "variants": 3,
                "campaign_id": str(campaign["id"]),
            },
        ),
        "GET /me": ("GET /api/v1/me", None),
    }
    results: dict[str, float] = {}
    get_settings.cache_clear()
    with counting_proxy(url) as (proxied, counter):
        os.environ["DATABASE_URL"] = proxied
        get_settings.cache_clear()
        db.close_pool()
        for name, (route_key, body) in scenarios.items():
            for keyed in (False, True) if body is not None else (False,):
                call(route_key, body, "warm-" + os.urandom(4).hex() if keyed else None)
                counts = []
                for _ in range(3):
                    before = counter.count
                    call(route_key, body, os.urandom(8).hex() if keyed else None)
                    counts.append(counter.count - before)
                label = f"{name}{', Idempotency-Key' if keyed else ''}"
                results[label] = sorted(counts)[1]
        db.close_pool()
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    return results


def main() -> int:
    with benchmark_database() as url:
        os.environ.update(
            DATABASE_URL=url,
            APP_ENV="test",
            SECRET_KEY="bench-secret-key-long-enough-for-hs256-signing",
            POWERTOOLS_METRICS_DISABLED="true",
            POWERTOOLS_TRACE_DISABLED="true",
            POWERTOOLS_LOG_LEVEL="ERROR",
        )
        counts = count_round_trips(url)
    lines = [
        "# Database round trips per request",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/round_trips.py`: counted on the "
        "wire, through the real handlers, warm.",
        "",
        "| request | round trips |",
        "|---|---:|",
    ]
    for name, count in counts.items():
        print(f"{name:56} {count:3.0f} round trips")
        lines.append(f"| {name} | {count:.0f} |")
    out = ROOT / "bench" / "results" / "round_trips.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
