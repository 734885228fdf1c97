"""minsheng accounts-expire: deactivate accounts idle for 90 days (MINSHENG_ACCOUNT_IDLE_DAYS), audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from minsheng.accounts.services import accounts_expire


class Command(BaseCommand):
    help = "Deactivate accounts that have not signed in for MINSHENG_ACCOUNT_IDLE_DAYS days (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing when no account expired.")

    def handle(self, *args: Any, **options: Any) -> None:
        expired = accounts_expire(acting_user=None)
        if not expired and options["quiet"]:
            return
        days = settings.MINSHENG_ACCOUNT_IDLE_DAYS
        self.stdout.write(f"{len(expired)} account(s) idle for {days} days deactivated.")
        for user in expired:
            self.stdout.write(f"  {user.username}")
