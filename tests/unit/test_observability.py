"""Logs and metrics as people and CloudWatch read them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aws_lambda_powertools.metrics.provider import cold_start

from asset_engine.observability import metrics


@metrics.log_metrics(capture_cold_start_metric=True)
def _handler(event: dict[str, object], context: object) -> str:
    return "ok"


@pytest.mark.parametrize(("disabled", "printed"), [("true", False), ("false", True)])
def test_the_cold_start_metric_is_printed_only_while_metrics_are_on(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    disabled: str,
    printed: bool,
) -> None:
    # Given a container's first invocation (`asset-engine serve` turns metrics off)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", disabled)
    monkeypatch.setattr(cold_start, "is_cold_start", True)
    # When the handler answers
    assert _handler({}, SimpleNamespace(function_name="AuthFunction")) == "ok"
    # Then the ColdStart EMF line is on stdout only when metrics are on
    assert ('"ColdStart"' in capsys.readouterr().out) is printed
