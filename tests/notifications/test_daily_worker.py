"""`minsheng daily --schedule` on the database task backend (django-tasks-db): the round is queued for the
next 06:00, a worker runs what is due, and each run queues the next morning's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from minsheng.notifications.tasks import daily, next_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes the database connection between tasks, as in production: real transactions here.
@pytest.mark.django_db(transaction=True)
def test_schedule_queues_the_next_morning(database_backend: None, capsys: Any) -> None:
    call_command("daily", "--schedule")
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "minsheng.notifications.tasks.daily" and queued.status == "READY"
    assert queued.run_after == next_run()
    assert timezone.localtime(queued.run_after).time() == dt.time(6, 0)
    assert "queued for" in capsys.readouterr().out
    # A worker now runs nothing: the round is not due before 06:00.
    call_command("db_worker", "--batch", "--no-startup-delay")
    queued.refresh_from_db()
    assert queued.status == "READY"


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_due_round_and_it_queues_the_next(database_backend: None, world: Any) -> None:
    call_command("daily")  # queued, not run: cron or the shell returns at once
    [manual] = DBTaskResult.objects.all()
    assert manual.status == "READY"
    daily.enqueue()  # what a scheduled morning run is: it re-queues itself
    call_command("db_worker", "--batch", "--no-startup-delay")
    manual.refresh_from_db()
    assert manual.status == "SUCCESSFUL" and manual.return_value["on"] == timezone.localdate().isoformat()
    assert manual.return_value.get("next") is None  # a manual run does not re-queue
    scheduled = DBTaskResult.objects.exclude(pk=manual.pk).filter(status="SUCCESSFUL").get()
    assert scheduled.return_value["next"] is True
    follow_up = DBTaskResult.objects.get(status="READY")
    assert follow_up.run_after == next_run()


def test_the_immediate_backend_refuses_to_schedule(settings: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot schedule"):
        call_command("daily", "--schedule")
