"""Write one OpenAPI document holding every function's paths and schemas to the file named by
the first argument: the input of `npm run gen:api` (scripts/gen-api-types.mjs).

Each `functions/<name>/app.py` is imported as the local gateway imports it
(`asset_engine.local.template.load_functions`) and asked for `app.openapi()`; no server runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def merged_openapi() -> dict[str, Any]:
    # The schemas do not depend on the environment; "test" needs no real secrets.
    os.environ["APP_ENV"] = "test"
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from asset_engine.local.template import load_functions

    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for function in load_functions(ROOT / "template.yaml"):
        function.load_handler()
        app = getattr(sys.modules[function.module_name], "app", None)
        if app is None:  # a scheduled function (the sweeper): no HTTP API
            continue
        document = app.openapi()
        for path, item in document.get("paths", {}).items():
            taken = paths.setdefault(path, {})
            if set(taken) & set(item):
                raise SystemExit(f"{path}: the same method served by two functions")
            taken.update(item)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if schemas.setdefault(name, schema) != schema:
                raise SystemExit(f"schema {name} differs between functions ({function.logical_id})")
    return {
        "openapi": "3.1.0",
        "info": {"title": "asset-engine", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: dump-openapi.py OUTPUT.json")
    Path(sys.argv[1]).write_text(json.dumps(merged_openapi(), indent=2, sort_keys=True) + "\n")
