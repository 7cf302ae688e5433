"""An edit starts from the version the pointer is on, keeps what it is not given, and never
makes an unfinished picture look ready."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from asset_engine import db
from asset_engine.assets import assets as asset_rows
from asset_engine.assets import logic as asset_logic
from asset_engine.errors import Conflict, NotFound
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi


def _create(api: LambdaApi, user: SignedUp, **fields: Any) -> dict[str, Any]:
    body = {"kind": "text", "title": "T1", "content": "c1", "metadata": {"m": 1}, **fields}
    answer = api.post("/api/v1/assets", body, token=user.token)
    assert answer.status == 201, answer.body
    return dict(answer.json)


def _edit(api: LambdaApi, user: SignedUp, asset_id: str, **fields: Any) -> Answer:
    return api.patch(f"/api/v1/assets/{asset_id}", fields, token=user.token)


def _undo(api: LambdaApi, user: SignedUp, asset_id: str) -> Answer:
    return api.post(f"/api/v1/assets/{asset_id}/undo", token=user.token)


def _version(api: LambdaApi, user: SignedUp, asset_id: str, number: int) -> dict[str, Any]:
    items = api.get(f"/api/v1/assets/{asset_id}/versions", token=user.token).json["items"]
    return next(dict(v) for v in items if v["version"] == number)


@pytest.fixture
def walked_back(api: LambdaApi) -> tuple[SignedUp, str]:
    """An asset edited to version 2 (new content, title and metadata), then undone to 1."""
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    edited = _edit(api, user, asset_id, content="c2", title="T2", metadata={"m": 2})
    assert edited.status == 200
    undone = _undo(api, user, asset_id).json
    assert (undone["current_version"], undone["title"], undone["metadata"]) == (1, "T1", {"m": 1})
    return user, asset_id


def test_an_edit_after_undo_starts_from_the_current_versions_content(
    api: LambdaApi, walked_back: tuple[SignedUp, str]
) -> None:
    user, asset_id = walked_back
    # When only the title changes
    edited = _edit(api, user, asset_id, title="T3").json
    # Then the content is version 1's (where the pointer was), not the latest's
    assert (edited["current_version"], edited["latest_version"]) == (3, 3)
    assert (edited["content"], edited["title"], edited["metadata"]) == ("c1", "T3", {"m": 1})
    assert _version(api, user, asset_id, 3)["content"] == "c1"


def test_an_edit_keeps_title_and_metadata_unless_given(
    api: LambdaApi, walked_back: tuple[SignedUp, str]
) -> None:
    user, asset_id = walked_back
    edited = _edit(api, user, asset_id, content="c3").json
    assert (edited["content"], edited["title"], edited["metadata"]) == ("c3", "T1", {"m": 1})
    again = _edit(api, user, asset_id, metadata={"m": 4}).json
    assert (again["content"], again["title"], again["metadata"]) == ("c3", "T1", {"m": 4})
    assert again["current_version"] == 4
    # An undo back to version 3 shows version 3's own title and metadata
    undone = _undo(api, user, asset_id).json
    assert (undone["content"], undone["title"], undone["metadata"]) == ("c3", "T1", {"m": 1})


def test_an_edit_records_its_source_and_the_new_version(
    api: LambdaApi, walked_back: tuple[SignedUp, str]
) -> None:
    user, asset_id = walked_back
    _edit(api, user, asset_id, content="c3")
    assert _version(api, user, asset_id, 3)["source"] == "manual"
    history = api.get(f"/api/v1/assets/{asset_id}/versions", token=user.token).json
    assert history["current_version"] == 3
    assert [v["version"] for v in history["items"]] == [3, 2, 1]


@pytest.mark.parametrize("status", ["pending", "failed"])
def test_an_edit_never_marks_an_unfinished_picture_ready(
    api: LambdaApi, conn: db.Connection, status: str
) -> None:
    # Given an image asset whose picture is being painted (pending) or never came (failed)
    user = sign_up(api)
    user_id = uuid.UUID(user.id)
    image = asset_logic.create_pending_image(
        conn, user_id=user_id, title="Hero", campaign_id=None, metadata={"prompt": "a hero"}
    )
    assert (image.status, image.current_version) == ("pending", 0)
    if status == "failed":
        asset_rows.set_status(conn, asset_id=image.id, status="failed")
    # When the marketer renames it
    answer = _edit(api, user, str(image.id), title="Hero, renamed")
    # Then the title changed and the status did not
    assert answer.status == 200, answer.body
    assert (answer.json["title"], answer.json["status"]) == ("Hero, renamed", status)
    assert answer.json["metadata"] == {"prompt": "a hero"}


def test_a_status_given_with_the_new_version_is_set(api: LambdaApi, conn: db.Connection) -> None:
    # What the image job does when its picture arrives: the version and `ready` together
    user = sign_up(api)
    user_id = uuid.UUID(user.id)
    image = asset_logic.create_pending_image(
        conn, user_id=user_id, title="Hero", campaign_id=None, metadata={}
    )
    painted = asset_logic.append_version(
        conn,
        user_id=user_id,
        asset_id=image.id,
        source="ai_generate",
        storage_path="images/hero.png",
        status="ready",
    )
    assert (painted.status, painted.current_version, painted.latest_version) == ("ready", 1, 1)


def test_a_pending_asset_starts_with_no_version(api: LambdaApi, conn: db.Connection) -> None:
    user = sign_up(api)
    image = asset_logic.create_pending_image(
        conn, user_id=uuid.UUID(user.id), title="Hero", campaign_id=None, metadata={}
    )
    history = api.get(f"/api/v1/assets/{image.id}/versions", token=user.token).json
    assert history == {"items": [], "current_version": 0}
    assert (image.latest_version, image.content) == (0, None)


def test_edits_and_moves_of_a_missing_asset_are_not_found(conn: db.Connection) -> None:
    nobody, nothing = uuid.uuid4(), uuid.uuid4()
    with pytest.raises(NotFound, match=r"Asset not found\."):
        asset_logic.append_version(
            conn, user_id=nobody, asset_id=nothing, source="manual", content="x"
        )
    for move in (asset_logic.undo, asset_logic.redo):
        with pytest.raises(NotFound, match=r"Asset not found\."):
            move(conn, user_id=nobody, asset_id=nothing)


def test_undo_and_redo_refusals_say_where_the_pointer_is(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    _edit(api, user, asset_id, content="c2")
    redo = api.post(f"/api/v1/assets/{asset_id}/redo", token=user.token)
    assert (redo.status, redo.error_code) == (409, "conflict")
    assert redo.json["error"]["message"] == "Nothing to redo: the asset is at the latest version."
    assert (redo.json["error"]["current_version"], redo.json["error"]["latest_version"]) == (2, 2)
    assert _undo(api, user, asset_id).status == 200
    first = _undo(api, user, asset_id)
    assert first.json["error"]["message"] == "Nothing to undo: the asset is at the first version."
    assert (first.json["error"]["current_version"], first.json["error"]["latest_version"]) == (1, 2)


def test_a_stale_if_match_names_both_versions(api: LambdaApi) -> None:
    user = sign_up(api)
    asset_id = _create(api, user)["id"]
    _edit(api, user, asset_id, content="c2")
    stale = api.patch(
        f"/api/v1/assets/{asset_id}", {"content": "x"}, token=user.token, headers={"If-Match": "1"}
    )
    assert stale.json["error"]["message"] == (
        "The asset is at version 2, not 1; reload it and try again."
    )
    assert stale.json["error"]["current_version"] == 2


def test_an_asset_in_another_users_campaign_is_refused_before_it_is_written(
    api: LambdaApi, conn: db.Connection
) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = api.post("/api/v1/campaigns", {"name": "Mine"}, token=owner.token).json
    with pytest.raises(NotFound, match=r"^Campaign not found\.$"):
        asset_logic.create_asset(
            conn,
            user_id=uuid.UUID(stranger.id),
            kind="text",
            title="Sneaky",
            campaign_id=uuid.UUID(campaign["id"]),
        )
    mine = asset_logic.create_asset(
        conn,
        user_id=uuid.UUID(owner.id),
        kind="text",
        title="Mine",
        content="c",
        campaign_id=uuid.UUID(campaign["id"]),
        source="ai_generate",
        asset_type="headline",
    )
    assert (str(mine.campaign_id), mine.asset_type, mine.content) == (
        campaign["id"],
        "headline",
        "c",
    )
    history = api.get(f"/api/v1/assets/{mine.id}/versions", token=owner.token).json
    assert [(v["version"], v["source"]) for v in history["items"]] == [(1, "ai_generate")]
    rows = conn.execute("SELECT count(*) AS n FROM assets WHERE user_id = %s", (stranger.id,))
    assert rows.fetchone() == {"n": 0}


def test_conflict_is_the_error_of_a_stale_edit(conn: db.Connection, api: LambdaApi) -> None:
    user = sign_up(api)
    asset = asset_logic.create_asset(
        conn, user_id=uuid.UUID(user.id), kind="text", title="T", content="c"
    )
    with pytest.raises(Conflict):
        asset_logic.append_version(
            conn,
            user_id=uuid.UUID(user.id),
            asset_id=asset.id,
            source="manual",
            content="x",
            expected_version=2,
        )


def test_a_pending_picture_joins_only_its_owners_campaign(
    api: LambdaApi, conn: db.Connection
) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    campaign = api.post("/api/v1/campaigns", {"name": "Mine"}, token=owner.token).json
    with pytest.raises(NotFound, match=r"^Campaign not found\.$"):
        asset_logic.create_pending_image(
            conn, user_id=uuid.UUID(stranger.id), title="Sneaky",
            campaign_id=uuid.UUID(campaign["id"]), metadata={},
        )  # fmt: skip
    mine = asset_logic.create_pending_image(
        conn, user_id=uuid.UUID(owner.id), title="Hero",
        campaign_id=uuid.UUID(campaign["id"]), metadata={"prompt": "a hero"},
    )  # fmt: skip
    assert (str(mine.campaign_id), mine.status, mine.kind) == (campaign["id"], "pending", "image")
    assert (mine.current_version, mine.latest_version, mine.asset_type) == (0, 0, None)
    assert (mine.title, mine.metadata) == ("Hero", {"prompt": "a hero"})


def test_only_the_owner_can_mark_an_asset_pending(api: LambdaApi, conn: db.Connection) -> None:
    owner, stranger = sign_up(api), sign_up(api)
    image = asset_logic.create_asset(
        conn, user_id=uuid.UUID(owner.id), kind="image", title="Hero", storage_path="a/v1.png"
    )
    with pytest.raises(NotFound, match=r"^Asset not found\.$"):
        asset_logic.mark_pending(conn, user_id=uuid.UUID(stranger.id), asset_id=image.id)
    asset_logic.mark_pending(conn, user_id=uuid.UUID(owner.id), asset_id=image.id)
    assert asset_logic.get_asset(conn, user_id=uuid.UUID(owner.id), asset_id=image.id).status == (
        "pending"
    )
