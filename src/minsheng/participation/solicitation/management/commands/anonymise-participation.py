"""minsheng anonymise-participation: clear the public's personal data after retention (run daily), audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.participation.anonymise import anonymise_expired, retention_days


class Command(BaseCommand):
    help = (
        "Anonymise proposers' names and contacts and public raters' keys once the call or the rating "
        "period closed more than --older-than days ago (default MINSHENG_PARTICIPATION_RETENTION_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=None, metavar="DAYS")
        parser.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="Run as of this date.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = retention_days() if options["older_than"] is None else options["older_than"]
        if days < 0:
            raise CommandError("--older-than: give 0 or more days.")
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {options['today']!r} is not a date (YYYY-MM-DD).") from exc
        done = anonymise_expired(acting_user=None, older_than_days=days, today=today)
        self.stdout.write(
            f"{done.proposals} proposal(s) and {done.ratings} public rating(s) anonymised "
            f"(closed more than {days} days ago)."
        )
