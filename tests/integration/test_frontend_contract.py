"""The frontend's types (`frontend/lib/types.ts`) name exactly the fields the functions serve.

Each TypeScript interface is compared with the schema of the same shape in the OpenAPI document
its function serves, so a field renamed or added on either side fails here, not in a browser.
"""

from __future__ import annotations

import re

import pytest

from tests.support.lambda_api import PROJECT_ROOT, LambdaApi

TYPES_TS = PROJECT_ROOT / "frontend" / "lib" / "types.ts"

# TypeScript interface -> (service whose OpenAPI holds it, schema name there)
SAME_SHAPE = {
    "User": ("auth", "UserPublic"),
    "Session": ("auth", "SessionPublic"),
    "GoogleSignIn": ("auth", "GoogleSignIn"),
    "DevTokenRequest": ("auth", "DevTokenRequest"),
    "Balance": ("billing", "BalancePublic"),
    "LedgerEntry": ("billing", "LedgerEntry"),
    "UsageDay": ("billing", "UsageDay"),
    "UsageTotals": ("billing", "UsageTotals"),
    "UsageSummary": ("billing", "UsageSummary"),
    "Campaign": ("campaigns", "CampaignPublic"),
    "CampaignCreate": ("campaigns", "CampaignCreate"),
    "StatusChange": ("campaigns", "StatusChange"),
    "Asset": ("assets", "AssetPublic"),
    "AssetVersion": ("assets", "AssetVersionPublic"),
    "VersionHistory": ("assets", "VersionHistory"),
    "AssetCreate": ("assets", "AssetCreate"),
    "AssetUpdate": ("assets", "AssetUpdate"),
    "GenerateTextRequest": ("ai", "GenerateTextRequest"),
    "GenerateTextResult": ("ai", "GenerateTextResponse"),
    "SuggestionsRequest": ("ai", "SuggestionsRequest"),
    "SuggestionsResult": ("ai", "SuggestionsResponse"),
    "RefineRequest": ("ai", "RefineRequest"),
    "RegenerateRequest": ("ai", "RegenerateRequest"),
    "AiAssetResult": ("ai", "AiAssetResponse"),
    "GenerateImageRequest": ("ai", "GenerateImageRequest"),
    "Job": ("ai", "JobPublic"),
    "JobProgress": ("ai", "JobProgress"),
    "ImageJobAccepted": ("ai", "ImageJobAccepted"),
    "Prices": ("billing", "Prices"),
    "CreditPack": ("billing", "PackPublic"),
    "CheckoutRequest": ("billing", "CheckoutCreate"),
    "CheckoutSession": ("billing", "CheckoutSession"),
    "ChannelInfo": ("campaigns", "ChannelPublic"),
    "AssetLimit": ("campaigns", "AssetLimit"),
    "ApiErrorBody": ("auth", "ErrorEnvelope"),
    "ApiErrorDetail": ("auth", "ErrorBody"),
    "ValidationIssue": ("auth", "ValidationIssue"),
}


def _interfaces(source: str) -> dict[str, set[str]]:
    """`export interface Name [extends Base] { field: type; ... }` -> {Name: {field, ...}}."""
    own, bases = {}, {}
    pattern = r"^export interface (\w+)(?:<[^>]*>)?(?: extends (\w+))?\s*\{(.*?)\n\}"
    for match in re.finditer(pattern, source, re.S | re.M):
        name, base, body = match.groups()
        own[name] = set(re.findall(r"^\s+(\w+)\??:", body, re.M))
        bases[name] = base
    return {name: own[name] | own.get(bases[name] or "", set()) for name in own}


@pytest.fixture(scope="module")
def schemas(api: LambdaApi) -> dict[str, dict[str, set[str]]]:
    by_service = {}
    for service in sorted({service for service, _ in SAME_SHAPE.values()}):
        document = api.get(f"/api/v1/openapi/{service}.json").json
        by_service[service] = {
            name: set(schema.get("properties", {}))
            for name, schema in document["components"]["schemas"].items()
        }
    return by_service


@pytest.mark.parametrize("interface", sorted(SAME_SHAPE))
def test_the_frontend_type_has_the_fields_the_function_serves(
    interface: str, schemas: dict[str, dict[str, set[str]]]
) -> None:
    service, schema = SAME_SHAPE[interface]
    frontend = _interfaces(TYPES_TS.read_text())
    assert interface in frontend, f"frontend/lib/types.ts has no interface {interface}"
    assert frontend[interface] == schemas[service][schema]


def test_the_channels_the_frontend_reads_are_those_a_campaign_accepts(api: LambdaApi) -> None:
    # The frontend lists channels from GET /api/v1/channels (lib/channels.ts), not a copy.
    document = api.get("/api/v1/openapi/campaigns.json").json
    accepted = document["components"]["schemas"]["CampaignCreate"]["properties"]["channels"]
    session = api.post("/api/v1/dev-token", {"email": "channels@example.com"}).json
    served = api.get("/api/v1/channels", token=session["access_token"]).json
    assert [channel["id"] for channel in served] == accepted["items"]["enum"]


def test_the_frontend_keeps_no_copy_of_the_channel_table() -> None:
    lib = PROJECT_ROOT / "frontend" / "lib"
    assert "export const CHANNELS" not in TYPES_TS.read_text()
    assert "CHANNEL_LABELS" not in (lib / "format.ts").read_text()
    assert "listChannels()" in (lib / "channels.ts").read_text()


def test_every_shape_the_frontend_declares_is_checked() -> None:
    # Interfaces that are not API schemas (local compositions) are named here on purpose.
    local_only = {"Page"}
    declared = set(_interfaces(TYPES_TS.read_text()))
    assert declared - local_only == set(SAME_SHAPE)
