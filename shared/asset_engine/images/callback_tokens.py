"""The token in RunPod's callback URL: an HMAC of the job id under SECRET_KEY.

RunPod does not sign its webhooks, so the URL carries our proof: only we can mint it, it names
one job, and it is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from asset_engine.config import get_settings

_PURPOSE = b"runpod-callback:"  # a token for this use only, never valid as anything else


def mint(job_id: uuid.UUID) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, _PURPOSE + str(job_id).encode(), hashlib.sha256).hexdigest()


def is_valid(job_id: uuid.UUID, token: str | None) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    return bool(token) and hmac.compare_digest(mint(job_id).encode(), str(token).encode())


def callback_url(job_id: uuid.UUID, *, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/api/v1/webhooks/runpod/{job_id}?token={mint(job_id)}"
