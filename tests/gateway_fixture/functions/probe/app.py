"""A plain Lambda handler for the gateway's tests: echoes events, waits, sleeps, answers big."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

# Six invocations must be inside the handler at the same time for any of them to pass.
BARRIER = threading.Barrier(6, timeout=10)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    path = event["rawPath"]
    if path == "/barrier":
        BARRIER.wait()
        return {"statusCode": 200, "body": "together"}
    if path == "/sleep":
        time.sleep(float(event["queryStringParameters"]["s"]))
        return {"statusCode": 200, "body": "slept"}
    if path == "/big":
        return {"statusCode": 200, "body": "x" * 4096}
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "x-function": context.function_name},
        "cookies": ["seen=1; Path=/"],
        "body": json.dumps(event),
    }
