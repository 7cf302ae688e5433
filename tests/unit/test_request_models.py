"""Every request model takes its input through the shared types of asset_engine.schemas.

A new field typed plain `str`, `int` or `dict` would let NUL, lone surrogates, `1.0`, `true`
or a 10 000-level object reach the database; this finds it by looking at the models.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import AfterValidator, BeforeValidator, Strict, ValidationError

import asset_engine
from asset_engine.schemas import StrictModel, _small_json_object, _storable_text


def _request_models() -> list[type[StrictModel]]:
    for module in pkgutil.walk_packages(asset_engine.__path__, "asset_engine."):
        if module.name.endswith(".schemas"):
            importlib.import_module(module.name)
    found: list[type[StrictModel]] = []
    pending = list(StrictModel.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return sorted(found, key=lambda m: m.__name__)


def _problems(annotation: Any, metadata: list[Any]) -> list[str]:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *inner = get_args(annotation)
        return _problems(base, [*metadata, *inner])
    if origin in (Union, types.UnionType):
        return [p for arg in get_args(annotation) for p in _problems(arg, [])]
    if origin is Literal or annotation is type(None):
        return []
    if annotation is str:
        ok = any(isinstance(m, AfterValidator) and m.func is _storable_text for m in metadata)
        return [] if ok else ["str: use asset_engine.schemas.Text"]
    if annotation is int:
        return [] if any(isinstance(m, Strict) and m.strict for m in metadata) else ["int: Int32"]
    if annotation is dict or origin is dict:
        ok = any(isinstance(m, BeforeValidator) and m.func is _small_json_object for m in metadata)
        return [] if ok else ["dict: use JsonObject"]
    if origin is list:
        return [p for arg in get_args(annotation) for p in _problems(arg, [])]
    return []  # uuid, date, EmailStr, bool: parsed into types that hold no free text


MODELS = _request_models()


def test_every_area_has_request_models() -> None:
    names = {model.__name__ for model in MODELS}
    assert {"CreditsDeduct", "CampaignCreate", "AssetCreate", "GenerateTextRequest"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_uses_the_shared_input_types(model: type[StrictModel]) -> None:
    problems = {
        name: found
        for name, field in model.model_fields.items()
        if (found := _problems(field.annotation, list(field.metadata)))
    }
    assert not problems, problems


@pytest.mark.parametrize(
    "value", ["a\x00b", "\ud800", "x" * 100_001], ids=["nul", "surrogate", "long"]
)
def test_text_refuses_what_postgres_cannot_store(value: str) -> None:
    from asset_engine.billing.schemas import CreditsDeduct

    with pytest.raises(ValidationError):
        CreditsDeduct.model_validate({"amount": 1, "reason": value})
