"""File storage: Supabase Storage in the cloud, a local folder without it; one interface.

Objects are written once under a path that names their owner
(`users/{user_id}/assets/{asset_id}/v{n}.png`) and read through `url_for`, which gives a
permanent public URL or a signed one that expires, per `STORAGE_URL_MODE`.
"""

from __future__ import annotations

from typing import Protocol

from asset_engine.built_once import BuiltOnce
from asset_engine.config import get_settings


class Storage(Protocol):
    @property
    def name(self) -> str: ...

    def put(self, path: str, data: bytes, *, content_type: str) -> None:
        """Store `data` at `path`, replacing what is there (a retried delivery writes again)."""
        ...

    def url(self, path: str) -> str: ...

    def get(self, path: str) -> bytes:
        """The bytes stored at `path`; FileNotFoundError when there are none."""
        ...


def asset_image_path(*, user_id: object, asset_id: object, version: int) -> str:
    return f"users/{user_id}/assets/{asset_id}/v{version}.png"


def _build() -> Storage:
    settings = get_settings()
    if settings.uses_supabase_storage:
        from asset_engine.storage.supabase import SupabaseStorage

        return SupabaseStorage.from_settings(settings)
    from asset_engine.storage.local import LocalStorage

    return LocalStorage.from_settings(settings)


_storage: BuiltOnce[Storage] = BuiltOnce(_build)
get_storage = _storage.get  # the container's storage
reset_storage = _storage.reset  # tests that change the settings


def url_for(path: str | None) -> str | None:
    return get_storage().url(path) if path else None


def describe() -> str:
    settings = get_settings()
    if settings.uses_supabase_storage:
        return f"supabase (bucket {settings.supabase_storage_bucket}, {settings.storage_url_mode} URLs)"
    return (
        f"local folder {settings.local_storage_dir} (served by the local gateway under /storage/)"
    )
