"""`minsheng daily [--on YYYY-MM-DD] [--schedule]`: the daily round (reminders, closing past periods)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.notifications.tasks import daily, next_run, schedule_next


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--on: {value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Run the daily round now through the task runner (reminders, then closing periods whose deadline "
        "passed), or with --schedule queue it for every morning on a backend that can defer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, default=None, help="The day to act as of (default today).")
        parser.add_argument("--schedule", action="store_true", help="Queue tomorrow's run (and every next).")

    def handle(self, *args: Any, on: dt.date | None, schedule: bool, **options: Any) -> None:
        if schedule:
            if not schedule_next():
                raise CommandError(
                    "The task backend runs tasks at once and cannot schedule them; configure a deferring "
                    "backend (docs/progress.md, 'Scheduled work') or call `minsheng daily` from cron."
                )
            self.stdout.write(
                self.style.SUCCESS(f"The daily round is queued for {next_run():%Y-%m-%d %H:%M}.")
            )
            return
        result = daily.enqueue(on.isoformat() if on else None, False)
        summary = result.return_value if result.is_finished else None
        if summary is None:
            self.stdout.write("The daily round is queued.")
            return
        self.stdout.write(
            f"{summary['on']}: {summary['due']} due and {summary['overdue']} overdue reminder(s); "
            f"{summary['closed']} period(s) closed"
            + (
                f"; stopped at {', '.join(summary['stopped'])} (reports wait for review)"
                if summary["stopped"]
                else ""
            )
            + "."
        )
