"""`make dev`'s path on a machine with nothing running: the embedded default, end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg

from tests.support.lambda_api import PROJECT_ROOT
from tests.support.services import free_port, postgres_folder


def test_the_embedded_default_serves_sign_up_me_and_health() -> None:
    with postgres_folder("embedded-default") as data_dir:
        _serves_sign_up_me_and_health(data_dir)


def _serves_sign_up_me_and_health(tmp_path: Path) -> None:
    # Given no DATABASE_URL and no keys at all, as on a fresh machine
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DATABASE_URL", "SECRET_KEY", "DEEPSEEK_", "RUNPOD_", "UPSTASH_", "REDIS_URL")
        )
    }
    env.update(APP_ENV="dev", POWERTOOLS_LOG_LEVEL="WARNING")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "asset_engine.cli", "--data-dir", str(tmp_path), "serve",
         "--port", str(port), "--log-level", "warning"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=5) as client:
            health = _wait_for(client, proc)
            # Then the API is up on its own private Postgres ...
            assert health["checks"]["database"] == "ok"
            # ... a dev token signs a user up with 50 credits ...
            session = client.post("/api/v1/dev-token", json={"email": "a@example.com"}).json()
            me = client.get(
                "/api/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"}
            ).json()
            assert me["credits_balance"] == 50
        # ... and the ledger in the embedded database holds one signup_grant row.
        with psycopg.connect(_embedded_url(tmp_path)) as conn:
            rows = conn.execute(
                "SELECT reason, delta FROM credit_ledger WHERE user_id = %s", (me["id"],)
            ).fetchall()
        assert rows == [("signup_grant", 50)]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # And stopping the API stops its private Postgres.
    assert not (tmp_path / "postgres" / "postmaster.pid").exists()


def _wait_for(client: httpx.Client, proc: subprocess.Popen[bytes]) -> dict[str, dict[str, str]]:
    import time

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read().decode() if proc.stdout else "exited")
        try:
            answer = client.get("/health", params={"deep": "1"})
            if answer.status_code == 200:
                return dict(answer.json())
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the API did not come up")


def _embedded_url(data_dir: Path) -> str:
    # The server's socket lives in its data folder (pgserver's layout).
    return f"postgresql://postgres:@/asset_engine?host={data_dir / 'postgres'}"
