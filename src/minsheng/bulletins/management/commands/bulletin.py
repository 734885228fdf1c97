"""minsheng bulletin PLAN_ID --period YYYY-MM -o FILE.docx"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.bulletins.choices import BulletinScope
from minsheng.bulletins.selectors import period_for
from minsheng.bulletins.services import bulletin_build
from minsheng.core.exceptions import ServiceError
from minsheng.plans.models import Plan


class Command(BaseCommand):
    help = "Write the progress bulletin (进展通报) of a plan for one period as a Word document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--period", required=True, help="The month, YYYY-MM (any month of a quarter).")
        parser.add_argument("-o", "--output", required=True, help="The .docx file to write.")
        parser.add_argument(
            "--scope",
            choices=BulletinScope.values,
            default=BulletinScope.PERIOD,
            help="What it covers: the period (月度), the quarter ending with it (季度) or the year (年度).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan #{options['plan_id']}.")
        try:
            period = period_for(plan, options["period"])
            content = bulletin_build(acting_user=None, plan=plan, period=period, scope=options["scope"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        Path(options["output"]).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']} ({plan.title}, {period})"))
