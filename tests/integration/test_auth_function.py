"""The auth function through its real handler, against a real Postgres."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest

from asset_engine import db
from asset_engine.config import get_settings
from tests.conftest import TEST_SECRET
from tests.support.factories import sign_up, unique_email
from tests.support.lambda_api import LambdaApi, load_event


def test_dev_token_signs_up_a_user_with_the_signup_grant(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given a new email, when the dev token is asked for
    email = unique_email("new")
    answer = api.post("/api/v1/dev-token", {"email": email, "name": "Ada"})

    # Then a session comes back for a user holding the sign-up credits ...
    assert answer.status == 200
    session = answer.json
    assert session["token_type"] == "bearer"
    assert session["expires_in"] == get_settings().access_token_ttl_s
    assert session["user"]["email"] == email
    assert session["user"]["credits_balance"] == 50
    assert session["user"]["role"] == "user"

    # ... and the ledger holds exactly one signup_grant row that explains the balance
    rows = conn.execute(
        "SELECT delta, balance_after, reason FROM credit_ledger WHERE user_id = %s",
        (session["user"]["id"],),
    ).fetchall()
    assert rows == [{"delta": 50, "balance_after": 50, "reason": "signup_grant"}]


def test_me_answers_the_signed_in_user(api: LambdaApi) -> None:
    user = sign_up(api, name="Grace")
    answer = api.get("/api/v1/me", token=user.token)
    assert answer.status == 200
    assert answer.json == user.user
    assert answer.headers["x-request-id"]


def test_signing_in_again_does_not_grant_again(api: LambdaApi, conn: db.Connection) -> None:
    email = unique_email("again")
    first = sign_up(api, email=email)
    second = sign_up(api, email=email.upper())  # emails are case-insensitive
    assert second.id == first.id
    grants = conn.execute(
        "SELECT count(*) AS n FROM credit_ledger WHERE user_id = %s", (first.id,)
    ).fetchone()
    assert grants == {"n": 1}


def test_racing_first_sign_ins_create_one_user_and_one_grant(
    api: LambdaApi, conn: db.Connection
) -> None:
    email = unique_email("race")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda _: api.post("/api/v1/dev-token", {"email": email}), range(8))
        )
    assert {a.status for a in answers} == {200}
    assert len({a.json["user"]["id"] for a in answers}) == 1
    row = conn.execute(
        "SELECT u.credits_balance, (SELECT count(*) FROM credit_ledger l WHERE l.user_id = u.id) AS n "
        "FROM users u WHERE lower(email) = lower(%s)",
        (email,),
    ).fetchone()
    assert row == {"credits_balance": 50, "n": 1}


def _token(**overrides: object) -> str:
    now = int(time.time())
    settings = get_settings()
    claims: dict[str, object] = {
        "sub": str(uuid.uuid4()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return jwt.encode(claims, TEST_SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    "kind", ["tampered", "alg-none", "expired", "wrong-aud", "wrong-iss", "garbage"]
)
def test_bad_tokens_answer_401_in_the_envelope(api: LambdaApi, kind: str) -> None:
    user = sign_up(api)
    header, payload, signature = user.token.split(".")
    token = {
        "tampered": f"{header}.{payload[:-2]}xx.{signature}",
        "alg-none": jwt.encode({"sub": user.id}, "", algorithm="none"),
        "expired": _token(sub=user.id, exp=int(time.time()) - 60),
        "wrong-aud": _token(sub=user.id, aud="another-api"),
        "wrong-iss": _token(sub=user.id, iss="https://issuer.example"),
        "garbage": "not-a-jwt",
    }[kind]
    answer = api.get("/api/v1/me", token=token)
    assert answer.status == 401
    assert answer.json["error"]["code"] == "unauthorized"
    assert answer.json["error"]["request_id"] == answer.headers["x-request-id"]


def test_missing_authorization_answers_401(api: LambdaApi) -> None:
    answer = api.get("/api/v1/me")
    assert (answer.status, answer.error_code) == (401, "unauthorized")


def test_invalid_body_answers_422_with_details(api: LambdaApi) -> None:
    answer = api.post("/api/v1/dev-token", {"email": "not-an-email", "extra": 1})
    assert answer.status == 422
    error = answer.json["error"]
    assert error["code"] == "validation_error"
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert ("body", "email") in locations
    assert ("body", "extra") in locations


def test_malformed_json_answers_422_in_the_envelope(api: LambdaApi) -> None:
    answer = api.request(
        "POST", "/api/v1/dev-token", raw_body=b"{nope", headers={"content-type": "application/json"}
    )
    assert (answer.status, answer.error_code) == (422, "validation_error")


def test_dev_token_does_not_exist_in_prod(api: LambdaApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "prod")
    get_settings.cache_clear()
    try:
        answer = api.post("/api/v1/dev-token", {"email": unique_email()})
        bad_body = api.post("/api/v1/dev-token", {"nonsense": True})
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert (answer.status, answer.error_code) == (404, "not_found")
    assert bad_body.status == 404  # no validation hint that the path exists


def test_health_is_cheap_and_deep(api: LambdaApi) -> None:
    assert api.get("/health").json == {"status": "ok", "service": "auth"}
    deep = api.get("/api/v1/health/auth", query={"deep": "1"})
    assert deep.status == 200
    assert deep.json["checks"] == {"database": "ok"}


def test_deep_health_answers_503_when_the_database_is_down(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT_S", "1")
    get_settings.cache_clear()
    db.close_pool()
    try:
        answer = api.get("/health", query={"deep": "1"})
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        db.close_pool()
    assert answer.status == 503
    assert answer.json["error"]["checks"] == {"database": "down"}
    assert "127.0.0.1" not in answer.body.decode()  # no connection detail leaks


class TestSamLocalEvents:
    """The files in tests/events/auth/ are what `sam local invoke -e` sends; the handler answers them."""

    def test_health_event(self, api: LambdaApi) -> None:
        route, _ = api.route("GET", "/health")
        answer = api.invoke(route, load_event("auth/health.json"))
        assert answer.status == 200
        assert answer.json["checks"] == {"database": "ok"}
        assert answer.headers["x-request-id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"

    def test_dev_token_then_me_events(self, api: LambdaApi) -> None:
        route, _ = api.route("POST", "/api/v1/dev-token")
        session = api.invoke(route, load_event("auth/dev_token.json"))
        assert session.status == 200
        assert session.json["user"]["email"] == "sam-local@example.com"

        me_route, _ = api.route("GET", "/api/v1/me")
        me = api.invoke(
            me_route, load_event("auth/me.json", access_token=session.json["access_token"])
        )
        assert me.status == 200
        assert me.json["id"] == session.json["user"]["id"]


def _other_backends(conn: db.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchone()
    assert row is not None
    return int(row["n"])


def test_a_dropped_database_connection_is_replaced(api: LambdaApi, conn: db.Connection) -> None:
    # Given warm connections in the container's pool
    user = sign_up(api)
    assert api.get("/api/v1/me", token=user.token).status == 200

    # When the server drops them (a pooler timeout, a failover, a frozen container)
    killed = conn.execute(
        "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchone()
    assert killed is not None and killed["n"] >= 1
    # pg_terminate_backend only signals: wait until those backends are gone (and have told
    # their clients so), as after a real failover, rather than racing the signal.
    deadline = time.monotonic() + 10
    while _other_backends(conn):
        assert time.monotonic() < deadline, "the terminated backends did not go away"
        time.sleep(0.05)

    # Then the next request reconnects instead of failing
    assert api.get("/api/v1/me", token=user.token).status == 200


def test_an_unexpected_error_answers_500_without_details(
    api: LambdaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asset_engine.auth import users

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("SELECT secret_column FROM users -- password=hunter2")

    user = sign_up(api)
    monkeypatch.setattr(users, "get_user", broken)
    answer = api.get("/api/v1/me", token=user.token, headers={"origin": "http://127.0.0.1:3000"})
    assert answer.status == 500
    assert answer.json["error"]["code"] == "internal"
    # ... readable by the frontend: CORS headers are on the 500 too
    assert answer.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert answer.json["error"]["request_id"] == answer.headers["x-request-id"]
    assert b"SELECT" not in answer.body and b"hunter2" not in answer.body
    assert b"Traceback" not in answer.body
