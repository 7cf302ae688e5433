"""Supabase Storage through the `supabase` client (storage3), built on first use."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asset_engine.config import Settings
from asset_engine.errors import ServiceUnavailable
from asset_engine.observability import logger, trace_calls_through, traced

if TYPE_CHECKING:
    from storage3._sync.file_api import SyncBucketProxy

STORAGE_TIMEOUT_S = 20  # storage3's own default: an upload of a full-size PNG


@dataclass
class SupabaseStorage:
    url_base: str
    service_key: str
    bucket: str
    signed: bool = False
    signed_ttl_s: int = 7 * 24 * 3600
    name: str = "supabase"
    _bucket: SyncBucketProxy | None = field(default=None, repr=False)
    _signed_cache: dict[str, tuple[float, str]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SupabaseStorage:
        assert settings.supabase_url and settings.supabase_service_role_key
        return cls(
            url_base=settings.supabase_url,
            service_key=settings.supabase_service_role_key,
            bucket=settings.supabase_storage_bucket,
            signed=settings.storage_url_mode == "signed",
            signed_ttl_s=settings.storage_signed_url_ttl_s,
        )

    def _files(self) -> SyncBucketProxy:
        if self._bucket is None:
            with self._lock:
                if self._bucket is None:
                    import httpx
                    from supabase import ClientOptions, create_client  # ~0.3 s: on first use

                    # Our own HTTP client: without one, supabase builds storage3's with the
                    # `verify` argument storage3 deprecates (a warning per client).
                    http = httpx.Client(timeout=STORAGE_TIMEOUT_S, follow_redirects=True)
                    trace_calls_through("httpx")
                    options = ClientOptions(httpx_client=http)
                    client = create_client(self.url_base, self.service_key, options=options)
                    self._bucket = client.storage.from_(self.bucket)
        return self._bucket

    @traced
    def put(self, path: str, data: bytes, *, content_type: str) -> None:
        import httpx
        from storage3.exceptions import StorageApiError

        try:
            # upsert as the string "true": storage3 sends file options as headers.
            self._files().upload(path, data, {"content-type": content_type, "upsert": "true"})
        except (StorageApiError, httpx.HTTPError, OSError) as exc:
            logger.warning("storage upload failed", extra={"path": path, "error": str(exc)})
            raise ServiceUnavailable("File storage is unavailable right now.") from exc

    @traced
    def get(self, path: str) -> bytes:
        import httpx
        from storage3.exceptions import StorageApiError

        try:
            return bytes(self._files().download(path))
        except StorageApiError as exc:
            # A missing object: HTTP 400 with statusCode "404" in the body, as Storage answers.
            if str(exc.status) == "404" or exc.code in ("not_found", "NoSuchKey"):
                raise FileNotFoundError(path) from exc
            logger.warning("storage download failed", extra={"path": path, "error": str(exc)})
            raise ServiceUnavailable("File storage is unavailable right now.") from exc
        except (httpx.HTTPError, OSError) as exc:
            logger.warning("storage download failed", extra={"path": path, "error": str(exc)})
            raise ServiceUnavailable("File storage is unavailable right now.") from exc

    @traced
    def url(self, path: str) -> str:
        if not self.signed:
            return str(self._files().get_public_url(path)).rstrip("?")
        # A signed URL costs a request: reuse one while it has more than half its life left.
        now = time.monotonic()
        cached = self._signed_cache.get(path)
        if cached and cached[0] > now:
            return cached[1]
        import httpx
        from storage3.exceptions import StorageApiError

        try:
            signed: dict[str, Any] = dict(self._files().create_signed_url(path, self.signed_ttl_s))
        except (StorageApiError, httpx.HTTPError, OSError) as exc:
            logger.warning("storage signing failed", extra={"path": path, "error": str(exc)})
            raise ServiceUnavailable("File storage is unavailable right now.") from exc
        link = str(signed.get("signedURL") or signed.get("signedUrl"))
        self._signed_cache[path] = (now + self.signed_ttl_s / 2, link)
        return link
