"""The local stand-in for EventBridge Scheduler: runs each scheduled function of template.yaml
on its rate, through its real handler, with a Scheduled Event like the cloud's."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asset_engine.local.lambda_runtime import LambdaContext, invoke_handler
from asset_engine.local.template import Schedule, load_schedules
from asset_engine.observability import logger


def scheduled_event(schedule: Schedule) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "local",
        "resources": [
            f"arn:aws:scheduler:local:000000000000:schedule/{schedule.function.logical_id}"
        ],
        "detail": {},
    }


def run_once(schedule: Schedule) -> dict[str, Any]:
    context = LambdaContext(
        function_name=schedule.function.logical_id,
        memory_limit_in_mb=schedule.function.memory_mb,
        timeout_s=schedule.function.timeout_s,
    )
    return invoke_handler(schedule.function.load_handler(), scheduled_event(schedule), context)


class LocalScheduler:
    """One daemon thread per schedule; the first run comes one period after start, as in AWS."""

    def __init__(self, template_path: Path) -> None:
        self.schedules = load_schedules(template_path)

    def start(self) -> None:
        for schedule in self.schedules:
            threading.Thread(
                target=self._loop, args=(schedule,), daemon=True, name=schedule.function.logical_id
            ).start()

    def _loop(self, schedule: Schedule) -> None:
        while True:
            time.sleep(schedule.every_s)
            try:
                run_once(schedule)
            except Exception:  # the next run tries again, as EventBridge would
                logger.exception(
                    "scheduled run failed", extra={"function": schedule.function.logical_id}
                )
