"""`minsheng audit-verify`: recompute the audit hash chain; exit 1 on any altered or missing row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.audit.selectors import verify_archive, verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain (and archive files with --archives DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--archives", type=Path, help="also check the archive files in this directory")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        if options["archives"]:
            for manifest in sorted(options["archives"].glob("*.manifest.json")):
                found = verify_archive(manifest)
                problems += [f"{manifest.name}: {p}" for p in found]
                if not found:
                    self.stdout.write(f"{manifest.name}: ok")
        report = verify_chain()
        problems += report.problems
        if problems:
            raise CommandError("audit chain broken:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} rows checked"))
