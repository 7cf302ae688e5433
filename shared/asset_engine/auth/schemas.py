"""Request and response models of the auth function."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from asset_engine.auth.users import User
from asset_engine.schemas import StrictModel, Text


class GoogleSignIn(StrictModel):
    id_token: Text = Field(min_length=1, max_length=8192)


class DevTokenRequest(StrictModel):
    email: EmailStr
    name: Text | None = Field(default=None, max_length=200)


class UserPublic(BaseModel):
    id: uuid.UUID
    email: str
    name: str | None
    avatar_url: str | None
    role: Literal["user", "admin"]
    credits_balance: int
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls.model_validate(user, from_attributes=True)


class SessionPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    user: UserPublic
