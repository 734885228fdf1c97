"""minsheng assess PLAN_ID [--weights on_time=30,completion=30,…] [--on YYYY-MM-DD] [-o scores.xlsx]"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.participation.assessment.choices import Part
from minsheng.participation.assessment.exports import assessment_workbook
from minsheng.participation.assessment.selectors import assessment_table
from minsheng.participation.assessment.services import assessment_compute, assessment_weights_set
from minsheng.plans.models import Plan


def parse_weights(text: str) -> dict[str, int]:
    """`on_time=30,completion=30,…` → part → weight; unknown parts and non-numbers are refused."""
    weights: dict[str, int] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = pair.partition("=")
        if name not in Part.values:
            raise CommandError(f"--weights: unknown part {name!r}; the parts are {', '.join(Part.values)}.")
        try:
            weights[name] = int(value)
        except ValueError:
            raise CommandError(f"--weights: {name} needs a whole number, not {value!r}.") from None
    return weights


class Command(BaseCommand):
    help = "Compute the unit assessment (考核) of a published plan, optionally setting the weights first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, help="The plan's id.")
        parser.add_argument("--weights", help="Weights adding up to 100, e.g. on_time=30,completion=30,…")
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, help="Figures as of this day (default today)."
        )
        parser.add_argument("-o", "--output", type=Path, help="Also write the scores as .xlsx here.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"assess: no plan with id {options['plan']}.")
        try:
            if options["weights"]:
                assessment_weights_set(acting_user=None, plan=plan, weights=parse_weights(options["weights"]))
            assessment_compute(acting_user=None, plan=plan, today=options["on"])
        except ServiceError as exc:
            raise CommandError(f"assess: {exc.message}") from exc
        table = assessment_table(plan)
        assert table is not None
        for score in table.scores:
            self.stdout.write(f"{score.rank:>3}  {score.total:>5}  {score.unit.name}")
        if options["output"]:
            options["output"].write_bytes(assessment_workbook(plan) or b"")
            self.stdout.write(f"Wrote {options['output']}.")
