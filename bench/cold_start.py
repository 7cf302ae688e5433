"""Benchmark: each function's cold start and memory, as a fresh Lambda container pays them.

For every function of template.yaml, a new Python process imports the function's module (what
Lambda's init phase does) and then answers its first invocation: the function's health path
for the HTTP functions, a Scheduled Event for the sweeper (against a scratch database). It
reports the import time, the first invocation's time and the process's peak RSS, each the
median of several fresh processes. The budget to hold: well under the functions' 512 MB.

    python bench/cold_start.py            # the recorded run (7 processes per function)
    python bench/cold_start.py --quick    # a smoke run

Database as in deduct.py: TEST_DATABASE_URL / DATABASE_URL as an admin URL, else a private one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from deduct import benchmark_database  # bench/ is on the path when a script here runs

from asset_engine.local.template import load_routes, load_schedules

ROOT = Path(__file__).resolve().parents[1]

# Run in the fresh process: import (init), then one invocation; prints the three figures.
_PROBE = """
import json, resource, sys, time
from pathlib import Path
from asset_engine.local.lambda_runtime import LambdaContext, http_api_event, invoke_handler
from asset_engine.local.template import load_functions, load_schedules

template = Path(sys.argv[1])
name, path = sys.argv[2], sys.argv[3]
function = next(f for f in load_functions(template) if f.logical_id == name)
started = time.perf_counter()
handler = function.load_handler()
imported = time.perf_counter()
if path:
    event = http_api_event(method="GET", path=path, route_key=f"GET {path}", body=b"")
else:
    # Imported only now: the scheduler's own imports must not count as the function's init.
    from asset_engine.local.scheduler import scheduled_event
    event = scheduled_event(next(s for s in load_schedules(template) if s.function.logical_id == name))
invoked = time.perf_counter()
answer = invoke_handler(handler, event, LambdaContext(function_name=name))
done = time.perf_counter()
status = answer.get("statusCode", 200) if isinstance(answer, dict) else 200
assert status == 200, answer
print(json.dumps({
    "import_ms": (imported - started) * 1000,
    "first_ms": (done - invoked) * 1000,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def functions() -> list[tuple[str, str]]:
    """(logical id, health path or "" for a scheduled function), one per function."""
    template = ROOT / "template.yaml"
    health: dict[str, str] = {}
    for route in load_routes(template):
        if route.path.startswith("/api/v1/health/"):
            health[route.function.logical_id] = route.path
    for schedule in load_schedules(template):
        health.setdefault(schedule.function.logical_id, "")
    return sorted(health.items())


def measure(name: str, path: str, runs: int, env: dict[str, str]) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(ROOT / "template.yaml"), name, path],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 processes per function")
    args = parser.parse_args()
    runs = 2 if args.quick else 7

    # This process and each probe: a test environment, quiet logs, no X-Ray daemon to talk to.
    os.environ.update(
        APP_ENV="test",
        SECRET_KEY="bench-secret-" + "x" * 40,
        POWERTOOLS_LOG_LEVEL="WARNING",
        POWERTOOLS_TRACE_DISABLED="1",
    )
    with benchmark_database() as database_url:
        env = {**os.environ, "DATABASE_URL": database_url}
        from asset_engine import db
        from asset_engine.migrate import migrate

        with db.connect(database_url) as conn:
            migrate(conn)
        rows = [(name, measure(name, path, runs, env)) for name, path in functions()]

    lines = [
        "# Cold start and memory per function",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/cold_start.py` on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, median of {runs} fresh "
        "processes per function.",
        "",
        "| function | import (init) ms | first invocation ms | peak RSS MB |",
        "|---|---:|---:|---:|",
    ]
    for name, figures in rows:
        lines.append(
            f"| {name} | {figures['import_ms']:.0f} | {figures['first_ms']:.0f} | "
            f"{figures['rss_mb']:.0f} |"
        )
        print(
            f"{name:18} import {figures['import_ms']:6.0f} ms  first {figures['first_ms']:6.0f} ms"
            f"  rss {figures['rss_mb']:5.0f} MB"
        )
    out = ROOT / "bench" / "results" / "cold_start.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
