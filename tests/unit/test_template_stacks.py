"""template.yaml as CloudFormation gets it (translated by SAM's own translator): stacks of one
account never share a name; the runtime is one everywhere; nothing secret in the template;
every function logged, traced without payloads, and watched."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = "python3.12"

# Names that are unique per account and region, by resource type (after translation).
ACCOUNT_WIDE_NAMES = {
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::Events::Rule": "Name",
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Scheduler::ScheduleGroup": "Name",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
}
PER_STACK = re.compile(r"\$\{(AWS::StackName|EnvName)\}")
SECRET_NAMES = (
    "SECRET_KEY",
    "DEEPSEEK_API_KEY",
    "UPSTASH_REDIS_REST_TOKEN",
    "RUNPOD_API_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "DEV_SIGN_IN_CODE",
)


@cache
def translated() -> dict[str, Any]:
    from samcli.yamlhelper import yaml_parse
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    template = yaml_parse((ROOT / "template.yaml").read_text())
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if key in props:
                props[key] = "s3://bucket/key"  # what sam package leaves there
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"}):
        result: dict[str, Any] = transform(template, {}, NoManagedPolicies())
    return result


@cache
def source() -> dict[str, Any]:
    from samcli.yamlhelper import yaml_parse

    parsed: dict[str, Any] = yaml_parse((ROOT / "template.yaml").read_text())
    return parsed


def _functions() -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in source()["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def test_no_account_wide_name_is_fixed() -> None:
    # Two stacks in one account (staging and a preview) must not want the same name.
    fixed = []
    for logical_id, resource in translated()["Resources"].items():
        prop = ACCOUNT_WIDE_NAMES.get(resource["Type"])
        value = (resource.get("Properties") or {}).get(prop) if prop else None
        if value is not None and not PER_STACK.search(json.dumps(value)):
            fixed.append(f"{logical_id}.{prop} = {value}")
    assert not fixed, "names two stacks would share: " + "; ".join(fixed)


def test_the_sweeper_schedule_is_named_by_cloudformation() -> None:
    rules = [
        r
        for r in translated()["Resources"].values()
        if r["Type"] in ("AWS::Events::Rule", "AWS::Scheduler::Schedule")
    ]
    assert rules and all("Name" not in r["Properties"] for r in rules)


def test_one_runtime_and_architecture_everywhere() -> None:
    globals_ = source()["Globals"]["Function"]
    assert globals_["Runtime"] == RUNTIME and globals_["Architectures"] == ["arm64"]
    assert "cfn-lint" not in json.dumps(source().get("Metadata", {}))  # no silenced checks
    for name in ("DependenciesLayer", "SharedLayer"):
        layer = source()["Resources"][name]
        assert layer["Properties"]["CompatibleRuntimes"] == [RUNTIME]
        assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
        assert layer["Metadata"]["BuildArchitecture"] == "arm64"
    runtime_mk = (ROOT / "layers/runtime.mk").read_text()
    assert f"PYTHON_VERSION := {RUNTIME.removeprefix('python')}" in runtime_mk
    for layer in ("dependencies", "shared"):
        makefile = (ROOT / "layers" / layer / "Makefile").read_text()
        assert "include $(dir $(lastword $(MAKEFILE_LIST)))../runtime.mk" in makefile
        assert "$(call compile-bytecode,$(ARTIFACTS_DIR)/python)" in makefile
    assert "aarch64" in (ROOT / "layers/dependencies/Makefile").read_text()
    # CI tests and builds with the runtime's Python.
    for workflow in ("ci.yml", "deploy.yml"):
        text = (ROOT / ".github/workflows" / workflow).read_text()
        versions = re.findall(r'python-version: "([\d.]+)"', text)
        assert versions and set(versions) == {RUNTIME.removeprefix("python")}, workflow


def test_no_secret_in_the_template_or_samconfig() -> None:
    variables = source()["Globals"]["Function"]["Environment"]["Variables"]
    for name in SECRET_NAMES:
        assert name not in variables
    assert variables["DATABASE_URL"] == ""  # filled from the secret; declared for sam local
    assert variables["SECRETS_ID"] == {"Fn::Sub": "asset-engine/${EnvName}"}
    assert not any(p.get("NoEcho") for p in source()["Parameters"].values())
    samconfig = tomllib.loads((ROOT / "samconfig.toml").read_text())
    overrides = json.dumps(samconfig)
    for name in ("DatabaseUrl", "SecretKey", "DeepseekApiKey", "RunpodApiKey"):
        assert name not in overrides


def test_each_function_reads_only_its_stacks_secret() -> None:
    for name, function in _functions().items():
        policies = json.dumps(function["Properties"]["Policies"])
        assert "secret:asset-engine/${EnvName}-??????" in policies, name


def test_traces_keep_no_payloads() -> None:
    variables = source()["Globals"]["Function"]["Environment"]["Variables"]
    assert source()["Globals"]["Function"]["Tracing"] == "Active"
    assert variables["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert variables["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false"


def test_benchmarks_run_with_the_deployed_powertools_settings() -> None:
    from asset_engine.local.template import powertools_settings

    settings = powertools_settings(ROOT / "template.yaml", "BillingFunction")
    assert settings["POWERTOOLS_TRACE_DISABLED"] == "false"
    assert settings["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert settings["POWERTOOLS_LOG_LEVEL"] == source()["Parameters"]["LogLevel"]["Default"]
    assert settings["POWERTOOLS_SERVICE_NAME"] == "billing"  # the function's own, over Globals'
    assert "POWERTOOLS_SERVICE_NAME" not in powertools_settings(ROOT / "template.yaml")


def test_every_function_logs_to_a_group_with_retention() -> None:
    resources = source()["Resources"]
    for name, function in _functions().items():
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert resources[group]["Type"] == "AWS::Logs::LogGroup", name
        assert resources[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    groups = [r for r in resources.values() if r["Type"] == "AWS::Logs::LogGroup"]
    assert len(groups) == len(_functions())


def test_failures_are_kept_and_watched() -> None:
    resources = source()["Resources"]
    sweeper = resources["SweeperFunction"]["Properties"]
    on_failure = sweeper["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]
    assert on_failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["SweeperFailures", "Arn"]}}
    alarms = {n: r for n, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    api_alarm = json.dumps(alarms["Api5xxRateAlarm"])
    assert '"MetricName": "5xx"' in api_alarm and '"Ref": "HttpApi"' in api_alarm
    assert alarms["AiErrorsAlarm"]["Properties"]["Dimensions"][0]["Value"] == {"Ref": "AiFunction"}
    ai = resources["AiFunction"]["Properties"]
    assert "AiReservedConcurrency" in json.dumps(ai["ReservedConcurrentExecutions"])


def test_cors_origins_come_from_the_stack_parameters() -> None:
    api = source()["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    assert api["AllowOrigins"] == {"Ref": "CorsOrigins"}
    assert "X-Dev-Sign-In-Code" in api["AllowHeaders"]
    variables = source()["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["CORS_ORIGINS"] == {"Fn::Join": [",", {"Ref": "CorsOrigins"}]}


BUILD = ROOT / ".aws-sam" / "build"


@pytest.mark.skipif(
    not (BUILD / "template.yaml").is_file(), reason="no sam build yet (make test runs it first)"
)
def test_the_built_layers_are_arm64_and_carry_only_what_lambda_lacks() -> None:
    deps = BUILD / "DependenciesLayer" / "python"
    names = {p.name for p in deps.iterdir()}
    for provided in ("boto3", "botocore", "s3transfer"):
        assert provided not in names  # the runtime has them
    extensions = list(deps.glob("**/*.so"))
    assert any("psycopg_binary" in str(p) for p in extensions)
    assert any("pydantic_core" in str(p) for p in extensions)
    for extension in extensions:
        header = extension.read_bytes()[:20]
        assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == 183, (
            f"{extension} is not aarch64"  # e_machine 183: EM_AARCH64
        )
        assert "cpython-311" not in extension.name and "x86_64" not in extension.name
    shared = BUILD / "SharedLayer" / "python" / "asset_engine"
    assert (shared / "config.py").is_file()
    assert not (shared / "local").exists() and not (shared / "cli.py").exists()
    if _runtime_python_here():
        for layer in (deps, shared):
            _assert_bytecode_for_the_runtime(layer)
    built = yaml.safe_load((BUILD / "template.yaml").read_text().replace("!", ""))
    assert built["Globals"]["Function"]["Runtime"] == RUNTIME


def _runtime_python_here() -> bool:
    """Whether layers/runtime.mk finds the runtime's Python on this machine (asked of make
    itself, so the test and the build look in the same places)."""
    found = subprocess.run(
        ["make", "-s", "-f", "layers/runtime.mk", "--eval", "runtime: ; @echo $(PYTHON_RUNTIME)",
         "runtime"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return bool(found.stdout.strip())


def _assert_bytecode_for_the_runtime(folder: Path) -> None:
    """Every module has a .pyc for the runtime's Python that is used without checking the source
    (Lambda's /opt is read-only: without it each cold start compiles the module again)."""
    tag = "cpython-" + RUNTIME.removeprefix("python").replace(".", "")
    sources = list(folder.rglob("*.py"))
    assert sources
    for source in sources:
        compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        assert compiled.is_file(), f"{source} has no {tag} bytecode"
        flags = int.from_bytes(compiled.read_bytes()[4:8], "little")
        assert flags == 0b01, f"{compiled} is not unchecked-hash bytecode"  # PEP 552
