"""Google sign-in: verify an ID token with google-auth against Google's published certificates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from asset_engine.config import get_settings
from asset_engine.errors import ServiceUnavailable, Unauthorized

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})


@dataclass(frozen=True)
class GoogleIdentity:
    sub: str
    email: str
    name: str | None
    picture: str | None


@lru_cache(maxsize=1)
def _transport() -> Any:
    # Built on first use: only the auth function pays for google-auth and requests at cold start.
    import requests
    from google.auth.transport.requests import Request

    return Request(session=requests.Session())


def verify_google_id_token(id_token: str) -> GoogleIdentity:
    """Signature, `aud` = GOOGLE_CLIENT_ID, issuer, expiry and `email_verified`, or Unauthorized."""
    from google.auth import exceptions as google_exceptions
    from google.oauth2 import id_token as google_id_token

    settings = get_settings()
    if not settings.google_client_id:
        raise Unauthorized("Google sign-in is not configured on this server (GOOGLE_CLIENT_ID).")
    try:
        claims = google_id_token.verify_token(
            id_token,
            _transport(),
            audience=settings.google_client_id,
            certs_url=settings.google_certs_url,
            clock_skew_in_seconds=10,
        )
    except google_exceptions.TransportError as exc:
        raise ServiceUnavailable("Google's certificates could not be fetched; try again.") from exc
    except (ValueError, google_exceptions.GoogleAuthError) as exc:
        raise Unauthorized("The Google ID token did not verify.") from exc

    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise Unauthorized("The Google ID token has the wrong issuer.")
    if claims.get("email_verified") is not True or not claims.get("email"):
        raise Unauthorized("The Google account's email address is not verified.")
    return GoogleIdentity(
        sub=str(claims["sub"]),
        email=str(claims["email"]),
        name=claims.get("name"),
        picture=claims.get("picture"),
    )
