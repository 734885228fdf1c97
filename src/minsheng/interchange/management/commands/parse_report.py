"""minsheng parse-report — how many parsed values the office corrected, per import and in total."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from minsheng.interchange.selectors import KINDS, parse_report


class Command(BaseCommand):
    help = "The parser's accuracy in the product: values corrected by the office over all committed imports."

    def handle(self, *args: Any, **options: Any) -> None:
        report = parse_report()
        header = "import  " + "  ".join(f"{kind:>16}" for kind in KINDS) + "  file"
        self.stdout.write(header)
        for batch, read, corrected in report.rows:
            cells = "  ".join(f"{corrected[k]:>7} of {read[k]:<5}" for k in KINDS)
            self.stdout.write(f"#{batch.pk:<6} {cells}  {batch.source_name}")
        totals = "  ".join(f"{report.corrected[k]:>7} of {report.parsed[k]:<5}" for k in KINDS)
        self.stdout.write(f"{'total':<7} {totals}  {len(report.rows)} import(s)")
        kept = []
        for kind in KINDS:
            share = report.share_kept(kind)
            kept.append(f"{kind} {share:.1%}" if share is not None else f"{kind} —")
        self.stdout.write("read right (left as parsed): " + ", ".join(kept))
