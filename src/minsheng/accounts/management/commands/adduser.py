"""minsheng adduser USERNAME --role ROLE [--unit UNIT] [--region R] --password P"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.accounts.choices import Role
from minsheng.accounts.services import user_upsert
from minsheng.core.exceptions import ServiceError
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.selectors import normalize_name, region_find


class Command(BaseCommand):
    help = "Create an account, or update an existing one, with one role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", help="The reporter's unit (name or alias; required for reporters).")
        parser.add_argument("--region", help="Region code, name or path the account works on.")
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options["region"]:
            region = region_find(options["region"])
            if region is None:
                raise CommandError(f"No region {options['region']!r}. Import a list or run the demo first.")
        unit = self._unit(options["unit"], region) if options["unit"] else None
        try:
            user = user_upsert(
                acting_user=None,
                username=options["username"],
                role=options["role"],
                password=options["password"],
                unit=unit,
                region=region,
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        where = f", unit {user.unit}" if user.unit else ""
        where += f", region {user.region}" if user.region else ""
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {options['role']}{where}"))

    def _unit(self, text: str, region: Region | None) -> Unit:
        units = Unit.objects.filter(name=text.strip()) | Unit.objects.filter(aliases__name=text.strip())
        if region is not None:
            units = units.filter(region=region)
        found = list(units.distinct()[:3])
        if not found:
            key = normalize_name(text)
            found = [u for u in Unit.objects.all() if normalize_name(u.name) == key]
        if not found:
            raise CommandError(f"No unit {text!r}. Units come from imported lists; check the name.")
        if len(found) > 1:
            regions = ", ".join(str(u.region) for u in found)
            raise CommandError(f"Unit {text!r} exists in several regions ({regions}); add --region.")
        return found[0]
