"""minsheng publish PLAN_ID"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.plans.models import Plan
from minsheng.plans.services import plan_publish


class Command(BaseCommand):
    help = "Publish a plan so units, leaders and deputies can see it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan #{options['plan_id']}.")
        try:
            plan = plan_publish(acting_user=None, plan=plan)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Plan #{plan.pk} {plan.title}: {plan.get_status_display()}"))
