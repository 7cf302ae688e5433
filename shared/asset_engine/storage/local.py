"""The local stand-in for Supabase Storage: a folder, served by the local gateway at /storage/."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from asset_engine.config import Settings

LOCAL_API_URL = "http://127.0.0.1:3001"


@dataclass(frozen=True)
class LocalStorage:
    root: Path
    base_url: str  # where the gateway serves the folder: {base_url}/storage/{path}
    name: str = "local"

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStorage:
        return cls(
            root=Path(settings.local_storage_dir),
            base_url=(settings.public_api_url or LOCAL_API_URL).rstrip("/"),
        )

    def _file(self, path: str) -> Path:
        parts = PurePosixPath(path).parts
        if not parts or any(part in ("..", ".") for part in parts) or path.startswith("/"):
            raise ValueError(f"not a relative storage path: {path!r}")
        return self.root.joinpath(*parts)

    def put(self, path: str, data: bytes, *, content_type: str) -> None:
        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)

    def get(self, path: str) -> bytes:
        return self._file(path).read_bytes()

    def url(self, path: str) -> str:
        return f"{self.base_url}/storage/{path}"
