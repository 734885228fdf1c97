"""minsheng export PLAN_ID --format json|xlsx|docx|csv [-o FILE]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.interchange.exporters.services import plan_document
from minsheng.interchange.services import plan_export
from minsheng.plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan: Plan JSON, the official attachment (.xlsx/.docx) or open data (.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument(
            "--format", default="json", choices=["json", "xlsx", "docx", "csv"], help="Output format."
        )
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan #{options['plan_id']}.")
        if options["format"] != "json":
            if not options["output"]:
                raise CommandError(f"--format {options['format']} needs -o FILE.")
            exported = plan_document(acting_user=None, plan=plan, fmt=options["format"])
            Path(options["output"]).write_bytes(exported.content)
            self.stderr.write(f"Wrote {options['output']}")
            return
        data = plan_export(acting_user=None, plan=plan, fmt=options["format"])
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
