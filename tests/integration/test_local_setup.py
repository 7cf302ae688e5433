"""A calmer local setup: refusals that name the setting or the host, and an embedded Postgres
that stops with its last user even after an earlier run was killed with kill -9."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from asset_engine import cli, config
from asset_engine.config import get_settings
from tests.support.lambda_api import PROJECT_ROOT
from tests.support.services import postgres_folder

_START = (
    "import sys, time; from pathlib import Path; "
    "from asset_engine.local.embedded_postgres import start; "
    "print(start(Path(sys.argv[1])), flush=True); time.sleep(float(sys.argv[2]))"
)


def _args(tmp_path: Path) -> argparse.Namespace:
    return argparse.Namespace(root=tmp_path, data_dir=tmp_path / ".data")


def test_a_bad_setting_is_named_in_the_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("DB_POOL_SIZE", "twenty")
    with pytest.raises(SystemExit) as refused:
        cli._prepare_environment(_args(tmp_path), local_defaults=False)
    get_settings.cache_clear()
    assert "DB_POOL_SIZE: Input should be a valid integer" in str(refused.value)


def test_an_unreachable_database_is_one_line_naming_the_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    # migrate switches this process to maintenance mode; the tests after this one serve again.
    monkeypatch.setattr(config, "_serving", config._serving)
    with pytest.raises(SystemExit) as refused:
        cli.cmd_migrate(_args(tmp_path))
    get_settings.cache_clear()
    message = str(refused.value)
    assert message.startswith("asset-engine: cannot reach the database at 127.0.0.1:1: ")
    assert "\n" not in message and "Traceback" not in message


def _postmaster_pid(folder: Path) -> int:
    return int((folder / "postmaster.pid").read_text().splitlines()[0])


def _gone(pid: int, within_s: float = 15.0) -> bool:
    until = time.monotonic() + within_s
    while time.monotonic() < until:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.2)
    return False


def test_the_embedded_postgres_stops_after_a_killed_run() -> None:
    with postgres_folder("killed-run") as data_dir:
        _stops_after_a_killed_run(data_dir / "postgres")


def _stops_after_a_killed_run(folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "shared")}
    # Given a run killed with kill -9 while it used the server (its id left in pgserver's list)
    killed = subprocess.Popen(
        [sys.executable, "-c", _START, str(folder), "60"], stdout=subprocess.PIPE, env=env
    )
    assert killed.stdout is not None
    assert killed.stdout.readline().startswith(b"postgresql://")
    postmaster = _postmaster_pid(folder)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert psutil.pid_exists(postmaster)
    # When the next run starts, uses the same server and exits normally (as Ctrl-C does)
    later = subprocess.run(
        [sys.executable, "-c", _START, str(folder), "0"],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert later.stdout.startswith(b"postgresql://")
    # Then the server stops with it
    assert _gone(postmaster), "the embedded Postgres kept running after its last user left"
