"""minsheng demo [--serve] [--addr 127.0.0.1:8000]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core.exceptions import ServiceError
from minsheng.demo.activity import activity_summary, seed_activity
from minsheng.demo.deputies import seed_deputies
from minsheng.demo.feedback import seed_feedback
from minsheng.demo.funds import seed_funds
from minsheng.demo.participation import DEPUTIES, seed_vote_cycle
from minsheng.demo.services import PASSWORD_ENV, demo_install
from minsheng.demo.sites import seed_sites
from minsheng.demo.yearend import seed_year_end


class Command(BaseCommand):
    help = "Migrate, load the Jintan 2024 list, create demo accounts and (with --serve) run the site."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="Run the development server afterwards.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address for --serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = demo_install()
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        plan = result.plan
        state = "imported" if result.created else "already loaded"
        self.stdout.write(
            self.style.SUCCESS(f"Plan #{plan.pk} {plan.title}: {state}, {plan.get_status_display()}.")
        )
        try:
            seed_sites(plan)  # first: the activity's photos are taken at the sites
            seed_activity(plan)
            seed_funds(plan)
            seed_deputies(plan)
            seed_feedback(plan)
            cycle = seed_vote_cycle(plan.region)  # the 2025 draft plan; year end comes after it
            seed_year_end(plan)  # last: closes the 2024 year
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        activity = activity_summary(plan)
        self.stdout.write(
            f"Activity: {activity['reports']} reports over {activity['periods']} months, "
            f"{activity['closed']} closed periods, {activity['notices']} supervision notice(s)."
        )
        self.stdout.write(
            f"Vote 2025: {cycle.proposals} proposals ({cycle.merged} merged, {cycle.rejected} rejected), "
            f"{cycle.candidates} candidates, {cycle.turnout} of {cycle.deputies} deputies voted, winners in "
            f"draft plan #{cycle.plan.pk}; accounts deputy01…deputy{DEPUTIES} and clerk01, clerk02."
        )
        self.stdout.write("")
        self.stdout.write("Demo accounts (user name — role — unit):")
        for account in result.accounts:
            unit = f" — {account.unit}" if account.unit else ""
            self.stdout.write(f"  {account.username:<14} {account.role}{unit}")
        source = (
            f"from {PASSWORD_ENV}"
            if result.password_from_env
            else f"kept in {settings.VAR_DIR / 'demo_password'}"
        )
        self.stdout.write(f"Password for every demo account: {result.password}   ({source})")
        url = f"http://{options['addr']}/"
        self.stdout.write(f"Open {url} (Django admin, for sysadmin only: {url}admin/)")
        if options["serve"]:
            # The demo runs with DEBUG on; the reloader would run this whole command again in a child.
            settings.DEBUG = True
            call_command("runserver", options["addr"], use_reloader=False)
