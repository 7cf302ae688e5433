"""Read `template.yaml` the way the local tooling needs it: functions, their handlers, their
HTTP routes and their schedules."""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from asset_engine.local.lambda_runtime import Handler


class _CloudFormationLoader(yaml.SafeLoader):
    """Accepts CloudFormation's short tags (!Ref, !Sub, ...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return {suffix: value}


_CloudFormationLoader.add_multi_constructor("!", _any_tag)
_import_lock = threading.RLock()


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str  # "module.attribute", relative to code_dir, as Lambda reads it
    timeout_s: int
    memory_mb: int

    @property
    def module_name(self) -> str:
        # functions/auth + app.handler -> functions.auth.app: unique across functions in one process.
        module = self.handler.rsplit(".", 1)[0]
        return ".".join((*self.code_dir.parts[-2:], module))

    def load_handler(self) -> Handler:
        # One import at a time: the module is in sys.modules before its body has run, and a
        # concurrent first invocation must not find it there half made (no `handler` yet).
        with _import_lock:
            module = sys.modules.get(self.module_name) or self._import()
        handler: Handler = getattr(module, self.handler.rsplit(".", 1)[1])
        return handler

    def _import(self) -> ModuleType:
        path = self.code_dir / (self.handler.rsplit(".", 1)[0].replace(".", "/") + ".py")
        spec = importlib.util.spec_from_file_location(self.module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.module_name] = module
        spec.loader.exec_module(module)
        return module


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or "ANY"
    path: str  # as written in the template, e.g. /api/v1/assets/{asset_id}
    function: FunctionSpec
    pattern: re.Pattern[str]
    specificity: tuple[int, ...]  # per segment: literal 0 < {param} 1 < {greedy+} 2

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if self.method not in ("ANY", method.upper()):
            return None
        found = self.pattern.fullmatch(path)
        return None if found is None else found.groupdict()


def _compile(path: str) -> tuple[re.Pattern[str], tuple[int, ...]]:
    parts, rank = [], []
    for segment in path.strip("/").split("/"):
        greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
        param = re.fullmatch(r"\{(\w+)\}", segment)
        if greedy:
            parts.append(f"(?P<{greedy.group(1)}>.+)")
            rank.append(2)
        elif param:
            parts.append(f"(?P<{param.group(1)}>[^/]+)")
            rank.append(1)
        else:
            parts.append(re.escape(segment))
            rank.append(0)
    return re.compile("/" + "/".join(parts)), tuple(rank)


@dataclass(frozen=True)
class Schedule:
    function: FunctionSpec
    every_s: int  # from `rate(N minutes)`


_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_UNIT_S = {"minute": 60, "hour": 3600, "day": 86400}


def _read(template_path: Path) -> dict[str, Any]:
    """The template, its CloudFormation short tags read as plain values."""
    text = template_path.read_text()
    template: dict[str, Any] = yaml.load(text, Loader=_CloudFormationLoader)  # noqa: S506
    return template


def load_functions(template_path: Path) -> list[FunctionSpec]:
    """Every function of the template, whatever calls it."""
    return [function for function, _ in _functions(template_path)]


def _functions(template_path: Path) -> list[tuple[FunctionSpec, dict[str, Any]]]:
    """Each function of the template, with its Events."""
    template = _read(template_path)
    root = template_path.parent
    defaults = (template.get("Globals") or {}).get("Function") or {}
    found = []
    for logical_id, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties") or {}
        function = FunctionSpec(
            logical_id=logical_id,
            code_dir=(root / props["CodeUri"]).resolve(),
            handler=props.get("Handler", defaults.get("Handler", "app.handler")),
            timeout_s=int(props.get("Timeout", defaults.get("Timeout", 29))),
            memory_mb=int(props.get("MemorySize", defaults.get("MemorySize", 512))),
        )
        found.append((function, props.get("Events") or {}))
    return found


def load_routes(template_path: Path) -> list[Route]:
    """Every HttpApi route of every function, most specific first (as API Gateway matches)."""
    routes = []
    for function, events in _functions(template_path):
        for event in events.values():
            if event.get("Type") != "HttpApi":
                continue
            spec = event.get("Properties") or {}
            pattern, rank = _compile(spec["Path"])
            routes.append(
                Route(str(spec.get("Method", "ANY")).upper(), spec["Path"], function, pattern, rank)
            )
    return sorted(routes, key=lambda r: (r.specificity, r.method == "ANY"))


def powertools_settings(template_path: Path, function: str | None = None) -> dict[str, str]:
    """The POWERTOOLS_* variables a deployed function gets (Globals', then `function`'s own),
    a parameter's default in place of its !Ref: what a benchmark sets to measure the deployed
    runtime."""
    template = _read(template_path)
    parameters = template.get("Parameters") or {}
    scopes = [(template.get("Globals") or {}).get("Function") or {}]
    if function is not None:
        scopes.append(template["Resources"][function]["Properties"])
    settings = {}
    for scope in scopes:
        for name, value in ((scope.get("Environment") or {}).get("Variables") or {}).items():
            if not name.startswith("POWERTOOLS_"):
                continue
            if isinstance(value, dict) and "Ref" in value:
                value = parameters[value["Ref"]]["Default"]
            settings[name] = str(value)
    return settings


def load_schedules(template_path: Path) -> list[Schedule]:
    """Every `rate(...)` schedule (Schedule or ScheduleV2 events) of every function."""
    schedules = []
    for function, events in _functions(template_path):
        for event in events.values():
            if event.get("Type") not in ("Schedule", "ScheduleV2"):
                continue
            spec = event.get("Properties") or {}
            expression = str(spec.get("ScheduleExpression") or spec.get("Schedule") or "")
            rate = _RATE.fullmatch(expression)
            if rate is None:
                raise ValueError(f"{function.logical_id}: only rate(...) schedules run locally")
            every_s = int(rate.group(1)) * _UNIT_S[rate.group(2).rstrip("s")]
            schedules.append(Schedule(function, every_s))
    return schedules
