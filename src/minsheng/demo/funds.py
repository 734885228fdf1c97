"""Demo funds: planned investment for every item of the demo plan and the money in place and paid on its
reports, consistent with each item's profile in `demo.activity` (cumulative, never decreasing, paid never
above in place), so the funds page, the dashboard, the bulletin and the public item pages show money.

`seed_funds(plan)` is idempotent: planned money is set only for items without any, and only reports without
funds get them. The seeded reports are already approved by `seed_activity`, so their funds are stored as the
seed of history (as the reports themselves are backdated), then the fund lights are rebuilt.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from minsheng.demo.activity import PROFILES, share_reached
from minsheng.funds.lights import fund_lights_refresh, planned_totals
from minsheng.funds.models import PlannedFund, ReportFunds
from minsheng.funds.services import planned_funds_set
from minsheng.plans.models import Item, Plan
from minsheng.progress.models import ProgressReport

# 万元, cycled over the items in list order: school canteens to road works.
AMOUNTS = (1200, 860, 3500, 450, 2400, 680, 5200, 320, 1500, 980, 2600, 740)
# Shares per source (上级补助, 本级财政, 社会资本), cycled too.
SPLITS = (
    {"higher": Decimal("0.4"), "local": Decimal("0.6")},
    {"local": Decimal("1")},
    {"higher": Decimal("0.3"), "local": Decimal("0.5"), "social": Decimal("0.2")},
)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def seed_funds(plan: Plan) -> int:
    """Planned money and reported funds for the demo plan; returns the number of reports given funds."""
    items = list(
        Item.objects.filter(project__plan=plan).order_by("project__position", "project__no", "position")
    )
    have = set(PlannedFund.objects.filter(item__project__plan=plan).values_list("item_id", flat=True))
    for index, item in enumerate(items):
        total = Decimal(AMOUNTS[index % len(AMOUNTS)])
        if item.pk not in have:
            split = SPLITS[index % len(SPLITS)]
            planned_funds_set(
                acting_user=None, item=item, amounts={s: _money(total * share) for s, share in split.items()}
            )
    planned = planned_totals(item.pk for item in items)
    profile = {item.pk: PROFILES[index % len(PROFILES)] for index, item in enumerate(items)}
    reports = ProgressReport.objects.filter(item__project__plan=plan, funds__isnull=True).select_related(
        "period"
    )
    created = []
    for report in reports:
        if report.item_id not in planned:
            continue
        share = Decimal(str(round(share_reached(profile[report.item_id], report.period.end.month), 4)))
        total = planned[report.item_id]
        in_place = _money(min(total, total * (share + Decimal("0.15"))))
        # Payments trail the work a little until it is finished, then the money is paid in full.
        paid = _money(min(in_place, total * min(share, Decimal(1)) * (1 if share >= 1 else Decimal("0.95"))))
        created.append(ReportFunds(report=report, in_place=in_place, paid=paid))
    ReportFunds.objects.bulk_create(created)
    fund_lights_refresh(plan)
    return len(created)
