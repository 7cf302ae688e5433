"""Benchmark: Lighthouse's mobile audit of every dashboard page, signed in, with content.

Starts the API as `make api` does (`asset-engine serve`, APP_ENV=dev, offline providers) on a
scratch database (TEST_DATABASE_URL or DATABASE_URL as the admin URL, else a private
PostgreSQL), builds the frontend for it into a folder of its own
(node_modules/.cache/next-lighthouse) and serves it with `next start`, makes a campaign with
copy and an image, then runs frontend/scripts/lighthouse-mobile.mjs: npm's `lighthouse` on the
system Chromium (CHROME_PATH, default /usr/bin/chromium; headless, no network), its mobile
preset (simulated slow 4G, 4x CPU slowdown), the session put in localStorage first. Results go
to bench/results/lighthouse.md (lighthouse-cold.md, lighthouse-repeat.md for the other visits).

Every run is a visit to a page the servers have rendered once, with the browser's cache as
`--visit` says: `signed-in` (the default) a marketer's first visit to the page after signing
in (the cache emptied, then /login loaded: the framework is cached, the page's own code is
not); `cold` nothing cached; `repeat` what the page's earlier runs left cached.

    python bench/lighthouse.py                  # build, audit, record
    python bench/lighthouse.py --runs 3         # the median of three runs per page
    python bench/lighthouse.py --visit cold     # with nothing cached
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from asset_engine.local.embedded_postgres import private_server, scratch_database

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
DIST_DIR = "node_modules/.cache/next-lighthouse"
RESULTS = ROOT / "bench" / "results"
VISITS = {
    "signed-in": "a first visit to the page after signing in (the framework cached, the page's own code not)",
    "cold": "a first visit with nothing cached",
    "repeat": "a repeat visit (the page's earlier runs cached)",
}
SESSION_KEY = "asset-engine.session"  # frontend/lib/session.ts
TARGETS = {"performance": 95, "accessibility": 100, "lcp_ms": 1500, "cls": 0.02}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def database() -> Iterator[str]:
    admin = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if not admin:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lh-pg-")))
            admin = stack.enter_context(private_server(folder / "pg"))
        yield stack.enter_context(scratch_database(admin, prefix="asset_engine_lighthouse"))


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited before {url} answered")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def build(api: str) -> None:
    tsconfig = FRONTEND / "tsconfig.json"
    before = tsconfig.read_bytes()
    env = {**os.environ, "NEXT_DIST_DIR": DIST_DIR, "NEXT_TELEMETRY_DISABLED": "1",
           "NEXT_PUBLIC_API_URL": api}  # fmt: skip
    try:
        subprocess.run(["npx", "--no-install", "next", "build"], cwd=FRONTEND, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    finally:
        tsconfig.write_bytes(before)  # the scratch folder's types are not the project's


def content(api: str) -> tuple[dict[str, object], dict[str, str]]:
    """A signed-in marketer with a campaign, copy (edited once) and an image: the pages' URLs."""
    session = httpx.post(f"{api}/api/v1/dev-token", json={"email": "lighthouse@example.com"}).json()
    with httpx.Client(base_url=api, timeout=60,
                      headers={"Authorization": f"Bearer {session['access_token']}"}) as client:  # fmt: skip
        campaign = client.post("/api/v1/campaigns", json={
            "name": "Autumn menu launch", "objective": "Fill the restaurant on weeknights",
            "audience": "Busy parents nearby", "channels": ["email", "instagram", "sms"],
        }).json()  # fmt: skip
        texts = client.post("/api/v1/ai/generate-text", json={
            "prompt": "Our new autumn menu, 20% off on weeknights", "asset_type": "social_post",
            "campaign_id": campaign["id"], "variants": 3, "channel": "instagram",
        }, headers={"Idempotency-Key": str(uuid.uuid4())}).json()["assets"]  # fmt: skip
        text = texts[0]
        client.patch(f"/api/v1/assets/{text['id']}",
                     json={"content": f"{text['content']}\n\nBook a table tonight."})  # fmt: skip
        client.post("/api/v1/ai/generate-image", json={
            "prompt": "A warm autumn dish on a wooden table", "campaign_id": campaign["id"],
            "width": 1024, "height": 1024,
        }, headers={"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
    stored = {"access_token": session["access_token"], "user": session["user"]}
    pages = {
        "/campaigns": "/campaigns",
        "/campaigns/[id]": f"/campaigns/{campaign['id']}",
        "/ai-studio": "/ai-studio",
        "/assets": "/assets",
        "/assets/[id]": f"/assets/{text['id']}",
        "/credits": "/credits",
        "/credits/success": "/credits/success?session_id=cs_lighthouse",
        "/credits/cancel": "/credits/cancel",
    }
    return {SESSION_KEY: json.dumps(stored)}, pages


def audit(
    web: str, storage: dict[str, object], pages: dict[str, str], runs: int, visit: str
) -> list[dict[str, Any]]:
    job = {
        "origin": web,
        "storage": storage,
        "urls": [web + p for p in pages.values()],
        "runs": runs,
        "visit": visit,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(job, f)
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    out = subprocess.run(
        ["node", "--experimental-websocket", "scripts/lighthouse-mobile.mjs", f.name],
        cwd=FRONTEND, env={**os.environ, "CHROME_PATH": chrome}, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    os.unlink(f.name)
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    for route, result in zip(pages, results, strict=True):
        result["route"] = route
    return results


def passes(r: dict[str, Any]) -> bool:
    return bool(r["performance"] >= TARGETS["performance"] and r["accessibility"] >= TARGETS["accessibility"]
            and r["lcp"] <= TARGETS["lcp_ms"] and r["cls"] <= TARGETS["cls"])  # fmt: skip


def record(results: list[dict[str, Any]], runs: int, visit: str) -> str:
    version = results[0]["lighthouse"] if results else "?"
    chromium = subprocess.run([os.environ.get("CHROME_PATH") or "/usr/bin/chromium", "--version"],
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
    lines = [
        "# Lighthouse, mobile",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/lighthouse.py --runs {runs} "
        f"--visit {visit}` on {os.cpu_count()} cores ({platform.machine()}), Lighthouse {version}, "
        f"{chromium}, the mobile preset (simulated slow 4G, 4x CPU slowdown), signed in, "
        f"{VISITS[visit]}, against the production build (`next start`) and the local gateway; "
        "the median run by performance of "
        f"{runs} per page. Targets: performance ≥ {TARGETS['performance']}, LCP ≤ "
        f"{TARGETS['lcp_ms'] / 1000:g} s, CLS ≤ {TARGETS['cls']}, accessibility "
        f"{TARGETS['accessibility']}. Load average during the run (the machine is shared; "
        "TBT and so performance move with it): "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min).",
        "",
        "| page | performance | accessibility | FCP s | LCP s | TBT ms | CLS | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| `{r['route']}` | {r['performance']} | {r['accessibility']} | {r['fcp'] / 1000:.2f} "
            f"| {r['lcp'] / 1000:.2f} | {r['tbt']:.0f} | {r['cls']:.3f} | "
            f"{'yes' if passes(r) else 'no'} |"
        )
    failed = {r["route"]: r["failedA11y"] for r in results if r["failedA11y"]}
    if failed:
        lines += ["", f"Accessibility audits failed: {failed}"]
    lines += ["", "LCP elements:", ""]
    lines += [f"- `{r['route']}`: `{(r['lcpElement'] or '-')[:100]}`" for r in results]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--only", nargs="*", help="routes to audit (e.g. /assets/[id]); default all"
    )
    parser.add_argument("--visit", choices=VISITS, default="signed-in", help="what is cached")
    args = parser.parse_args()
    api_port, web_port = free_port(), free_port()
    api, web = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    outside = ("DEEPSEEK_", "UPSTASH_", "RUNPOD_", "SUPABASE_", "STRIPE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(outside) and k != "REDIS_URL"}
    with database() as url, tempfile.TemporaryDirectory(prefix="lh-") as scratch:
        servers: list[subprocess.Popen[bytes]] = []
        try:
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "asset_engine.cli", "serve", "--port", str(api_port),
                 "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL,
                env={**env, "APP_ENV": "dev", "DATABASE_URL": url, "CORS_ORIGINS": web,
                     "POWERTOOLS_LOG_LEVEL": "ERROR", "MOCK_IMAGE_DELAY_S": "0",
                     "LOCAL_STORAGE_DIR": f"{scratch}/storage"}))  # fmt: skip
            build(api)
            servers.append(subprocess.Popen(
                [str(FRONTEND / "node_modules/.bin/next"), "start", "-H", "127.0.0.1", "-p", str(web_port)],
                cwd=FRONTEND, stdout=subprocess.DEVNULL,
                env={**env, "NEXT_DIST_DIR": DIST_DIR, "NEXT_TELEMETRY_DISABLED": "1"}))  # fmt: skip
            wait_until_up(f"{api}/health", servers[0])
            wait_until_up(f"{web}/login", servers[1])
            storage, pages = content(api)
            if args.only:
                pages = {route: path for route, path in pages.items() if route in args.only}
            time.sleep(2)  # the image is painted
            results = audit(web, storage, pages, args.runs, args.visit)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
    report = record(results, args.runs, args.visit)
    if not args.only:
        name = "lighthouse.md" if args.visit == "signed-in" else f"lighthouse-{args.visit}.md"
        (RESULTS / name).write_text(report)
    print(report)
    return 0 if all(passes(r) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
