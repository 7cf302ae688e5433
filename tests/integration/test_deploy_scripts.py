"""deploy.yml's scripts, run as the workflow runs them: stack names from branches, a preview's
own database and secret (Secrets Manager from moto's server, the test's Postgres), migrating
it with no signing secret, the deploy's parameter overrides, and the teardown."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import psycopg
import pytest
from moto.server import ThreadedMotoServer

from tests.support.lambda_api import PROJECT_ROOT
from tests.support.services import free_port

SCRIPTS = PROJECT_ROOT / ".github" / "scripts"
BIN = Path(sys.executable).parent


def _names(branch: str) -> dict[str, str]:
    out = subprocess.run(
        ["bash", str(SCRIPTS / "stack-name.sh"), branch],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


def test_branches_map_to_distinct_names_within_the_rules() -> None:
    branches = [
        "feature/Foo",
        "feature-foo",
        "feature_foo",
        "FEATURE/foo",
        "dependabot/npm_and_yarn/frontend/next-15.5.99-with-a-very-long-tail-of-words",
        "ünïcödé/ブランチ",
        "---",
    ]
    names = [_names(branch) for branch in branches]
    assert len({n["stack"] for n in names}) == len(branches)
    for n in names:
        # CloudFormation: a letter first, letters, digits and '-', 128 at most; and what the
        # template derives from it (layer names: stack + "-dependencies", 140 at most).
        assert re.fullmatch(r"[a-zA-Z][-a-zA-Z0-9]{0,127}", n["stack"])
        assert len(n["stack"]) + len("-dependencies") <= 140
        assert re.fullmatch(r"^[a-z0-9][a-z0-9-]{0,62}$", n["env_name"])  # EnvName's pattern
        assert re.fullmatch(r"ae_pr_[a-z0-9_]{1,57}", n["database"])  # Postgres' 63
        assert n["stack"] == f"asset-engine-{n['env_name']}"
    assert _names("feature/Foo") == _names("feature/Foo")  # stable across runs
    assert _names("main") == {
        "env_name": "staging",
        "stack": "asset-engine-staging",
        "database": "",
    }


@pytest.fixture(scope="module")
def aws() -> Iterator[dict[str, str]]:
    """Secrets Manager on moto's server: the scripts run as subprocesses, through boto3."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield {
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    finally:
        server.stop()


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("APP_ENV", "SECRET", "DATABASE_URL", "AWS_", "GITHUB_"))
    }
    full.update(env, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", POWERTOOLS_LOG_LEVEL="WARNING")
    return subprocess.run(
        list(args), cwd=PROJECT_ROOT, env=full, capture_output=True, text=True, timeout=120
    )


def _secret(aws: dict[str, str], env_name: str) -> dict[str, str]:
    client = boto3.client(
        "secretsmanager",
        endpoint_url=aws["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    value: dict[str, str] = json.loads(client.get_secret_value(SecretId=env_name)["SecretString"])
    return value


def _databases(admin_url: str) -> set[str]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_a_preview_gets_its_own_database_migrated_and_loses_it_with_its_branch(
    aws: dict[str, str], postgres_admin_url: str
) -> None:
    names = _names(f"test/deploy-scripts-{os.getpid()}")
    env = {**aws, "PREVIEW_DATABASE_ADMIN_URL": postgres_admin_url}
    db_args = ["--env-name", names["env_name"], "--database", names["database"]]
    create = [sys.executable, str(SCRIPTS / "stack_database.py"), "create", *db_args]
    try:
        # Given a new branch, when the deploy job prepares its stack
        first = _run(*create, env=env)
        assert first.returncode == 0, first.stderr
        assert names["database"] in _databases(postgres_admin_url)
        secret = _secret(aws, f"asset-engine/{names['env_name']}")
        assert secret["DATABASE_URL"].endswith(f"/{names['database']}")
        assert len(secret["SECRET_KEY"]) >= 32 and len(secret["DEV_SIGN_IN_CODE"]) >= 16
        assert postgres_admin_url not in first.stdout + first.stderr  # nothing secret printed

        # A second deploy keeps the database and the stack's keys (sessions survive a deploy)
        again = _run(*create, env=env)
        assert again.returncode == 0 and "kept" in again.stdout
        assert _secret(aws, f"asset-engine/{names['env_name']}") == secret

        # Migrating reads the URL from the secret; APP_ENV unset (prod), no SECRET_KEY
        migrated = _run("bash", str(SCRIPTS / "migrate.sh"), names["env_name"], env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        with psycopg.connect(secret["DATABASE_URL"]) as conn:
            tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables")}
        assert {"users", "credit_ledger", "assets"} <= tables
    finally:
        # When the branch is deleted, the teardown drops the database and the secret
        dropped = _run(
            sys.executable, str(SCRIPTS / "stack_database.py"), "drop", *db_args, env=env
        )
    assert dropped.returncode == 0, dropped.stderr
    assert names["database"] not in _databases(postgres_admin_url)
    gone = _run(
        sys.executable, str(SCRIPTS / "stack_database.py"), "url",
        "--env-name", names["env_name"], env=env,
    )  # fmt: skip
    assert gone.returncode != 0


def test_the_scripts_touch_only_a_preview_database(
    aws: dict[str, str], postgres_admin_url: str
) -> None:
    env = {**aws, "PREVIEW_DATABASE_ADMIN_URL": postgres_admin_url}
    refused = _run(
        sys.executable, str(SCRIPTS / "stack_database.py"), "drop",
        "--env-name", "staging", "--database", "postgres", env=env,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "postgres" in _databases(postgres_admin_url)


@pytest.fixture
def recorders(tmp_path: Path) -> dict[str, str]:
    """`sam` and `aws` stand-ins that record their arguments (deploy.sh's SAM and AWS)."""
    log = tmp_path / "calls.jsonl"
    script = tmp_path / "record"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "print('https://abc123.execute-api.us-east-1.amazonaws.com')\n"
    )
    script.chmod(0o755)
    return {"SAM": str(script), "AWS": str(script), "LOG": str(log)}


def _deploy(recorders: dict[str, str], target: str, **env: str) -> tuple[list[str], str]:
    result = _run(
        "bash", str(SCRIPTS / "deploy.sh"), target, "asset-engine-x", "pr-x-12345678",
        "packaged.yaml", env={"SAM": recorders["SAM"], "AWS": recorders["AWS"], **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in Path(recorders["LOG"]).read_text().splitlines()]
    overrides = calls[0][calls[0].index("--parameter-overrides") + 1 :]
    return overrides, result.stdout


def test_unset_settings_are_left_out_of_the_overrides(recorders: dict[str, str]) -> None:
    overrides, out = _deploy(recorders, "preview", GOOGLE_CLIENT_ID="", CORS_ORIGINS="")
    assert not [o for o in overrides if o.endswith("=")]  # sam deploy refuses `Name=`
    assert "AppEnv=dev" in overrides and "Providers=mock" in overrides
    assert "EnvName=pr-x-12345678" in overrides
    assert out.splitlines()[-1] == "https://abc123.execute-api.us-east-1.amazonaws.com"


def test_set_settings_are_passed_and_cloud_stacks_use_real_providers(
    recorders: dict[str, str],
) -> None:
    overrides, _ = _deploy(
        recorders,
        "staging",
        GOOGLE_CLIENT_ID="client.apps.googleusercontent.com",
        CORS_ORIGINS="https://app.example.com,https://staging.example.com",
    )
    assert "GoogleClientId=client.apps.googleusercontent.com" in overrides
    assert "CorsOrigins=https://app.example.com,https://staging.example.com" in overrides
    assert "Providers=real" in overrides and "AppEnv=staging" in overrides
