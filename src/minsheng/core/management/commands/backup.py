"""`minsheng backup DIR`: database + media files + a SHA-256 manifest (see minsheng.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.backup import backup
from minsheng.core.exceptions import ValidationFailed


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump -Fc) and media files into a new DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["directory"])
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written to {result.directory}: {result.files} files, {result.bytes} bytes"
            )
        )
