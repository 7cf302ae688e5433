"""The campaigns function through its real handler: create, list, get, and the status lifecycle."""

from __future__ import annotations

import itertools
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asset_engine import db
from asset_engine.campaigns.logic import TRANSITIONS
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import LambdaApi, load_event

STATUSES = list(TRANSITIONS)
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

    # Then API.md's table decides, and a refusal names what is allowed and changes nothing
    if target in TRANSITIONS[source]:
        assert answer.status == 200
        assert answer.json["status"] == target
    else:
        assert (answer.status, answer.error_code) == (409, "conflict")
        assert answer.json["error"]["allowed_next"] == list(TRANSITIONS[source])
        current = api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json
        assert current["status"] == source


def test_an_unknown_status_is_a_422(api: LambdaApi) -> None:
    user = sign_up(api)
    campaign = _create(api, user)
    assert _move(api, user, campaign["id"], "launched").status == 422


def test_racing_status_changes_apply_once(api: LambdaApi) -> None:
    # From active, both "paused" and "completed" are allowed; only one may win the race.
    user = sign_up(api)
    campaign = _create(api, user)
    _move(api, user, campaign["id"], "active")
    targets = ["paused", "completed"] * 5
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda t: _move(api, user, campaign["id"], t), targets))
    winners = [a for a in answers if a.status == 200]
    final = api.get(f"/api/v1/campaigns/{campaign['id']}", token=user.token).json["status"]
    assert {a.status for a in answers} <= {200, 409}
    # Each winner moved from the state the one before left: active -> paused, active ->
    # completed, or active -> paused -> completed (paused -> completed is itself allowed).
    moves = sorted(w.json["status"] for w in winners)
    assert moves in (["paused"], ["completed"], ["completed", "paused"])
    # And no win is lost: the campaign is where the last legal move put it.
    assert final == ("completed" if "completed" in moves else "paused")
    losers = [a for a in answers if a.status == 409]
    assert all(a.error_code == "conflict" for a in losers)


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
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", token=stranger.token).status == 404
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
