"""Run by `bench/loadtest.py` in the load-test environment (after `minsheng synth`): make the readers'
sessions and the month-end writers' sessions, count each page's queries in-process, and print one JSON
line with what the load generator needs."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from minsheng.accounts.services import user_upsert  # noqa: E402
from minsheng.orgs.models import Region, Unit  # noqa: E402
from minsheng.plans.choices import UnitRole  # noqa: E402
from minsheng.plans.models import Item, ItemUnit, Plan, Target  # noqa: E402
from minsheng.progress.models import ItemOutcome, Period, ProgressReport  # noqa: E402

PASSWORD = "Load-test-2024!"
WRITERS = 20


def _user(username: str, role: str, region: Region, unit: Any = None) -> Any:
    return user_upsert(
        acting_user=None, username=username, role=role, region=region, unit=unit, password=PASSWORD
    )


def _write_jobs(groups: int = 2) -> list[list[dict[str, object]]]:
    """`groups` sets of twenty reporters of lead units across the province (one set per write mix: each
    submits its own reports), each reporter with the (item, period) pairs of its unit that have no report
    yet in open periods, and a session: save and submit through the report form. Units are dealt out in
    turn, the busiest first, so the sets get alike work; writers sharing a unit split its work."""
    ended = set(ItemOutcome.objects.values_list("item_id", flat=True))
    taken = set(ProgressReport.objects.values_list("item_id", "period_id"))
    open_periods: dict[int, list[int]] = defaultdict(list)
    for period_id, plan_id in Period.objects.filter(closed_at__isnull=True).values_list("pk", "plan_id"):
        open_periods[plan_id].append(period_id)
    targets: dict[int, list[int]] = defaultdict(list)
    for target_id, item_id in Target.objects.values_list("pk", "item_id"):
        targets[item_id].append(target_id)
    by_unit: dict[int, list[dict[str, object]]] = defaultdict(list)
    leads = ItemUnit.objects.filter(role=UnitRole.LEAD, item__project__plan__status="published")
    for item_id, unit_id, plan_id in leads.values_list("item_id", "unit_id", "item__project__plan_id"):
        if item_id in ended or not targets[item_id]:
            continue
        for period_id in sorted(open_periods[plan_id]):
            if (item_id, period_id) not in taken:
                by_unit[unit_id].append({"item": item_id, "period": period_id, "targets": targets[item_id]})
    units = sorted(by_unit, key=lambda u: -len(by_unit[u]))[: WRITERS * groups]
    if not units:
        return [[] for _ in range(groups)]
    # Slot n belongs to set n % groups; a unit serves the slots n ≡ its rank (mod len(units)).
    slots = [units[n % len(units)] for n in range(WRITERS * groups)]
    sets: list[list[dict[str, object]]] = [[] for _ in range(groups)]
    for n, unit_id in enumerate(slots):
        mates = [m for m, other in enumerate(slots) if other == unit_id]
        unit = Unit.objects.get(pk=unit_id)
        user = _user(f"loadwriter{n}", "reporter", unit.region, unit)
        session = Client()
        session.force_login(user)
        sets[n % groups].append(
            {
                "cookie": session.cookies["sessionid"].value,
                "jobs": by_unit[unit_id][mates.index(n) :: len(mates)],
            }
        )
    return sets


def main() -> None:
    pages = json.loads(sys.argv[1])
    city = Region.objects.get(code="synth-9901")
    plan = Plan.objects.filter(region__parent=city).order_by("pk").first()
    assert plan is not None
    item = Item.objects.filter(project__plan=plan).order_by("pk").first()
    assert item is not None
    lead = ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).order_by("pk").first()
    assert lead is not None
    readers = {
        "leader": _user("loadleader", "leader", city),
        "reviewer": _user("loadreviewer", "reviewer", plan.region),
        "reporter": _user("loadreporter", "reporter", plan.region, lead.unit),
    }
    clients = {}
    for role, user in readers.items():
        clients[role] = Client()
        clients[role].force_login(user)
    ids = {"plan": plan.pk, "item": item.pk}
    queries = []
    for url, role in pages:
        client = clients[role] if role else Client()
        client.get(url.format(**ids))
        # Twice: the first may fill a shared cache; the figure is what a reader costs once it is warm.
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url.format(**ids)).status_code
        queries.append((status, len(ctx.captured_queries)))
    print(
        json.dumps(
            {
                **ids,
                "cookies": {role: c.cookies["sessionid"].value for role, c in clients.items()},
                "queries": queries,
                "writers": _write_jobs(),
            }
        )
    )


if __name__ == "__main__":
    main()
