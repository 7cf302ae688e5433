"""A campaign's export through the campaigns function's real handler: the CSV's rows, the ZIP's
CSV and pictures, owner only, and a refusal (not a broken answer) past one answer's size."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from asset_engine import storage
from asset_engine.campaigns import export
from asset_engine.config import get_settings
from asset_engine.providers.images import reset_image_provider
from asset_engine.providers.text import reset_text_provider
from asset_engine.ratelimit import reset_rate_limiter
from tests.support.factories import SignedUp, sign_up
from tests.support.lambda_api import Answer, LambdaApi


@pytest.fixture(autouse=True)
def offline_providers() -> Iterator[None]:
    """The offline writer and painter, the local folder for files."""

    def forget() -> None:
        get_settings.cache_clear()
        reset_text_provider()
        reset_image_provider()
        storage.reset_storage()
        reset_rate_limiter()

    forget()
    yield
    forget()


@pytest.fixture
def campaign(api: LambdaApi) -> tuple[SignedUp, dict[str, Any]]:
    user = sign_up(api)
    made = api.post(
        "/api/v1/campaigns", {"name": "Été linen — 2026", "channels": ["x"]}, token=user.token
    )
    assert made.status == 201
    return user, made.json


def _fill(api: LambdaApi, user: SignedUp, campaign_id: str) -> dict[str, dict[str, Any]]:
    """A text asset for X, a hand-written one starting like a formula, and a painted image."""
    text = api.post(
        "/api/v1/ai/generate-text",
        {
            "prompt": "30% off linen shirts this weekend",
            "asset_type": "social_post",
            "channel": "x",
            "campaign_id": campaign_id,
        },
        token=user.token,
    ).json["assets"][0]
    manual = api.post(
        "/api/v1/assets",
        {
            "kind": "text",
            "title": "Notes",
            "content": '=1+1, "quoted"\nline',
            "campaign_id": campaign_id,
        },
        token=user.token,
    ).json
    job = api.post(
        "/api/v1/ai/generate-image",
        {
            "prompt": "A linen shirt on a terrace",
            "width": 512,
            "height": 512,
            "campaign_id": campaign_id,
        },
        token=user.token,
    )
    assert job.status == 202, job.body
    image = api.get(f"/api/v1/assets/{job.json['asset_id']}", token=user.token).json
    assert (image["status"], image["current_version"]) == ("ready", 1), image  # painted at once
    return {"text": text, "manual": manual, "image": image}


def _export(api: LambdaApi, user: SignedUp, campaign_id: str, fmt: str) -> Answer:
    return api.get(
        f"/api/v1/campaigns/{campaign_id}/export", token=user.token, query={"format": fmt}
    )


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_asset(
    api: LambdaApi, campaign: tuple[SignedUp, dict[str, Any]]
) -> None:
    user, made = campaign
    assets = _fill(api, user, made["id"])
    answer = _export(api, user, made["id"], "csv")

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="ete-linen-2026-')
    assert answer.headers["content-disposition"].endswith('.csv"')
    rows = {row["id"]: row for row in _rows(answer.body)}
    assert len(rows) == 3
    text = rows[assets["text"]["id"]]
    assert (text["title"], text["channel"], text["kind"], text["version"]) == (
        assets["text"]["title"],
        "x",
        "text",
        "1",
    )
    assert text["content"] == assets["text"]["content"]
    assert text["updated_at"].startswith(assets["text"]["updated_at"][:19])
    # A cell a spreadsheet would run as a formula is shown as text; quotes and lines survive.
    assert rows[assets["manual"]["id"]]["content"] == '\'=1+1, "quoted"\nline'
    image = rows[assets["image"]["id"]]
    assert (image["kind"], image["image_url"]) == ("image", assets["image"]["storage_url"])
    assert image["image_file"].startswith("images/") and image["image_file"].endswith("-v1.png")
    # The default format is CSV.
    assert api.get(f"/api/v1/campaigns/{made['id']}/export", token=user.token).body == answer.body


def test_zip_holds_the_csv_and_every_image(
    api: LambdaApi, campaign: tuple[SignedUp, dict[str, Any]]
) -> None:
    user, made = campaign
    assets = _fill(api, user, made["id"])
    answer = _export(api, user, made["id"], "zip")

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(answer.body))
    rows = _rows(archive.read("assets.csv"))
    assert len(rows) == 3
    image_row = next(r for r in rows if r["id"] == assets["image"]["id"])
    picture = archive.read(image_row["image_file"])
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    assert picture == storage.get_storage().get(
        f"users/{user.id}/assets/{assets['image']['id']}/v1.png"
    )
    assert sorted(archive.namelist()) == sorted(["assets.csv", image_row["image_file"]])


def test_only_the_owner_exports(api: LambdaApi, campaign: tuple[SignedUp, dict[str, Any]]) -> None:
    _, made = campaign
    stranger = sign_up(api)
    for fmt in ("csv", "zip"):
        refused = _export(api, stranger, made["id"], fmt)
        assert (refused.status, refused.error_code) == (404, "not_found")
    bad = _export(api, stranger, made["id"], "pdf")
    assert (bad.status, bad.error_code) == (422, "validation_error")


def test_an_export_over_one_answer_is_refused_as_413(
    api: LambdaApi, campaign: tuple[SignedUp, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    user, made = campaign
    _fill(api, user, made["id"])
    monkeypatch.setattr(export, "MAX_EXPORT_BYTES", 2000)  # the CSV fits; the picture does not
    assert _export(api, user, made["id"], "csv").status == 200
    refused = _export(api, user, made["id"], "zip")
    assert (refused.status, refused.error_code) == (413, "payload_too_large")
    assert "Export it as CSV" in refused.json["error"]["message"]


@pytest.mark.parametrize("page", [2, 3, 5, 8])
def test_an_export_read_a_page_at_a_time_holds_every_asset_once_newest_first(
    api: LambdaApi,
    campaign: tuple[SignedUp, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    page: int,
) -> None:
    # Eight assets in the campaign (three variants written in one statement share their
    # created_at, so a page can end between two of them) and one outside it, read 2, 3, 5 or 8
    # at a time (8: one full page, then an empty one)
    user, made = campaign
    for n in range(5):
        api.post(
            "/api/v1/assets",
            {"kind": "text", "title": f"Note {n}", "content": f"c{n}", "campaign_id": made["id"]},
            token=user.token,
        )
    variants = api.post(
        "/api/v1/ai/generate-text",
        {"prompt": "Linen", "asset_type": "headline", "variants": 3, "campaign_id": made["id"]},
        token=user.token,
    )
    assert variants.status == 201, variants.body
    api.post(
        "/api/v1/assets", {"kind": "text", "title": "Elsewhere", "content": "x"}, token=user.token
    )
    listed = api.get(
        "/api/v1/assets", token=user.token, query={"campaign_id": made["id"], "limit": "100"}
    ).json["items"]
    assert len(listed) == 8
    monkeypatch.setattr(export, "_PAGE", page)

    answer = _export(api, user, made["id"], "csv")

    assert answer.status == 200, answer.body
    assert [row["id"] for row in _rows(answer.body)] == [asset["id"] for asset in listed]
