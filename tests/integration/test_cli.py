"""`asset-engine serve` as a developer starts it: refusals, and two gateways on one empty database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx

from asset_engine.local.embedded_postgres import scratch_database
from tests.conftest import TEST_SECRET
from tests.support.factories import unique_email
from tests.support.lambda_api import PROJECT_ROOT
from tests.support.services import free_port

CLI = [sys.executable, "-m", "asset_engine.cli"]


# What a user's shell gives the command; nothing else of this test process (whose settings
# other tests change) may reach the gateway.
_SHELL = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def _env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _SHELL}
    env.update(POWERTOOLS_LOG_LEVEL="WARNING", **overrides)
    return env


@contextmanager
def running_gateway(port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--log-level", "warning"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"gateway exited: {output}")
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/health?deep=1", timeout=2)
            if answer.status_code == 200:
                return dict(answer.json())
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("gateway did not come up")


def test_prod_with_the_default_secret_refuses_to_start() -> None:
    result = subprocess.run(
        [*CLI, "serve", "--port", str(free_port())],
        cwd=PROJECT_ROOT,
        env=_env(APP_ENV="prod", DATABASE_URL="postgresql://unused@127.0.0.1:1/x"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in (result.stdout + result.stderr).decode()


def test_two_gateways_on_one_empty_database_both_come_up_and_prod_hides_dev_token(
    postgres_admin_url: str,
) -> None:
    with scratch_database(postgres_admin_url) as url, ExitStack() as stack:
        ports = [free_port(), free_port()]
        env = _env(APP_ENV="prod", SECRET_KEY=TEST_SECRET, DATABASE_URL=url)
        procs = [stack.enter_context(running_gateway(port, env)) for port in ports]
        for port, proc in zip(ports, procs, strict=True):
            assert _wait_healthy(port, proc)["checks"] == {"database": "ok"}
        answer = httpx.post(
            f"http://127.0.0.1:{ports[0]}/api/v1/dev-token", json={"email": unique_email()}
        )
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
