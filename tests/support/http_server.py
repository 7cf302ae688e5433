"""Real HTTP on loopback for the test doubles: an ASGI app served in a background thread, and
the threaded server the plain-handler doubles share."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from typing import Any

import uvicorn

from tests.support.services import free_port


class LoopbackServer(ThreadingHTTPServer):
    """A threaded HTTP server that takes a burst of connections as a real provider does.

    socketserver listens with a backlog of 5, so twenty calls at once overflowed it and the
    kernel reset some connections: a failure of the double, not of our client."""

    request_queue_size = 128
    daemon_threads = True


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
