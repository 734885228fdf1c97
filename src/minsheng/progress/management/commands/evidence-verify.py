"""`minsheng evidence-verify`: re-hash stored evidence originals; exit 1 on a missing or altered file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.progress.integrity import verify_evidence


class Command(BaseCommand):
    help = "Check every stored evidence file against the SHA-256 recorded at upload (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--report", type=int, action="append", help="only this report id (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_evidence(report_ids=options["report"])
        if result.problems:
            raise CommandError(
                f"{len(result.problems)} problem(s) in {result.checked} evidence file(s):\n"
                + "\n".join(str(p) for p in result.problems)
            )
        self.stdout.write(self.style.SUCCESS(f"evidence intact: {result.checked} file(s) checked"))
