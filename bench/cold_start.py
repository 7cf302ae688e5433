"""Benchmark: each function's cold start and memory, as a fresh Lambda container pays them.

For every function of template.yaml, a new Python process imports the function's module (what
Lambda's init phase does) and then answers its first invocation: the function's health path
for the HTTP functions, a Scheduled Event for the sweeper (against a scratch database). It
reports the import time, the first invocation's time and the process's peak RSS, each the
median of several fresh processes, as deployed (LAMBDA_TASK_ROOT set, tracing on), and the
same for a bare FastAPI+Mangum app measured in the same rounds: the ratio is the figure to
read (targets: <= 1.5x, the sweeper <= 1.0x). It also estimates each init at 512, 1024 and
1769 MB from the measured CPU time (Lambda's CPU share grows with memory).

    python bench/cold_start.py            # the recorded run (9 rounds)
    python bench/cold_start.py --quick    # a smoke run

Database as in deduct.py: TEST_DATABASE_URL / DATABASE_URL as an admin URL, else a private one.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from deduct import benchmark_database  # bench/ is on the path when a script here runs

from asset_engine.local.template import (
    load_functions,
    load_routes,
    load_schedules,
    powertools_settings,
)

ROOT = Path(__file__).resolve().parents[1]

# Run in the fresh process: import the function's module the way Lambda's init does, then
# answer one invocation; prints the figures. Before the clock starts, only what Lambda's Python
# runtime has itself imported when it loads a handler (awslambdaric's bootstrap: importlib,
# json, logging, os, sys, time, traceback) is loaded: the local harness (the template reader,
# the event builders, asyncio, PyYAML) is imported after, or it would lend the subject
# modules it then does not pay for (the bare app, which needs asyncio, most of all).
_PROBE = """
import importlib.util, json, logging, os, resource, sys, time, traceback

module_name, file, attribute, template, name, path = sys.argv[1:7]
started, cpu_started = time.perf_counter(), time.process_time()
spec = importlib.util.spec_from_file_location(module_name, file)
module = importlib.util.module_from_spec(spec)
sys.modules[module_name] = module
spec.loader.exec_module(module)
handler = getattr(module, attribute)
imported, cpu_imported = time.perf_counter(), time.process_time()

from pathlib import Path
from asset_engine.local.lambda_runtime import LambdaContext, http_api_event, invoke_handler

# Outside Lambda the X-Ray SDK warns on every subsegment that the facade segment is missing;
# tracing stays on (what is deployed), its warnings are silenced.
logging.getLogger("aws_xray_sdk").setLevel(logging.CRITICAL)
if path:
    event = http_api_event(method="GET", path=path, route_key=f"GET {path}", body=b"")
else:
    from asset_engine.local.scheduler import scheduled_event
    from asset_engine.local.template import load_schedules
    schedules = load_schedules(Path(template))
    event = scheduled_event(next(s for s in schedules if s.function.logical_id == name))
invoked, cpu_invoked = time.perf_counter(), time.process_time()
answer = invoke_handler(handler, event, LambdaContext(function_name=name))
done, cpu_done = time.perf_counter(), time.process_time()
status = answer.get("statusCode", 200) if isinstance(answer, dict) else 200
assert status == 200, answer
print(json.dumps({
    "import_ms": (imported - started) * 1000,
    "import_cpu_ms": (cpu_imported - cpu_started) * 1000,
    "first_ms": (done - invoked) * 1000,
    "first_cpu_ms": (cpu_done - cpu_invoked) * 1000,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

# The baseline: FastAPI and Mangum with one route, nothing of ours.
BARE_APP = """
from fastapi import FastAPI
from mangum import Mangum

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


handler = Mangum(app, lifespan="off")
"""

# The floor for a function of this suite: the bare app plus what every one of them must load
# (Powertools' Logger, Metrics and Tracer around the handler, psycopg and its pool,
# pydantic-settings, PyJWT) and a route with a body model, as every function has; nothing else.
FLOOR_APP = """
from typing import Any

import jwt
import psycopg
import psycopg_pool
from aws_lambda_powertools import Logger, Metrics, Tracer
from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel
from pydantic_settings import BaseSettings

logger = Logger()
metrics = Metrics(namespace="Floor")
tracer = Tracer(auto_patch=False)


class Settings(BaseSettings):
    database_url: str = ""


class Body(BaseModel):
    amount: int


app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/items")
async def create(body: Body) -> dict[str, int]:
    return {"amount": body.amount}


asgi = Mangum(app, lifespan="off")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return asgi(event, context)
"""

# Lambda gives a function CPU in proportion to its memory: 1769 MB is one full vCPU.
FULL_VCPU_MB = 1769
MEMORY_SIZES = (512, 1024, 1769)


def at_memory(cpu_ms: float, memory_mb: int) -> float:
    """Init's wall time at `memory_mb`: an import is CPU-bound (its files are in the page
    cache), so its CPU time stretched by the share of a vCPU the size gets. CPU time, unlike
    wall time, does not grow while a busy machine makes the process wait for a core."""
    return cpu_ms / min(1.0, memory_mb / FULL_VCPU_MB)


@dataclasses.dataclass(frozen=True)
class Subject:
    name: str  # a function's logical id, or "bare" / "floor"
    module_name: str
    file: Path  # the module Lambda imports at init
    attribute: str  # its handler
    path: str  # the health path to invoke, or "" for a scheduled function
    # Every module compiled at import, as from a layer shipped without bytecode (read-only
    # in Lambda, so nothing is cached between cold starts): what the layers were before
    # layers/runtime.mk.
    without_bytecode: bool = False


def functions() -> list[Subject]:
    """One per function of the template, invoked on its health path or its schedule."""
    template = ROOT / "template.yaml"
    health: dict[str, str] = {}
    for route in load_routes(template):
        if route.path.startswith("/api/v1/health/"):
            health[route.function.logical_id] = route.path
    for schedule in load_schedules(template):
        health.setdefault(schedule.function.logical_id, "")
    subjects = []
    for function in load_functions(template):
        module, attribute = function.handler.rsplit(".", 1)
        file = function.code_dir / (module.replace(".", "/") + ".py")
        subjects.append(Subject(function.logical_id, function.module_name, file, attribute,
                                health[function.logical_id]))  # fmt: skip
    return sorted(subjects, key=lambda subject: subject.name)


def measure_once(subject: Subject, env: dict[str, str], no_cache: Path) -> dict[str, float]:
    if subject.without_bytecode:  # an empty, unwritten cache: nothing precompiled is found
        env = {**env, "PYTHONPYCACHEPREFIX": str(no_cache), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, subject.module_name, str(subject.file), subject.attribute,
         str(ROOT / "template.yaml"), subject.name, subject.path],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 processes per function")
    args = parser.parse_args()
    runs = 2 if args.quick else 9

    # Each probe: as deployed (LAMBDA_TASK_ROOT set, so Powertools and the X-Ray SDK take the
    # Lambda paths; template.yaml's Powertools settings, tracing on), in a test environment.
    os.environ.update(APP_ENV="test", SECRET_KEY="bench-secret-" + "x" * 40)
    probe_env = {
        **os.environ,
        **powertools_settings(ROOT / "template.yaml"),
        "LAMBDA_TASK_ROOT": str(ROOT),
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        "AWS_REGION": "us-east-1",
    }
    with benchmark_database() as database_url, tempfile.TemporaryDirectory() as tmp:
        apps = Path(tmp)
        (apps / "bare_app.py").write_text(BARE_APP)
        (apps / "floor_app.py").write_text(FLOOR_APP)
        env = {**probe_env, "DATABASE_URL": database_url}
        from asset_engine import db
        from asset_engine.migrate import migrate

        with db.connect(database_url) as conn:
            migrate(conn)
        # As deployed, every module has its bytecode (the layers ship it: layers/runtime.mk;
        # pip compiled the venv's packages); a checkout has none of its own where
        # PYTHONDONTWRITEBYTECODE is set.
        for folder in (ROOT / "shared", ROOT / "functions", apps):
            compileall.compile_dir(folder, quiet=1)
        (apps / "no-cache").mkdir()
        deployed = functions()
        auth = next(subject for subject in deployed if subject.name == "AuthFunction")
        subjects = [
            Subject("bare", "bare_app", apps / "bare_app.py", "handler", "/health"),
            Subject("floor", "floor_app", apps / "floor_app.py", "handler", "/health"),
            *deployed,
            dataclasses.replace(auth, name="AuthFunction without bytecode", without_bytecode=True),
        ]
        samples: dict[str, list[dict[str, float]]] = {subject.name: [] for subject in subjects}
        # Interleaved: each round runs the baseline and every function once, so a busy spell
        # on the machine lands on all of them alike.
        for _ in range(runs):
            for subject in subjects:
                samples[subject.name].append(measure_once(subject, env, apps / "no-cache"))
    rows = {
        name: {key: statistics.median(s[key] for s in runs_of) for key in runs_of[0]}
        for name, runs_of in samples.items()
    }
    bare = rows.pop("bare")
    floor = rows.pop("floor")
    lines = [
        "# Cold start and memory per function",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/cold_start.py` on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, median of {runs} fresh "
        "processes per function, interleaved with the bare FastAPI+Mangum app; as deployed "
        "(LAMBDA_TASK_ROOT set, tracing on). Init at a memory size: the measured init with "
        f"its CPU part stretched by the vCPU share the size gets ({FULL_VCPU_MB} MB = 1 vCPU).",
        "",
        "| function | init ms | ÷ bare | init CPU ms | ÷ bare | ÷ floor | est. init at "
        + " / ".join(f"{m}" for m in MEMORY_SIZES)
        + " MB | first invocation ms (CPU) | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    subjects_shown = [("bare FastAPI+Mangum", bare), ("floor (bare + required libs)", floor)]
    for name, figures in [*subjects_shown, *rows.items()]:
        ratio = figures["import_ms"] / bare["import_ms"]
        cpu_ratio = figures["import_cpu_ms"] / bare["import_cpu_ms"]
        floor_ratio = figures["import_cpu_ms"] / floor["import_cpu_ms"]
        sized = " / ".join(f"{at_memory(figures['import_cpu_ms'], m):.0f}" for m in MEMORY_SIZES)
        lines.append(
            f"| {name} | {figures['import_ms']:.0f} | {ratio:.2f} | "
            f"{figures['import_cpu_ms']:.0f} | {cpu_ratio:.2f} | {floor_ratio:.2f} | {sized} | "
            f"{figures['first_ms']:.0f} ({figures['first_cpu_ms']:.0f}) | {figures['rss_mb']:.0f} |"
        )
        print(
            f"{name[:29]:29} init {figures['import_ms']:5.0f} ms ({ratio:4.2f}x bare), "
            f"CPU {figures['import_cpu_ms']:4.0f} ms ({cpu_ratio:4.2f}x bare, "
            f"{floor_ratio:4.2f}x floor); "
            f"at {sized} MB; first {figures['first_ms']:3.0f} ms; rss {figures['rss_mb']:3.0f} MB",
            flush=True,
        )
    if not args.quick:
        out = ROOT / "bench" / "results" / "cold_start.md"
        out.write_text("\n".join(lines) + "\n")
        print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
