"""`minsheng webhook UNIT_ID --kind dingtalk|wecom --url URL [--secret S] [--off]`: set a unit's group robot."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.notifications.choices import WebhookKind
from minsheng.notifications.services import unit_webhook_set
from minsheng.orgs.models import Unit


class Command(BaseCommand):
    help = "Post a unit's notifications to its DingTalk or WeCom group robot (one robot per kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit_id", type=int)
        parser.add_argument("--kind", choices=WebhookKind.values, required=True)
        parser.add_argument("--url", required=True, help="The robot's webhook address.")
        parser.add_argument("--secret", default="", help="DingTalk 加签 secret (SEC…), if the robot has one.")
        parser.add_argument("--off", action="store_true", help="Keep the robot but stop posting to it.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(pk=options["unit_id"]).first()
        if unit is None:
            raise CommandError(f"No unit #{options['unit_id']}.")
        try:
            hook = unit_webhook_set(
                acting_user=None,
                unit=unit,
                kind=options["kind"],
                url=options["url"],
                secret=options["secret"],
                active=not options["off"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        state = "active" if hook.active else "off"
        self.stdout.write(self.style.SUCCESS(f"{unit.name}: {hook.get_kind_display()} robot {state}."))
