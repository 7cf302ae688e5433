"""The frontend's API types are the functions' own: `frontend/lib/api-types.ts` is generated from
their OpenAPI (`npm run gen:api`) and must be fresh, and `frontend/lib/types.ts` names those
generated shapes rather than writing its own; the few shapes it does write still match the API.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.lambda_api import PROJECT_ROOT, LambdaApi

FRONTEND = PROJECT_ROOT / "frontend"
TYPES_TS = FRONTEND / "lib" / "types.ts"
API_TYPES_TS = FRONTEND / "lib" / "api-types.ts"


def test_the_generated_api_types_are_fresh(tmp_path: Path) -> None:
    # Given the functions as they are now, when the types are generated again,
    # then they are the committed file byte for byte (else: `cd frontend && npm run gen:api`).
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "openapi-typescript").is_dir():
        pytest.skip(
            "node or frontend/node_modules (openapi-typescript) missing: run `make install`"
        )
    fresh = tmp_path / "api-types.ts"
    subprocess.run(
        [node, str(FRONTEND / "scripts" / "gen-api-types.mjs"), str(fresh)],
        check=True,
        cwd=FRONTEND,
        env={**os.environ, "PYTHON": sys.executable},
        timeout=120,
    )
    assert fresh.read_bytes() == API_TYPES_TS.read_bytes(), (
        "frontend/lib/api-types.ts is stale: run `cd frontend && npm run gen:api` and commit it"
    )


def test_types_ts_writes_no_api_shape_by_hand() -> None:
    # Every API shape is an alias of a generated schema (tsc checks the names); only local
    # compositions are written out.
    source = TYPES_TS.read_text()
    assert set(re.findall(r"^export interface (\w+)", source, re.M)) == {"Page"}
    assert re.findall(r"^export type (\w+) = \{", source, re.M) == []
    assert 'from "./api-types"' in source


def test_the_local_page_type_has_the_fields_of_every_page_the_api_serves(api: LambdaApi) -> None:
    # `Page<T>` in lib/types.ts is generic; the API names one schema per item type.
    pages = {}
    for service in ("campaigns", "assets", "billing"):
        document = api.get(f"/api/v1/openapi/{service}.json").json
        for name, schema in document["components"]["schemas"].items():
            if name.startswith("Page_"):
                pages[name] = set(schema["properties"])
    assert pages
    assert all(fields == {"items", "next_cursor"} for fields in pages.values()), pages


def test_the_sms_segment_sizes_the_frontend_reads_are_those_served(api: LambdaApi) -> None:
    # lib/types.ts narrows ChannelPublic.segments (a map of maps in the OpenAPI) to SmsSegmentSizes.
    session = api.post("/api/v1/dev-token", {"email": "segments@example.com"}).json
    served = api.get("/api/v1/channels", token=session["access_token"]).json
    segments = [channel["segments"] for channel in served if channel.get("segments")]
    assert segments
    for sizes in segments:
        assert set(sizes) == {"gsm7", "ucs2"}
        assert all(set(size) == {"single", "multipart"} for size in sizes.values())


def test_the_channels_the_frontend_reads_are_those_a_campaign_accepts(api: LambdaApi) -> None:
    # The frontend lists channels from GET /api/v1/channels (lib/channels.ts), not a copy.
    document = api.get("/api/v1/openapi/campaigns.json").json
    accepted = document["components"]["schemas"]["CampaignCreate"]["properties"]["channels"]
    session = api.post("/api/v1/dev-token", {"email": "channels@example.com"}).json
    served = api.get("/api/v1/channels", token=session["access_token"]).json
    assert [channel["id"] for channel in served] == accepted["items"]["enum"]


def test_the_frontend_keeps_no_copy_of_the_channel_table() -> None:
    lib = FRONTEND / "lib"
    assert "export const CHANNELS" not in TYPES_TS.read_text()
    assert "CHANNEL_LABELS" not in (lib / "format.ts").read_text()
    assert "listChannels()" in (lib / "channels.ts").read_text()
