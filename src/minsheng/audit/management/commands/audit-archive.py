"""`minsheng audit-archive`: move audit rows past retention to a checksummed archive, then delete them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.audit.checks import MINIMUM_RETENTION_DAYS, retention_days
from minsheng.audit.services import archive_events


class Command(BaseCommand):
    help = (
        "Archive audit rows older than the retention (default 180 days) to gzip JSONL + a SHA-256 manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="keep rows newer than this many days")
        parser.add_argument(
            "--dir", type=Path, default=None, help="archive directory (default: var/audit-archive)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        if days < MINIMUM_RETENTION_DAYS:
            raise CommandError(
                f"--days {days}: audit rows must be kept at least {MINIMUM_RETENTION_DAYS} days"
            )
        directory = options["dir"] or Path(settings.VAR_DIR) / "audit-archive"
        anchor = archive_events(acting_user=None, older_than_days=days, directory=directory)
        if anchor is None:
            self.stdout.write(f"no audit rows older than {days} days")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"archived {anchor.rows} rows through #{anchor.through_id} to {directory / anchor.file_name}"
            )
        )
