"""minsheng close-year --plan N [--on YYYY-MM-DD] [--carry-over]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.plans.models import Plan
from minsheng.yearend.models import FinalResult
from minsheng.yearend.services import carry_over, year_close


class Command(BaseCommand):
    help = (
        "Close a plan's year (年度关账): freeze each item's final result as of the year-end reading date; "
        "with --carry-over, carry the unfinished items into the next year's draft plan (结转)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="The plan's id.")
        parser.add_argument(
            "--on", help="The year-end reading date, YYYY-MM-DD (default: the plan's, else today)."
        )
        parser.add_argument("--carry-over", action="store_true", help="Then carry unfinished items over.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan #{options['plan']}.")
        try:
            close = year_close(acting_user=None, plan=plan, reading_on=options["on"])
            results = FinalResult.objects.filter(plan=plan).values_list("status", flat=True)
            counts: dict[str, int] = {}
            for status in results:
                counts[status] = counts.get(status, 0) + 1
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Closed {plan.year} of #{plan.pk} {plan.title} as of {close.reading_on}: {summary}."
                )
            )
            if options["carry_over"]:
                carried = carry_over(acting_user=None, plan=plan)
                if carried.plan is not None and carried.carried:
                    self.stdout.write(
                        f"Carried {len(carried.carried)} unfinished item(s) into #{carried.plan.pk} "
                        f"{carried.plan.title}{' (new draft)' if carried.created else ''}."
                    )
                else:
                    self.stdout.write("Nothing to carry over.")
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
