"""template.yaml as the local gateway reads it: routes, specificity, and the layer's contents."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from asset_engine.local.template import load_routes

ROOT = Path(__file__).resolve().parents[2]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=]", line.strip())[0].lower() for line in requirements}


def test_every_route_is_served_by_exactly_one_function() -> None:
    routes = load_routes(ROOT / "template.yaml")
    keys = [route.route_key for route in routes]
    assert len(keys) == len(set(keys))
    assert "GET /health" in keys
    for route in routes:
        assert route.function.module_name.startswith("functions.")
        assert (route.function.code_dir / "app.py").is_file()


def test_every_function_answers_its_own_health_path() -> None:
    routes = load_routes(ROOT / "template.yaml")
    functions = {route.function.logical_id for route in routes}
    health = {r.function.logical_id for r in routes if r.path.startswith("/api/v1/health/")}
    assert functions == health


def test_literal_segments_win_over_parameters(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        """
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/fn/
      Handler: app.handler
      Events:
        One: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: "/items/{item_id}", Method: GET}}
        Two: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items/special, Method: GET}}
        Any: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: "/files/{proxy+}", Method: ANY}}
"""
    )
    routes = load_routes(tmp_path / "template.yaml")

    def first(method: str, path: str) -> tuple[str, dict[str, str]] | None:
        for route in routes:
            params = route.match(method, path)
            if params is not None:
                return route.path, params
        return None

    assert first("GET", "/items/special") == ("/items/special", {})
    assert first("GET", "/items/42") == ("/items/{item_id}", {"item_id": "42"})
    assert first("POST", "/items/42") is None
    assert first("DELETE", "/files/a/b.png") == ("/files/{proxy+}", {"proxy": "a/b.png"})


def test_dependency_layer_carries_exactly_the_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    layer = [
        line
        for line in (ROOT / "layers/dependencies/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert _names(layer) == _names(project["dependencies"])
