"""The daily round through the task runner: reminders and closing the periods whose deadline passed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.models import Notification
from minsheng.notifications.services import daily_round
from minsheng.notifications.tasks import next_run
from minsheng.progress.models import Period
from progress.factories import World

pytestmark = pytest.mark.django_db


def test_the_round_reminds_and_closes_what_is_past_its_deadline(world: World) -> None:
    summary = daily_round(on=dt.date(2024, 7, 20), grace_days=10)
    closed = Period.objects.filter(plan=world.plan, closed_at__isnull=False).order_by("start")
    # Deadlines are the 5th of the next month: January … June are more than ten days past on 20 July.
    assert [p.start.month for p in closed] == [1, 2, 3, 4, 5, 6] and summary["closed"] == 6
    assert summary["overdue"] >= 1
    assert Notification.objects.filter(user=world.reporter, kind=NotificationKind.OVERDUE).exists()
    again = daily_round(on=dt.date(2024, 7, 20), grace_days=10)  # a second run the same day: nothing new
    assert again["closed"] == 0 and again["overdue"] == 0 and again["due"] == 0


def test_the_command_runs_the_round_through_the_task_runner(world: World) -> None:
    out = io.StringIO()
    call_command("daily", "--on", "2024-03-20", stdout=out)
    assert "2024-03-20:" in out.getvalue() and "2 period(s) closed" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("daily", "--on", "20 March")


def test_scheduling_needs_a_backend_that_can_defer(db: None) -> None:
    with pytest.raises(CommandError, match="cannot schedule"):
        call_command("daily", "--schedule")


def test_the_next_run_is_the_next_morning() -> None:
    tz = timezone.get_current_timezone()
    evening = dt.datetime(2024, 7, 20, 18, 0, tzinfo=tz)
    early = dt.datetime(2024, 7, 20, 5, 0, tzinfo=tz)
    assert next_run(evening) == dt.datetime(2024, 7, 21, 6, 0, tzinfo=tz)
    assert next_run(early) == dt.datetime(2024, 7, 20, 6, 0, tzinfo=tz)


def test_the_task_reschedules_itself_where_the_backend_defers(world: World, settings: Any) -> None:
    from django_tasks import task_backends

    from minsheng.notifications import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert backend.supports_defer
    assert tasks.schedule_next()
    queued = backend.results[-1]
    assert queued.task.name == "daily" and queued.task.run_after == next_run()
