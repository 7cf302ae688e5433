"""The assets function through its real handler: versions, undo/redo, ownership."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from asset_engine import db
from asset_engine.assets import logic as asset_logic
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi, load_event


def _create(api: LambdaApi, user: SignedUp, **fields: Any) -> dict[str, Any]:
    body = {"kind": "text", "title": "Hero headline", "content": "v1 copy", **fields}
    answer = api.post("/api/v1/assets", body, token=user.token)
    assert answer.status == 201, answer.body
    return dict(answer.json)


def _edit(api: LambdaApi, user: SignedUp, asset_id: str, **fields: Any) -> Answer:
    headers = {"If-Match": str(fields.pop("if_match"))} if "if_match" in fields else None
    return api.patch(f"/api/v1/assets/{asset_id}", fields, token=user.token, headers=headers)


def _step(api: LambdaApi, user: SignedUp, asset_id: str, action: str) -> Answer:
    return api.post(f"/api/v1/assets/{asset_id}/{action}", token=user.token)


def test_a_new_asset_is_at_version_1(api: LambdaApi) -> None:
    user = sign_up(api)
    asset = _create(api, user, metadata={"channel": "email"})
    assert (asset["current_version"], asset["latest_version"]) == (1, 1)
    assert (asset["content"], asset["status"], asset["kind"]) == ("v1 copy", "ready", "text")
    assert asset["metadata"] == {"channel": "email"}
    assert asset["storage_url"] is None
    history = api.get(f"/api/v1/assets/{asset['id']}/versions", token=user.token).json
    assert history["current_version"] == 1
    assert [(v["version"], v["source"], v["content"]) for v in history["items"]] == [
        (1, "manual", "v1 copy")
    ]


def test_edit_undo_redo_walk(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]

    edited = _edit(api, user, asset_id, content="v2 copy", title="Sharper headline")
    assert (edited.status, edited.json["current_version"], edited.json["latest_version"]) == (
        200,
        2,
        2,
    )

    undone = _step(api, user, asset_id, "undo").json
    assert (undone["current_version"], undone["latest_version"]) == (1, 2)
    assert (undone["content"], undone["title"]) == ("v1 copy", "Hero headline")

    redone = _step(api, user, asset_id, "redo").json
    assert (redone["current_version"], redone["content"], redone["title"]) == (
        2,
        "v2 copy",
        "Sharper headline",
    )


def test_undo_at_the_first_and_redo_at_the_latest_answer_409(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    first = _step(api, user, asset_id, "undo")
    assert (first.status, first.error_code) == (409, "conflict")
    latest = _step(api, user, asset_id, "redo")
    assert (latest.status, latest.error_code) == (409, "conflict")
    assert api.get(f"/api/v1/assets/{asset_id}", token=user.token).json["current_version"] == 1


def test_an_edit_after_undo_appends_and_kills_redo(api: LambdaApi) -> None:
    # Given versions 1..3 and the pointer moved back to 1
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    _edit(api, user, asset_id, content="v2")
    _edit(api, user, asset_id, content="v3")
    _step(api, user, asset_id, "undo")
    _step(api, user, asset_id, "undo")

    # When the user edits from version 1
    edited = _edit(api, user, asset_id, content="v4 from v1").json

    # Then a fourth version is appended as the latest, history intact, and redo is refused
    assert (edited["current_version"], edited["latest_version"], edited["content"]) == (
        4,
        4,
        "v4 from v1",
    )
    history = api.get(f"/api/v1/assets/{asset_id}/versions", token=user.token).json
    assert [v["content"] for v in history["items"]] == ["v4 from v1", "v3", "v2", "v1 copy"]
    assert _step(api, user, asset_id, "redo").status == 409


def test_if_match_guards_against_stale_edits(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    assert _edit(api, user, asset_id, content="v2", if_match=1).status == 200
    stale = _edit(api, user, asset_id, content="lost?", if_match=1)
    assert (stale.status, stale.error_code) == (409, "conflict")
    assert stale.json["error"]["current_version"] == 2
    assert _edit(api, user, asset_id, content="v3", if_match='"2"').json["current_version"] == 3
    assert _edit(api, user, asset_id, content="x", if_match="banana").status == 422
    assert api.get(f"/api/v1/assets/{asset_id}", token=user.token).json["latest_version"] == 3


def test_concurrent_edits_all_land_as_consecutive_versions(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(
            pool.map(lambda i: _edit(api, user, asset_id, content=f"edit {i}"), range(10))
        )
    assert {a.status for a in answers} == {200}
    history = api.get(f"/api/v1/assets/{asset_id}/versions", token=user.token).json
    assert [v["version"] for v in history["items"]] == list(range(11, 0, -1))
    assert sorted(v["content"] for v in history["items"][:10]) == sorted(
        f"edit {i}" for i in range(10)
    )
    assert history["current_version"] == 11


def test_an_undo_queued_behind_an_edit_steps_back_from_the_edited_version(
    api: LambdaApi, conn: db.Connection
) -> None:
    # Given an asset at version 2 and an edit in flight that holds the row (it will make v3)
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    assert _edit(api, user, asset_id, content="v2 copy").status == 200
    with ThreadPoolExecutor(max_workers=1) as pool:
        with conn.transaction():
            asset_logic.append_version(
                conn, user_id=uuid.UUID(user.user["id"]), asset_id=uuid.UUID(asset_id),
                source="manual", content="v3 copy",
            )  # fmt: skip
            # When an undo arrives meanwhile (it waits for the row)
            undo = pool.submit(_step, api, user, asset_id, "undo")
            time.sleep(0.5)
            assert not undo.done()
        # Then, once the edit commits, the undo steps back from version 3 to version 2
        answer = undo.result(timeout=10)
    assert answer.status == 200, answer.body
    assert (answer.json["current_version"], answer.json["latest_version"]) == (2, 3)
    assert answer.json["content"] == "v2 copy"


def test_version_rows_cannot_be_rewritten(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
        conn.execute(
            "UPDATE asset_versions SET content = 'rewritten' WHERE asset_id = %s", (asset_id,)
        )


def test_an_edit_needs_something_to_change_and_valid_fields(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    for body in (
        {},
        {"title": ""},
        {"content": "x", "colour": "red"},
        {"metadata": "not an object"},
    ):
        answer = api.patch(f"/api/v1/assets/{asset_id}", body, token=user.token)
        assert (answer.status, answer.error_code) == (422, "validation_error"), body


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "video", "title": "x"},
        {"kind": "text", "title": ""},
        {"kind": "text", "title": "x" * 201},
        {"kind": "text", "title": "x", "owner": "me"},
        {"kind": "text", "title": "x", "metadata": {"blob": "y" * 20_000}},
    ],
)
def test_invalid_assets_answer_422(api: LambdaApi, body: dict[str, Any]) -> None:
    answer = api.post("/api/v1/assets", body, token=sign_up(api).token)
    assert (answer.status, answer.error_code) == (422, "validation_error")


def test_lists_filter_by_campaign_and_kind_and_page(api: LambdaApi) -> None:
    user = sign_up(api)
    campaign = api.post("/api/v1/campaigns", {"name": "Launch"}, token=user.token).json
    for i in range(3):
        _create(api, user, title=f"In campaign {i}", campaign_id=campaign["id"])
    _create(api, user, title="Loose image", kind="image", content=None)

    in_campaign = api.get(
        "/api/v1/assets", token=user.token, query={"campaign_id": campaign["id"]}
    ).json["items"]
    assert [a["title"] for a in in_campaign] == ["In campaign 2", "In campaign 1", "In campaign 0"]
    images = api.get("/api/v1/assets", token=user.token, query={"kind": "image"}).json["items"]
    assert [a["title"] for a in images] == ["Loose image"]

    titles: list[str] = []
    cursor = None
    while True:
        page = api.get(
            "/api/v1/assets",
            token=user.token,
            query={"limit": "3", **({"cursor": cursor} if cursor else {})},
        ).json
        titles += [a["title"] for a in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert titles == ["Loose image", "In campaign 2", "In campaign 1", "In campaign 0"]


def test_an_asset_joins_only_its_owners_campaign(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = api.post("/api/v1/campaigns", {"name": "Mine"}, token=owner.token).json
    answer = api.post(
        "/api/v1/assets",
        {"kind": "text", "title": "Sneaky", "campaign_id": campaign["id"]},
        token=stranger.token,
    )
    assert (answer.status, answer.error_code) == (404, "not_found")
    missing = api.post(
        "/api/v1/assets",
        {"kind": "text", "title": "Lost", "campaign_id": str(uuid.uuid4())},
        token=owner.token,
    )
    assert missing.status == 404


def test_another_users_asset_is_404_on_every_path(api: LambdaApi) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    asset_id = _create(api, owner)["id"]
    _edit(api, owner, asset_id, content="v2")
    for refused in [
        api.get(f"/api/v1/assets/{asset_id}", token=stranger.token),
        _edit(api, stranger, asset_id, content="mine now"),
        api.get(f"/api/v1/assets/{asset_id}/versions", token=stranger.token),
        _step(api, stranger, asset_id, "undo"),
        _step(api, stranger, asset_id, "redo"),
    ]:
        assert (refused.status, refused.error_code) == (404, "not_found")
        assert refused.json["error"]["message"] == "Asset not found."
    assert api.get("/api/v1/assets", token=stranger.token).json["items"] == []
    # And the owner's asset is untouched.
    asset = api.get(f"/api/v1/assets/{asset_id}", token=owner.token).json
    assert (asset["current_version"], asset["latest_version"], asset["content"]) == (2, 2, "v2")


def test_sam_local_events(api: LambdaApi) -> None:
    user = sign_up(api)
    route, _ = api.route("POST", "/api/v1/assets")
    created = api.invoke(route, load_event("assets/create.json", access_token=user.token))
    assert created.status == 201
    asset_id = created.json["id"]
    route, _ = api.route("PATCH", f"/api/v1/assets/{asset_id}")
    edited = api.invoke(
        route,
        load_event(
            "assets/edit.json", access_token=user.token, asset_id=asset_id, current_version="1"
        ),
    )
    assert edited.json["current_version"] == 2
    route, _ = api.route("POST", f"/api/v1/assets/{asset_id}/undo")
    undone = api.invoke(
        route, load_event("assets/undo.json", access_token=user.token, asset_id=asset_id)
    )
    assert undone.json["current_version"] == 1
