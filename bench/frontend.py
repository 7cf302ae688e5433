"""Benchmark: the frontend's first-load JS per route (gzip), from a production build's manifests.

Builds frontend/ with `next build` into a folder of its own (node_modules/.cache/next-bench,
so a developer's `.next` and a running `next dev` are left alone), then reads the manifests
with frontend/scripts/bundle-size.mjs: per route, the root main files every page loads plus
the chunks of its layouts, page and boundaries, each gzip-compressed once. The framework's
own share (the root main files: React, Next's client runtime) is printed too: no route can
go below it.

    python bench/frontend.py              # build, then measure and record
    python bench/frontend.py --no-build   # measure the last bench build
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
DIST_DIR = "node_modules/.cache/next-bench"
TARGET_KB = 130.0


def build() -> None:
    # `next build` adds its distDir's types to tsconfig.json's include list; this build's
    # folder is scratch, so the file is put back as it was.
    tsconfig = FRONTEND / "tsconfig.json"
    before = tsconfig.read_bytes()
    try:
        subprocess.run(
            ["npx", "--no-install", "next", "build"],
            cwd=FRONTEND, env={**os.environ, "NEXT_DIST_DIR": DIST_DIR, "NEXT_TELEMETRY_DISABLED": "1"},
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        if tsconfig.read_bytes() != before:
            tsconfig.write_bytes(before)


def framework_kb() -> float:
    dist = FRONTEND / DIST_DIR
    manifest = json.loads((dist / "build-manifest.json").read_text())
    size = sum(len(gzip.compress((dist / f).read_bytes())) for f in manifest["rootMainFiles"])
    return size / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure the last bench build")
    args = parser.parse_args()
    if not args.no_build:
        build()
    out = subprocess.run(
        ["node", "scripts/bundle-size.mjs", DIST_DIR, "--json"],
        cwd=FRONTEND, check=True, capture_output=True, text=True,
    )  # fmt: skip
    rows = [r for r in json.loads(out.stdout) if not r["route"].startswith("/_")]
    floor = framework_kb()
    lines = [
        "# Frontend first-load JS per route (gzip)",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d} by `python bench/frontend.py` (node "
        f"{subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, "
        f"Python {platform.python_version()}). Target <= {TARGET_KB:.0f} kB; the framework's "
        f"root main files, which every route loads, are {floor:.1f} kB of it.",
        "",
        "| route | first-load JS kB | over the framework's kB |",
        "|---|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| `{row['route']}` | {row['kB']:.1f} | {row['kB'] - floor:.1f} |")
        mark = "ok" if row["kB"] <= TARGET_KB else f"+{row['kB'] - TARGET_KB:.1f} kB over"
        print(f"{row['route']:28} {row['kB']:6.1f} kB  ({mark})")
    print(f"{'framework (every route)':28} {floor:6.1f} kB")
    if not args.no_build:
        result = ROOT / "bench" / "results" / "frontend.md"
        result.write_text("\n".join(lines) + "\n")
        print(f"written to {result.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
