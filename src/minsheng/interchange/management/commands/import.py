"""minsheng import FILE [--region R] [--year Y] [--title T] [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from minsheng.core.exceptions import ServiceError
from minsheng.interchange.services import ImportFailed, parse_source, plan_import, plan_import_preview
from minsheng.interchange.text import preview_lines
from minsheng.orgs.services import region_ensure


class Command(BaseCommand):
    help = "Import a list (docx, xlsx, pdf, html, txt or Plan JSON): print the preview, then commit it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The list file.")
        parser.add_argument(
            "--region",
            help="Region code, name or path (江苏省/常州市/金坛区; created if missing). Default: the list's own.",
        )
        parser.add_argument("--year", type=int, help="Plan year. Default: the list's own.")
        parser.add_argument("--title", help="Plan title. Default: the list's own title.")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview and change nothing.")
        parser.add_argument(
            "--reason",
            default="",
            help="Why a published plan's targets or items change (recorded as an adjustment, 项目调整).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        data = path.read_bytes()
        try:
            parsed = parse_source(data, path.name)
            region_text = options["region"] or parsed.region
            if not region_text:
                raise CommandError(f"{path.name}: the list does not name its region; give --region.")
            with transaction.atomic():
                # A dry run may not even create the region it would import into.
                sid = transaction.savepoint()
                region = region_ensure(acting_user=None, text=region_text)
                if options["dry_run"]:
                    preview = plan_import_preview(
                        parsed=parsed, region=region, year=options["year"], title=options["title"]
                    )
                    transaction.savepoint_rollback(sid)
                    self._print(preview_lines(preview, verbose=options["verbosity"] > 1))
                    self.stdout.write("Dry run: nothing was changed.")
                    return
                result = plan_import(
                    acting_user=None,
                    parsed=parsed,
                    region=region,
                    year=options["year"],
                    title=options["title"],
                    source_name=path.name,
                    source_bytes=data,
                    reason=options["reason"],
                )
        except ImportFailed as exc:
            raise CommandError(
                "\n".join([exc.message, *(f"  {e}" for e in exc.errors if e != exc.message)])
            ) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self._print(preview_lines(result.preview, verbose=options["verbosity"] > 1))
        if result.created:
            verb = "Created"
        elif result.changed:
            verb = "Updated"
        else:
            verb = "Unchanged:"
        self.stdout.write(self.style.SUCCESS(f"{verb} plan #{result.plan.pk} {result.plan.title}"))

    def _print(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write(line)
