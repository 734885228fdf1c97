"""`minsheng restore DIR`: verify every checksum of a backup, then replace the database and media files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.backup import restore
from minsheng.core.exceptions import ValidationFailed


class Command(BaseCommand):
    help = "Restore a backup made by `minsheng backup` (refuses if any checksum differs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["directory"])
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(f"restored the backup of {manifest['created']}: {rows} rows"))
