"""minsheng lights [--plan ID …]: rebuild the stored lights (the daily tick; also after migrate and import)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.alerts.lights import lights_refresh
from minsheng.alerts.maintenance import database_optimize
from minsheng.plans.models import Plan


class Command(BaseCommand):
    help = "Recompute every item's light and the project, unit and plan roll-ups (run daily: the schedule moves)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, action="append", help="Only this plan (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["plan"] or list(Plan.objects.values_list("pk", flat=True))
        missing = set(ids) - set(Plan.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing:
            raise CommandError(f"lights: no plan with id {', '.join(map(str, sorted(missing)))}.")
        rows = lights_refresh(ids)
        database_optimize()  # the daily tick also keeps the planner's statistics current
        self.stdout.write(f"Stored {rows} lights for {len(ids)} plan(s).")
