"""The daily round, run by the app's own task runner (django-tasks): reminders, then closing the periods
whose deadline passed long enough ago. With a backend that can defer (e.g. django-tasks-db's database
backend and its worker), each run queues the next one for the following morning, so no outside cron is
needed; `minsheng daily --schedule` queues the first. See docs/progress.md, "Scheduled work"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from minsheng.notifications.services import daily_round

RUN_AT = dt.time(6, 0)  # local time: reminders arrive before the working day starts


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next RUN_AT, local time, strictly after `now`."""
    now = timezone.localtime(now)
    candidate = now.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + dt.timedelta(days=1)


def schedule_next() -> bool:
    """Queue tomorrow's round when the task backend can defer work; False when it cannot."""
    if not default_task_backend.supports_defer:
        return False
    daily.using(run_after=next_run()).enqueue()
    return True


@task()
def daily(on: str | None = None, reschedule: bool = True) -> dict[str, Any]:
    """One daily round (see `notifications.services.daily_round`), then the next one queued."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    summary = daily_round(on=day, grace_days=getattr(settings, "MINSHENG_CLOSE_AFTER_DEADLINE_DAYS", 10))
    if reschedule:
        summary["next"] = schedule_next()
    return summary
