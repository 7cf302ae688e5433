"""Google sign-in: verify an ID token with google-auth against Google's published certificates."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from asset_engine.config import get_settings
from asset_engine.errors import ServiceUnavailable, Unauthorized
from asset_engine.observability import trace_calls_through

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})


@dataclass(frozen=True)
class GoogleIdentity:
    sub: str
    email: str
    name: str | None
    picture: str | None


class _CertificateCache:
    """google-auth's transport, remembering each GET answer for its `Cache-Control: max-age`.

    google-auth fetches Google's certificates on every verification; Google publishes them for
    hours (and rotates keys well ahead), so a warm container asks again only when they expire.
    """

    def __init__(self, request: Any) -> None:
        self._request = request
        self._answers: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str, method: str = "GET", **kwargs: Any) -> Any:
        if method != "GET":
            return self._request(url, method=method, **kwargs)
        with self._lock:
            kept = self._answers.get(url)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        answer = self._request(url, method=method, **kwargs)
        max_age = re.search(r"max-age=(\d+)", answer.headers.get("cache-control", ""))
        if answer.status == 200 and max_age:
            with self._lock:
                self._answers[url] = (time.monotonic() + int(max_age.group(1)), answer)
        return answer


@lru_cache(maxsize=1)
def _transport() -> Any:
    # Built on first use: only the auth function pays for google-auth and requests at cold start.
    import requests
    from google.auth.transport.requests import Request

    trace_calls_through("requests")
    return _CertificateCache(Request(session=requests.Session()))


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
