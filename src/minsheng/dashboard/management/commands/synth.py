"""minsheng synth --districts N --months M: a varied synthetic province for load tests (never production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.dashboard.synth import synth


class Command(BaseCommand):
    help = "Add N synthetic districts (合成省/合成市), each with its own list and M months of reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--districts", type=int, required=True)
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="months reported (default: those whose deadline has passed)",
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["districts"] <= 1000:
            raise CommandError("--districts: between 1 and 1000.")
        if options["months"] is not None and not 1 <= options["months"] <= 12:
            raise CommandError("--months: between 1 and 12.")
        result = synth(
            districts=options["districts"],
            months=options["months"],
            seed=options["seed"],
            year=options["year"],
        )
        self.stdout.write(
            f"{result.districts} districts added ({result.plans} plans in all): {result.items} items, "
            f"{result.reports} reports, {result.values} values and milestone states."
        )
