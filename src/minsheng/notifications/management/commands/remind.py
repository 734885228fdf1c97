"""`minsheng remind [--on YYYY-MM-DD] [--days N]`: remind reporters of due and overdue reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from minsheng.notifications.reminders import DEFAULT_DAYS_BEFORE, reminders_send


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--on: {value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Remind unit reporters of reports due within N days and of overdue reports (once per period and kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, default=None, help="The day to act as of (default today).")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS_BEFORE,
            help=f"Remind this many days before the deadline (default {DEFAULT_DAYS_BEFORE}).",
        )

    def handle(self, *args: Any, on: dt.date | None, days: int, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days cannot be negative.")
        run = reminders_send(on=on or timezone.localdate(), days_before=days)
        self.stdout.write(
            f"{run.on.isoformat()}: {run.sent.get('due', 0)} due and {run.sent.get('overdue', 0)} overdue "
            f"reminder(s) sent for {len(run.periods)} period(s)."
        )
