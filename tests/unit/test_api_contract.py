"""functions/API.md, the contract in the repository: its paths are routed in template.yaml, and
it carries everything of the shared contract (../shared/API.md) when that file is beside us."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asset_engine.local.template import load_routes

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "functions" / "API.md"
SHARED = ROOT.parent / "shared" / "API.md"
ROW = re.compile(r"^\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*(/[^\s|?]*)", re.MULTILINE)
NOT_YET = re.compile(r"^- (GET|POST|PATCH|PUT|DELETE) (/\S+)$", re.MULTILINE)


def _documented() -> set[str]:
    return {f"{method} {path}" for method, path in ROW.findall(CONTRACT.read_text())}


def _not_yet_served() -> set[str]:
    text = CONTRACT.read_text()
    section = text.split("### Not yet served", 1)[1] if "### Not yet served" in text else ""
    return {f"{method} {path}" for method, path in NOT_YET.findall(section)}


def test_every_documented_path_is_routed_unless_listed_as_not_yet_served() -> None:
    routed = {route.route_key for route in load_routes(ROOT / "template.yaml")}
    documented = _documented()
    not_yet = _not_yet_served()
    assert documented, "no routes found in functions/API.md"
    assert not_yet <= documented
    assert documented - not_yet <= routed, (
        f"documented, not routed: {documented - not_yet - routed}"
    )
    # A route that lands leaves the list.
    assert not (not_yet & routed), f"routed now, still listed as not yet served: {not_yet & routed}"


def test_health_paths_of_every_function_are_routed() -> None:
    routed = {route.route_key for route in load_routes(ROOT / "template.yaml")}
    services = re.search(r"service =\s*(.+?)\)", CONTRACT.read_text(), re.DOTALL)
    assert services
    for service in re.findall(r"`(\w+)`", services.group(1)):
        assert f"GET /api/v1/health/{service}" in routed


@pytest.mark.skipif(not SHARED.is_file(), reason="no ../shared/API.md beside the project")
def test_everything_of_the_shared_contract_is_in_the_repository() -> None:
    ours = set(CONTRACT.read_text().splitlines())
    missing = [
        line for line in SHARED.read_text().splitlines() if line.strip() and line not in ours
    ]
    assert not missing, "functions/API.md lacks, from ../shared/API.md:\n" + "\n".join(missing)
