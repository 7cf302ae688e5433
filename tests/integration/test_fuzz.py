"""Property-based fuzzing of every function's OpenAPI, through the local gateway over real HTTP.

Schemathesis generates requests for every operation of every function (valid ones, and with
FUZZ_NEGATIVE also ones that break the schema), sent with a valid admin token, so every route
runs its real code against the real database. For every answer:
- no 5xx, whatever the input;
- every error (4xx) in API.md's envelope, its request id equal to the X-Request-Id header;
- every answer valid against the schema its operation documents (status, content type, body).

`make test` runs a bounded pass (FUZZ_EXAMPLES per operation and mode, default 20);
`make fuzz` a long one. The figures land in FUZZ_REPORT when that names a file.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asset_engine import db
from asset_engine.auth.logic import make_admin
from asset_engine.config import get_settings
from asset_engine.local.gateway import LocalGateway
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.google_certs import certificate_endpoint, make_signing_key
from tests.support.http_server import serve_in_thread
from tests.support.lambda_api import PROJECT_ROOT

SERVICES = ["auth", "billing", "campaigns", "assets", "ai", "runpod_callback"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module")
def gateway(database_url: str) -> Iterator[str]:
    # A budget no fuzz run exhausts: a 429 hides what the route would have done.
    with (
        pytest.MonkeyPatch.context() as mp,
        certificate_endpoint(make_signing_key("fuzz")) as certs_url,
    ):
        mp.setenv("RATE_LIMIT_AI", "1000000/60")
        mp.setenv("GOOGLE_CERTS_URL", certs_url)  # Google's sign-in checks run, offline
        get_settings.cache_clear()
        reset_rate_limiter()
        with serve_in_thread(LocalGateway(PROJECT_ROOT / "template.yaml")) as url:
            yield url
    get_settings.cache_clear()
    reset_rate_limiter()
    report = os.environ.get("FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps(dict(TALLY), indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="module")
def admin_headers(gateway: str, database_url: str) -> dict[str, str]:
    """A real admin (so admin-only routes run their code too), signed up the real way."""
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    session = requests.post(f"{gateway}/api/v1/dev-token", json={"email": email}, timeout=30)
    assert session.status_code == 200, session.text
    with db.connect(database_url) as conn:
        make_admin(conn, email=email)
    return {"Authorization": f"Bearer {session.json()['access_token']}"}


def _envelope_problem(response: Any) -> str | None:
    if response.status_code < 400:
        return None
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code} not in the envelope: {response.text[:200]!r}"
    if not (isinstance(error.get("code"), str) and isinstance(error.get("message"), str)):
        return f"{response.status_code} envelope lacks code/message: {error!r}"
    header = response.headers.get("x-request-id")  # schemathesis keeps each header's values
    if error.get("request_id") not in (header if isinstance(header, list) else [header]):
        return f"{response.status_code} request_id differs from X-Request-Id"
    return None


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_gets_a_5xx_or_an_answer_outside_its_schema(
    service: str, gateway: str, admin_headers: dict[str, str]
) -> None:
    spec = requests.get(f"{gateway}/api/v1/openapi/{service}.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(spec)
    session = requests.Session()
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"{service}: an operation's schema is invalid: {result}"
        operations.append(result.ok())
    assert operations, f"{service} documents no operation"

    for operation in operations:
        for mode in MODES:
            _fuzz(operation, mode, gateway, session, admin_headers, failures)

    assert not failures, "\n".join(sorted(set(failures))[:40])


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    gateway: str,
    session: requests.Session,
    headers: dict[str, str],
    failures: list[str],
) -> None:
    label = f"{operation.label} [{mode.value}]"
    try:
        strategy = operation.as_strategy(generation_mode=mode)
    except Exception as exc:  # nothing to break in negative mode (no parameters, no body)
        if mode is GenerationMode.NEGATIVE:
            return
        raise AssertionError(f"{label}: {exc}") from exc

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case: Any) -> None:
        response = case.call(base_url=gateway, session=session, headers=headers)
        TALLY["requests"] += 1
        TALLY[f"status_{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            TALLY["server_errors"] += 1
        if problem := _envelope_problem(response):
            failures.append(f"{label}: {problem} <- {case.as_curl_command()}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as exc:  # schemathesis's failure group: a few lines per failed check
            failures.append(f"{label}: {' / '.join(str(exc).strip().splitlines()[:6])}")

    try:
        send()
    except Unsatisfiable:
        # Negative mode on an operation with nothing to break (no parameters, no body).
        if mode is not GenerationMode.NEGATIVE:
            raise
