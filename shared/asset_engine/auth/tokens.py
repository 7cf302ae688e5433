"""Access tokens: HS256 JWTs under SECRET_KEY, algorithm pinned on both sides."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

import jwt

from asset_engine.config import Settings, get_settings
from asset_engine.errors import Unauthorized

ALGORITHM = "HS256"
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
_LEEWAY_S = 10

# Tokens this container has verified, until they expire: a warm container sees the same token
# request after request, and decoding and checking it again costs ~0.2 ms of each. Keyed by
# the whole token (its signature included) and the settings that verified it.
_verified: dict[tuple[str, str, str, str], tuple[AccessClaims, float]] = {}
_VERIFIED_MAX = 512
_verified_lock = threading.Lock()


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str


def issue_access_token(
    *, user_id: uuid.UUID, role: str, settings: Settings | None = None, now: float | None = None
) -> tuple[str, int]:
    """A signed token and its lifetime in seconds."""
    settings = settings or get_settings()
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": str(user_id),
        "role": role,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": issued,
        "exp": issued + settings.access_token_ttl_s,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), settings.access_token_ttl_s


def verify_access_token(token: str, *, settings: Settings | None = None) -> AccessClaims:
    """The token's claims, or Unauthorized for anything tampered, expired or foreign."""
    settings = settings or get_settings()
    key = (token, settings.secret_key, settings.jwt_audience, settings.jwt_issuer)
    with _verified_lock:
        known = _verified.get(key)
    if known is not None and time.time() < known[1]:
        return known[0]
    access = _decode(token, settings)
    with _verified_lock:
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()
        _verified[key] = access
    return access[0]


def _decode(token: str, settings: Settings) -> tuple[AccessClaims, float]:
    """The claims and the time after which the token is refused (its exp plus the leeway)."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],  # never taken from the token header: no 'none', no confusion
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": _REQUIRED_CLAIMS},
            leeway=_LEEWAY_S,
        )
        access = AccessClaims(
            user_id=uuid.UUID(claims["sub"]), role=str(claims.get("role", "user"))
        )
        return access, float(claims["exp"]) + _LEEWAY_S
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired; sign in again.") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise Unauthorized("The access token is not valid.") from exc
