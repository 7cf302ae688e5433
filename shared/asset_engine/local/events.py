"""Ready-to-invoke events: tests/events/ with their `{{placeholders}}` filled by real things.

`asset-engine event <function> <name>` prints one (for `sam local invoke -e`), or with
`--invoke` runs it through the function's real handler in this process (`make invoke`). The
access token is minted for a real user of the database (signed in as `sam-local@example.com`),
and the ids are of a campaign and an asset created for that user by the domain code, so every
event answers as it would for a real caller.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asset_engine.local.lambda_runtime import LambdaContext, invoke_handler
from asset_engine.local.template import FunctionSpec, load_functions

EVENTS_DIR = Path("tests") / "events"
# Each event's expected HTTP status when invoked in-process (null: not an HTTP event).
EXPECTED_FILE = "expected.json"
# The `sam local invoke --env-vars` file: local services only.
SAM_ENV_VARS_FILE = "sam-local-env.json"
DEFAULT_EMAIL = "sam-local@example.com"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# Inside sam local's container the host is host.docker.internal; from here it is 127.0.0.1.
_DOCKER_HOST = "host.docker.internal"


@dataclass(frozen=True)
class EventFile:
    function: FunctionSpec
    path: Path

    @property
    def key(self) -> str:
        """`<folder>/<name>.json`, relative to tests/events/."""
        return f"{self.path.parent.name}/{self.path.name}"


def function_folder(function: FunctionSpec) -> str:
    """The events folder of a function: its code folder's name (functions/auth/ -> auth)."""
    return function.code_dir.name


def all_events(root: Path) -> list[EventFile]:
    """Every event under tests/events/, each with the function whose folder it sits in."""
    by_folder = {function_folder(f): f for f in load_functions(root / "template.yaml")}
    found = []
    for path in sorted((root / EVENTS_DIR).glob("*/*.json")):
        function = by_folder.get(path.parent.name)
        if function is None:
            raise LookupError(
                f"{path}: no function in template.yaml has the folder {path.parent.name}"
            )
        found.append(EventFile(function, path))
    return found


def find_event(root: Path, function: str, name: str) -> EventFile:
    """`function` is a logical id (AuthFunction) or a folder (auth); `name` is `health`,
    `health.json` or `auth/health`."""
    folder, _, stem = name.rpartition("/")
    stem = stem.removesuffix(".json")
    for event in all_events(root):
        names = {event.function.logical_id, function_folder(event.function)}
        if function in names and event.path.stem == stem and folder in ("", event.path.parent.name):
            return event
    known = ", ".join(e.key for e in all_events(root))
    raise LookupError(f"no event {function} {name} (known: {known})")


def expected_statuses(root: Path) -> dict[str, int | None]:
    loaded: dict[str, int | None] = json.loads((root / EVENTS_DIR / EXPECTED_FILE).read_text())
    return loaded


@dataclass
class Placeholders:
    """Mints each placeholder's value on first use, once per run."""

    email: str = DEFAULT_EMAIL
    given: Mapping[str, str] = field(default_factory=dict)
    _values: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1)), text)

    def value(self, name: str) -> str:
        if name in self.given:
            return self.given[name]
        if name not in self._values:
            mint = self._minters().get(name)
            if mint is None:
                raise LookupError(f"no value for {{{{{name}}}}}: pass --set {name}=...")
            self._values[name] = mint()
        return self._values[name]

    def _minters(self) -> dict[str, Callable[[], str]]:
        return {
            "access_token": lambda: self._session()[0],
            "user_id": lambda: self._session()[1],
            "campaign_id": self._campaign_id,
            "asset_id": self._asset_id,
            "current_version": self._current_version,
            "job_id": lambda: self._image_job()[0],
            "provider_job_id": lambda: self._image_job()[1],
            "token": self._callback_token,
            # Only Google mints these; a made-up one shows the refusal (pass --set id_token=...).
            "id_token": lambda: "not-a-google-id-token",
        }

    def _session(self) -> tuple[str, str]:
        if "_session" not in self._values:
            from asset_engine import db
            from asset_engine.auth.logic import sign_in

            with db.connect() as conn:
                session = sign_in(conn, email=self.email, name="Sam Local")
            self._values["_session"] = json.dumps([session.access_token, str(session.user.id)])
        token, user_id = json.loads(self._values["_session"])
        return str(token), str(user_id)

    def _campaign_id(self) -> str:
        from asset_engine import db
        from asset_engine.campaigns.logic import create_campaign
        from asset_engine.campaigns.schemas import CampaignCreate

        user_id = uuid.UUID(self.value("user_id"))
        with db.connect() as conn:
            campaign = create_campaign(
                conn, user_id=user_id, body=CampaignCreate(name="Spring sale (sam local invoke)")
            )
        return str(campaign.id)

    def _current_version(self) -> str:
        """The version {{asset_id}}'s asset is at (for If-Match)."""
        self.value("asset_id")
        return "2"

    def _asset_id(self) -> str:
        """A text asset at version 2, so an undo, an edit and the versions all have work."""
        from asset_engine import db
        from asset_engine.assets.logic import append_version, create_asset

        user_id = uuid.UUID(self.value("user_id"))
        with db.connect() as conn:
            asset = create_asset(
                conn, user_id=user_id, kind="text", title="Linen shirts", content="First draft."
            )
            append_version(
                conn, user_id=user_id, asset_id=asset.id, source="manual", content="Second draft."
            )
        return str(asset.id)

    def _image_job(self) -> tuple[str, str]:
        """An image job of the user's, through generate-image as the ai function runs it."""
        if "_image_job" not in self._values:
            from asset_engine import db
            from asset_engine.images import jobs
            from asset_engine.images.logic import generate_image
            from asset_engine.images.schemas import GenerateImageRequest

            answer = generate_image(
                user_id=uuid.UUID(self.value("user_id")),
                body=GenerateImageRequest(
                    prompt="Linen shirts on a terrace", width=512, height=512
                ),
                idempotency_key=None,
                callback_base="http://127.0.0.1:3001",
            )
            job_id = uuid.UUID(str(answer.body["job"]["id"]))
            with db.connect() as conn:
                job = jobs.get(conn, job_id=job_id)
            provider_job_id = (job and job.provider_job_id) or f"local-{job_id}"
            self._values["_image_job"] = json.dumps([str(job_id), provider_job_id])
        job_id, provider_job_id = json.loads(self._values["_image_job"])
        return str(job_id), str(provider_job_id)

    def _callback_token(self) -> str:
        from asset_engine.images.callback_tokens import mint

        return mint(uuid.UUID(self.value("job_id")))


def ready_event(event: EventFile, placeholders: Placeholders) -> dict[str, Any]:
    filled: dict[str, Any] = json.loads(placeholders.fill(event.path.read_text()))
    return filled


def invoke(event: EventFile, payload: dict[str, Any]) -> dict[str, Any]:
    """The function's real handler, called once as Lambda would, in this process."""
    function = event.function
    context = LambdaContext(
        function_name=function.logical_id,
        memory_limit_in_mb=function.memory_mb,
        timeout_s=function.timeout_s,
    )
    return invoke_handler(function.load_handler(), payload, context)


def apply_sam_env_vars(path: Path, function: FunctionSpec) -> None:
    """Take the settings `sam local invoke --env-vars` gives the container, so the token and
    ids minted here are valid there (same database, same signing secret)."""
    document = json.loads(path.read_text())
    values = {**document.get("Parameters", {}), **document.get(function.logical_id, {})}
    for name, value in values.items():
        os.environ[name] = str(value).replace(_DOCKER_HOST, "127.0.0.1")
    # The container has no SECRET_KEY unless the file gives one: sign as it will verify.
    os.environ.setdefault("SECRET_KEY", "")
