"""Where a stored file can be fetched: Supabase Storage's public URL, or the local gateway's."""

from __future__ import annotations

from asset_engine.config import get_settings

LOCAL_API_URL = "http://127.0.0.1:3001"


def public_url(path: str | None) -> str | None:
    if not path:
        return None
    settings = get_settings()
    if settings.uses_supabase_storage:
        assert settings.supabase_url is not None
        base = settings.supabase_url.rstrip("/")
        return f"{base}/storage/v1/object/public/{settings.supabase_storage_bucket}/{path}"
    return f"{(settings.public_api_url or LOCAL_API_URL).rstrip('/')}/storage/{path}"
