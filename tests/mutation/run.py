"""Mutation testing of the money and safety code; `make mutate` runs this.

mutmut 3 (configured in pyproject.toml's [tool.mutmut]) copies the project into `mutants/`,
rewrites every function of the listed modules into a trampoline that runs one mutant at a
time, records once which tests reach which function, and then runs each mutant against only
those tests (fastest first, stopping at the first failure). This script runs it one module at
a time and prints each module's score: mutants killed out of all, and the same with the
survivors that tests/mutation/equivalent.md judges equivalent left out. It exits non-zero when
a module scores below TARGET.

    python tests/mutation/run.py                                   # every configured module
    python tests/mutation/run.py billing/credits ai/paid_requests  # some of them
    python tests/mutation/run.py --again billing/credits           # only its last survivors
    python tests/mutation/run.py --report                          # last scores, no run

MUTATE_JOBS sets how many mutants run at once (default 1). The tests use the Postgres and
Redis of TEST_DATABASE_URL / TEST_REDIS_URL; without them, one private pair serves the whole
run (each mutant's test session still makes and drops its own database).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENT = Path(__file__).with_name("equivalent.md")
TARGET = 0.90
SOURCE_ROOT = "shared"

# mutmut's exit codes per mutant (mutmut.__main__.status_by_exit_code), grouped for scoring.
KILLED = {1, 3}  # a test failed (3: pytest's internal error, as mutmut counts it)
TIMED_OUT = {24, -24, 152, 255, 36, -9}  # the tests hung or spun: killed by the time limit
SURVIVED = {0}
NOT_COVERED = {5, 33}  # no test reaches the function
CAUGHT_BY_TYPES = {37}


def configured_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return [str(Path(p).relative_to(SOURCE_ROOT)) for p in config["only_mutate"]]


def module_name(path: str) -> str:
    """shared-relative path -> import name: asset_engine/billing/credits.py -> asset_engine.billing.credits"""
    return path.removesuffix(".py").replace("/", ".")


def select(wanted: list[str]) -> list[str]:
    modules = configured_modules()
    if not wanted:
        return modules
    chosen = []
    for want in wanted:
        matches = [m for m in modules if want.removesuffix(".py") in m]
        if not matches:
            raise SystemExit(f"{want}: not a module of [tool.mutmut] only_mutate: {modules}")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def equivalent_mutants() -> dict[str, str]:
    """`- \\`name\\`: reason` lines of equivalent.md."""
    if not EQUIVALENT.exists():
        return {}
    found = re.findall(r"^- `([^`]+)`:?\s*(.*)$", EQUIVALENT.read_text(), flags=re.MULTILINE)
    return dict(found)


@dataclass
class Score:
    module: str
    total: int
    killed: int
    timed_out: int
    survived: list[str]
    not_covered: list[str]
    not_run_names: list[str]
    equivalent: list[str]

    @property
    def not_run(self) -> int:
        return len(self.not_run_names)

    @property
    def dead(self) -> int:
        return self.killed + self.timed_out

    @property
    def raw(self) -> float:
        return self.dead / self.total if self.total else 1.0

    @property
    def adjusted(self) -> float:
        counted = self.total - len(self.equivalent)
        return self.dead / counted if counted else 1.0


def score(path: str, equivalent: dict[str, str]) -> Score | None:
    meta = ROOT / "mutants" / SOURCE_ROOT / (path + ".meta")
    if not meta.exists():
        return None
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    survived = sorted(k for k, c in codes.items() if c in SURVIVED)
    return Score(
        module=module_name(path),
        total=len(codes),
        killed=sum(1 for c in codes.values() if c in KILLED or c in CAUGHT_BY_TYPES),
        timed_out=sum(1 for c in codes.values() if c in TIMED_OUT),
        survived=survived,
        not_covered=sorted(k for k, c in codes.items() if c in NOT_COVERED),
        not_run_names=sorted(k for k, c in codes.items() if c is None),
        equivalent=[k for k in survived if k in equivalent],
    )


def report(paths: list[str]) -> bool:
    equivalent = equivalent_mutants()
    scores = [s for s in (score(p, equivalent) for p in paths) if s is not None]
    print()
    print(f"{'module':42} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv.':>6} "
          f"{'score':>6} {'w/o equiv.':>10}")  # fmt: skip
    ok = True
    for s in scores:
        if s.total == 0:
            # mutmut skips decorated functions: trace with `name = traced(name)` instead
            print(f"{s.module:42} {0:7}   (no mutants: are its functions all decorated?)")
            continue
        low = s.adjusted < TARGET or s.not_run > 0
        ok = ok and not low
        print(
            f"{s.module:42} {s.total:7} {s.dead:7} {len(s.survived) + len(s.not_covered):8} "
            f"{len(s.equivalent):6} {s.raw:6.1%} {s.adjusted:10.1%}{'  <-- below target' if low else ''}"
        )
    for s in scores:
        open_ones = [k for k in s.survived if k not in equivalent] + s.not_covered
        if open_ones or s.not_run:
            print(f"\n{s.module}: {s.not_run} not run; surviving, not listed as equivalent:")
            for name in open_ones:
                print(f"    {name}    (show: python tests/mutation/run.py --mutmut show {name})")
    for path in [p for p in paths if score(p, equivalent) is None]:
        print(f"{module_name(path)}: no results yet")
        ok = False
    print(
        f"\ntarget: {TARGET:.0%} of the mutants killed in every module (equivalent ones left out)"
    )
    return ok


def run_mutmut(args: list[str]) -> int:
    """mutmut's own command line, fitted to this layout and this pytest.

    mutmut names a mutant after its file's path (shared/asset_engine/x.py ->
    shared.asset_engine.x) but looks it up by the module the tests import (asset_engine.x,
    through pytest's pythonpath), and it only knows to strip a `src.` prefix. Strip ours too,
    and keep the unmutated shared/ (on sys.path through the editable install) out of reach.
    """
    os.chdir(ROOT)
    original = (ROOT / SOURCE_ROOT).resolve()
    sys.path[:] = [p for p in sys.path if not p or Path(p).resolve() != original]

    from mutmut.utils import format_utils

    named = format_utils.get_mutant_name

    def get_mutant_name(relative_source_path: Path, mutant_method_name: str) -> str:
        return format_utils.strip_prefix(
            named(relative_source_path, mutant_method_name), prefix=f"{SOURCE_ROOT}."
        )

    format_utils.get_mutant_name = get_mutant_name
    # mutmut 3.7 reads `item._nodeid`, which pytest 9 no longer has (3.8 reads `nodeid`, but
    # needs a click newer than the one aws-sam-cli pins).
    from _pytest.nodes import Node

    if not hasattr(Node, "_nodeid"):
        Node._nodeid = property(lambda node: node.nodeid)  # type: ignore[attr-defined]
    import mutmut.__main__ as mutmut_main
    import mutmut.mutation.file_mutation as file_mutation

    mutmut_main.get_mutant_name = get_mutant_name  # type: ignore[attr-defined]
    file_mutation.get_mutant_name = get_mutant_name  # type: ignore[attr-defined]
    try:
        mutmut_main.cli(args, standalone_mode=False)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


@contextmanager
def test_services() -> Iterator[None]:
    """TEST_DATABASE_URL and TEST_REDIS_URL for every mutant's tests: given, or private ones."""
    with ExitStack() as stack:
        if not (os.environ.get("TEST_DATABASE_URL") and os.environ.get("TEST_REDIS_URL")):
            sys.path.insert(0, str(ROOT))
            from asset_engine.local.embedded_postgres import private_server
            from tests.support.services import private_redis

            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mutate-")))
            if not os.environ.get("TEST_DATABASE_URL"):
                url = stack.enter_context(private_server(folder / "pg"))
                os.environ["TEST_DATABASE_URL"] = url
            if not os.environ.get("TEST_REDIS_URL"):
                os.environ["TEST_REDIS_URL"] = stack.enter_context(private_redis(folder / "redis"))
        yield


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="e.g. billing/credits (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last scores only")
    parser.add_argument("--again", action="store_true", help="rerun only the mutants not killed")
    parser.add_argument("--mutmut", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mutmut is not None:
        return run_mutmut(args.mutmut)

    paths = select(args.modules)  # relative to shared/
    if not args.report:
        with test_services():
            run_modules(paths, again=args.again)
    return 0 if report(paths) else 1


def run_modules(paths: list[str], *, again: bool) -> None:
    """One mutmut run per module, each in a process of its own; `again`: only the mutants
    that were not killed last time."""
    jobs = os.environ.get("MUTATE_JOBS", "1")
    for path in paths:
        names = [module_name(path) + ".*"]
        last = score(path, {})
        if last is not None and last.total == 0:
            continue  # nothing to mutate (see report)
        if again and last is not None:
            names = last.survived + last.not_covered + last.not_run_names
            if not names:
                continue
        print(f"\n=== {module_name(path)}: {len(names) if again else 'all'}", flush=True)
        command = [sys.executable, __file__, "--mutmut", "run", "--max-children", jobs]
        done = subprocess.run([*command, *names], cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"mutmut stopped with {done.returncode} on {module_name(path)}")


if __name__ == "__main__":
    sys.exit(main())
