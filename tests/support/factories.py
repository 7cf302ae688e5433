"""Small factories that make real things through the real code paths."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.support.lambda_api import LambdaApi


@dataclass(frozen=True)
class SignedUp:
    token: str
    user: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.user["id"])


def unique_email(label: str = "user") -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(api: LambdaApi, email: str | None = None, name: str | None = None) -> SignedUp:
    """A new user through the real sign-up path (the dev token), with the sign-up grant."""
    body: dict[str, Any] = {"email": email or unique_email()}
    if name:
        body["name"] = name
    answer = api.post("/api/v1/dev-token", body)
    assert answer.status == 200, answer.body
    return SignedUp(token=answer.json["access_token"], user=answer.json["user"])
