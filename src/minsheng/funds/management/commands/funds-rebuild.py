"""minsheng funds-rebuild [--plan ID …]: rebuild the stored fund lights (derived data; safe to run any time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.funds.lights import fund_lights_refresh
from minsheng.plans.models import Plan


class Command(BaseCommand):
    help = "Recompute every item's fund light from planned money and approved reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, action="append", help="Only this plan (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.all()
        if options["plan"]:
            plans = plans.filter(pk__in=options["plan"])
            missing = set(options["plan"]) - set(plans.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"funds-rebuild: no plan with id {', '.join(map(str, sorted(missing)))}.")
        rows = sum(fund_lights_refresh(plan) for plan in plans.order_by("pk"))
        self.stdout.write(f"Stored {rows} fund lights for {plans.count()} plan(s).")
