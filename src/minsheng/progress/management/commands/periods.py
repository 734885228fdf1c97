"""`minsheng periods PLAN_ID`: create the plan year's reporting periods (those missing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.plans.models import Plan
from minsheng.progress.services import periods_generate


class Command(BaseCommand):
    help = "Create the reporting periods of a plan's year (monthly or quarterly, as its settings say)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("region").filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan #{options['plan_id']}.")
        try:
            periods = periods_generate(acting_user=None, plan=plan)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        first, last = (periods[0], periods[-1]) if periods else (None, None)
        span = f" ({first.start:%Y-%m-%d} – {last.end:%Y-%m-%d})" if first and last else ""
        self.stdout.write(
            self.style.SUCCESS(f"Plan #{plan.pk} {plan.title}: {len(periods)} reporting period(s){span}.")
        )
