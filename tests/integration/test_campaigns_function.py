"""The campaigns function through its real handler: create, list, get, and the status lifecycle."""

from __future__ import annotations

import itertools
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import LambdaApi, load_event

# API.md's status table, written out here rather than read from the code under test.
ALLOWED = {
    "draft": ["active", "archived"],
    "active": ["paused", "completed"],
    "paused": ["active", "completed"],
    "completed": ["archived"],
    "archived": [],
}
STATUSES = ["draft", "active", "paused", "completed", "archived"]
# The route from draft to each status, through allowed moves only.
PATH_TO = {
    "draft": [],
    "active": ["active"],
    "paused": ["active", "paused"],
    "completed": ["active", "completed"],
    "archived": ["archived"],
}


def _create(api: LambdaApi, user: SignedUp, **fields: Any) -> dict[str, Any]:
    answer = api.post("/api/v1/campaigns", {"name": "Spring launch", **fields}, token=user.token)
    assert answer.status == 201, answer.body
    return dict(answer.json)


def _move(api: LambdaApi, user: SignedUp, campaign_id: str, status: str) -> Any:
    return api.patch(
        f"/api/v1/campaigns/{campaign_id}/status", {"status": status}, token=user.token
    )


def test_a_created_campaign_starts_as_a_draft_with_its_fields(api: LambdaApi) -> None:
    user = sign_up(api)
    campaign = _create(
        api,
        user,
        objective="Sign up 500 trial users",
        audience="Ops managers at logistics firms",
        channels=["linkedin", "email"],
        brand_voice="Plain, warm, no jargon",
        start_date="2026-12-01",
        end_date="2026-12-31",
    )
    assert campaign["status"] == "draft"
    assert campaign["asset_count"] == 0
    assert campaign["channels"] == ["linkedin", "email"]
    assert (campaign["start_date"], campaign["end_date"]) == ("2026-12-01", "2026-12-31")
    fetched = api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token)
    assert fetched.json == campaign


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Dates", "start_date": "2026-12-10", "end_date": "2026-12-01"},
        {"name": "Channel", "channels": ["carrier_pigeon"]},
        {"name": "Twice", "channels": ["email", "email"]},
        {"name": "Extra", "budget": 100},
        {},
    ],
)
def test_invalid_campaigns_answer_422(api: LambdaApi, body: dict[str, Any]) -> None:
    answer = api.post("/api/v1/campaigns", body, token=sign_up(api).token)
    assert (answer.status, answer.error_code) == (422, "validation_error")


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_the_transition_table_in_full(api: LambdaApi, source: str, target: str) -> None:
    # Given a campaign brought to `source` through allowed moves
    user = sign_up(api)
    campaign = _create(api, user)
    for step in PATH_TO[source]:
        assert _move(api, user, campaign["id"], step).status == 200

    # When it is moved to `target`
    answer = _move(api, user, campaign["id"], target)

    # Then API.md's table decides: every allowed move succeeds, every other answers 409 with
    # the current status and what is allowed from it, and changes nothing
    current = api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json
    if target in ALLOWED[source]:
        assert answer.status == 200
        assert (answer.json["id"], answer.json["status"]) == (campaign["id"], target)
        assert current["status"] == target
    else:
        assert (answer.status, answer.error_code) == (409, "conflict")
        error = answer.json["error"]
        assert (error["status"], error["allowed_next"]) == (source, ALLOWED[source])
        assert error["message"] == f"A campaign cannot go from {source} to {target}." + (
            f" Allowed next: {', '.join(ALLOWED[source])}."
            if ALLOWED[source]
            else " Archived is final."
        )
        assert current["status"] == source


def test_archived_is_final(api: LambdaApi) -> None:
    # Given an archived campaign (reached both ways: from draft, and through completed)
    user = sign_up(api)
    for path in (["archived"], ["active", "completed", "archived"]):
        campaign = _create(api, user)
        for step in path:
            assert _move(api, user, campaign["id"], step).status == 200
        # Then no move leaves it, not even to archived again
        for target in STATUSES:
            answer = _move(api, user, campaign["id"], target)
            assert (answer.status, answer.json["error"]["status"]) == (409, "archived"), target
            assert answer.json["error"]["allowed_next"] == []


def test_an_unknown_status_is_a_422(api: LambdaApi) -> None:
    user = sign_up(api)
    campaign = _create(api, user)
    assert _move(api, user, campaign["id"], "launched").status == 422


def _waiting_on_locks(conn: db.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return int(row["n"]) if row else 0


def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_racing_status_changes_apply_once(api: LambdaApi, conn: db.Connection) -> None:
    # Given an active campaign whose row the test holds, and two moves queued on it in a known
    # order: "completed" first, then "paused" (each allowed from active)
    user = sign_up(api)
    campaign = _create(api, user)
    assert _move(api, user, campaign["id"], "active").status == 200
    with db.connect() as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM campaigns WHERE id = %s FOR UPDATE", (campaign["id"],))
        completing = pool.submit(_move, api, user, campaign["id"], "completed")
        _until(lambda: _waiting_on_locks(conn) == 1, "the first move never reached the row")
        pausing = pool.submit(_move, api, user, campaign["id"], "paused")
        _until(lambda: _waiting_on_locks(conn) == 2, "the second move never reached the row")
        # When the row is let go
        holder.execute("COMMIT")
        first, second = completing.result(timeout=30), pausing.result(timeout=30)
    # Then the first move wins, and the second, decided on the row as the first left it, is
    # refused with the status it met (completed cannot be paused)
    assert (first.status, first.json["status"]) == (200, "completed")
    assert (second.status, second.error_code) == (409, "conflict")
    assert (second.json["error"]["status"], second.json["error"]["allowed_next"]) == (
        "completed",
        ["archived"],
    )
    final = api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json
    assert final["status"] == "completed"


def test_lists_filter_by_status_and_page_newest_first(api: LambdaApi) -> None:
    user = sign_up(api)
    made = [_create(api, user, name=f"Campaign {i}") for i in range(5)]
    _move(api, user, made[1]["id"], "active")
    _move(api, user, made[3]["id"], "active")

    names: list[str] = []
    cursor = None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/campaigns", token=user.token, query=query).json
        names += [c["name"] for c in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert names == [f"Campaign {i}" for i in reversed(range(5))]

    active = api.get("/api/v1/campaigns", token=user.token, query={"status": "active"}).json
    assert [c["name"] for c in active["items"]] == ["Campaign 3", "Campaign 1"]
    assert api.get("/api/v1/campaigns", token=user.token, query={"status": "nope"}).status == 422


def test_asset_count_counts_the_campaigns_assets(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    campaign = _create(api, user)
    for title in ("Headline", "Banner"):
        made = api.post(
            "/api/v1/assets",
            {"kind": "text", "title": title, "content": "…", "campaign_id": campaign["id"]},
            token=user.token,
        )
        assert made.status == 201
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json["asset_count"] == 2


def test_another_users_campaign_is_404_on_every_path(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = _create(api, owner)
    hidden = api.get(f"/api/v1/campaigns/{campaign['id']}", token=stranger.token)
    assert (hidden.status, hidden.json["error"]["message"]) == (404, "Campaign not found.")
    assert _move(api, stranger, campaign["id"], "active").status == 404
    assert api.get("/api/v1/campaigns", token=stranger.token).json["items"] == []
    assert api.get(f"/api/v1/campaigns/{uuid.uuid4()}", token=owner.token).status == 404
    assert api.get("/api/v1/campaigns/not-a-uuid", token=owner.token).status == 422
    # The owner's campaign is untouched.
    assert (
        api.get(f"/api/v1/campaigns/{campaign['id']}", token=owner.token).json["status"] == "draft"
    )


def test_sam_local_events(api: LambdaApi) -> None:
    user = sign_up(api)
    route, _ = api.route("POST", "/api/v1/campaigns")
    created = api.invoke(route, load_event("campaigns/create.json", access_token=user.token))
    assert created.status == 201
    route, _ = api.route("PATCH", f"/api/v1/campaigns/{created.json['id']}/status")
    event = load_event(
        "campaigns/set_status.json", access_token=user.token, campaign_id=created.json["id"]
    )
    assert api.invoke(route, event).json["status"] == "active"
    route, _ = api.route("PATCH", f"/api/v1/campaigns/{created.json['id']}")
    event = load_event(
        "campaigns/edit.json", access_token=user.token, campaign_id=created.json["id"]
    )
    assert api.invoke(route, event).json["name"] == "Spring launch (EU)"


# --- editing a campaign's details ------------------------------------------------------------


def _edit(api: LambdaApi, user: SignedUp, campaign_id: str, body: dict[str, Any]) -> Any:
    return api.patch(f"/api/v1/campaigns/{campaign_id}", body, token=user.token)


def test_an_edit_changes_the_fields_sent_and_keeps_the_rest(api: LambdaApi) -> None:
    user = sign_up(api)
    campaign = _create(
        api, user, objective="Trials", audience="Ops managers", channels=["email"],
        brand_voice="Plain", start_date="2026-12-01", end_date="2026-12-31",
    )  # fmt: skip
    _move(api, user, campaign["id"], "active")
    answer = _edit(
        api, user, campaign["id"], {"name": "Spring launch, fixed", "audience": None,
                                    "channels": ["email", "sms"], "end_date": "2027-01-15"},
    )  # fmt: skip
    assert answer.status == 200, answer.body
    edited = answer.json
    assert (edited["name"], edited["audience"], edited["channels"]) == (
        "Spring launch, fixed", None, ["email", "sms"]
    )  # fmt: skip
    assert (edited["objective"], edited["brand_voice"], edited["status"]) == (
        "Trials", "Plain", "active"
    )  # fmt: skip
    assert (edited["start_date"], edited["end_date"]) == ("2026-12-01", "2027-01-15")
    assert edited["updated_at"] > campaign["updated_at"]
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json == edited


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": None},
        {"name": "x" * 201},
        {"channels": None},
        {"channels": ["email", "email"]},
        {"channels": ["carrier-pigeon"]},
        {"status": "active"},  # the status has its own route
        {"start_date": "2027-02-01", "end_date": "2027-01-01"},
        {"end_date": "2026-11-30"},  # before the stored start
        {"start_date": "2027-01-01"},  # after the stored end
    ],
)
def test_an_invalid_edit_is_a_422_and_changes_nothing(api: LambdaApi, body: dict[str, Any]) -> None:
    user = sign_up(api)
    campaign = _create(api, user, start_date="2026-12-01", end_date="2026-12-31")
    answer = _edit(api, user, campaign["id"], body)
    assert (answer.status, answer.error_code) == (422, "validation_error"), answer.body
    assert answer.json["error"]["details"]
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json == campaign


def test_an_archived_campaign_cannot_be_edited_and_a_strangers_is_404(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = _create(api, owner)
    assert _edit(api, stranger, campaign["id"], {"name": "Mine now"}).status == 404
    assert _edit(api, owner, str(uuid.uuid4()), {"name": "Nobody's"}).status == 404
    _move(api, owner, campaign["id"], "archived")
    refused = _edit(api, owner, campaign["id"], {"name": "Renamed"})
    assert (refused.status, refused.error_code) == (409, "conflict")
    shown = api.get(f"/api/v1/campaigns/{campaign['id']}", token=owner.token).json
    assert (shown["name"], shown["status"]) == ("Spring launch", "archived")
