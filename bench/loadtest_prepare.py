"""Run by `bench/loadtest.py` in the load-test environment (after `minsheng synth`): make the readers'
sessions and the month-end writers' sessions, count each page's queries in-process, and print one JSON
line with what the load generator needs."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import zip_longest
from typing import Any

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

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
    """`groups` sets of twenty writers (one set per write mix: each submits its own reports). A job is an
    (item, period) pair of a lead unit with no report yet in an open period, with the session of that
    unit's reporter. Every such pair of the province is dealt out, so a mix that runs as fast as the
    server answers still has work at its end (at 100× the twenty busiest units alone have ≈ 120 jobs,
    three seconds of it), and every writer has work even where a district has fewer units than writers."""
    ended = set(ItemOutcome.objects.values_list("item_id", flat=True))
    taken = set(ProgressReport.objects.values_list("item_id", "period_id"))
    open_periods: dict[int, list[int]] = defaultdict(list)
    for period_id, plan_id in Period.objects.filter(closed_at__isnull=True).values_list("pk", "plan_id"):
        open_periods[plan_id].append(period_id)
    targets: dict[int, list[int]] = defaultdict(list)
    for target_id, item_id in Target.objects.values_list("pk", "item_id"):
        targets[item_id].append(target_id)
    by_unit: dict[int, list[dict[str, object]]] = defaultdict(list)
    plan_of: dict[int, int] = {}
    leads = ItemUnit.objects.filter(role=UnitRole.LEAD, item__project__plan__status="published")
    for item_id, unit_id, plan_id in leads.values_list("item_id", "unit_id", "item__project__plan_id"):
        if item_id in ended or not targets[item_id]:
            continue
        plan_of.setdefault(unit_id, plan_id)
        for period_id in sorted(open_periods[plan_id]):
            if (item_id, period_id) not in taken:
                by_unit[unit_id].append({"item": item_id, "period": period_id, "targets": targets[item_id]})
    # Each district's units, the busiest first; then the districts' first units, their second units, …
    rank_in_plan: dict[int, int] = {}
    seen_in_plan: dict[int, int] = defaultdict(int)
    for unit_id in sorted(by_unit, key=lambda u: (-len(by_unit[u]), u)):
        rank_in_plan[unit_id] = seen_in_plan[plan_of[unit_id]]
        seen_in_plan[plan_of[unit_id]] += 1
    order = sorted(by_unit, key=lambda u: (rank_in_plan[u], plan_of[u]))
    queues: list[list[dict[str, object]]] = []  # each unit's jobs, in that order
    units = Unit.objects.select_related("region").in_bulk(list(by_unit))
    # A reporter per unit (a thousand at 100×), signed in by session: their password is never checked,
    # so it is hashed the fast way rather than for a second each.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    try:
        for unit_id in order:
            unit = units[unit_id]
            session = Client()
            session.force_login(_user(f"loadwriter-{unit_id}", "reporter", unit.region, unit))
            cookie = session.cookies["sessionid"].value
            queues.append([{**job, "cookie": cookie} for job in by_unit[unit_id]])
    finally:
        fast.disable()
    # One job of each unit in turn, dealt to the writers in turn: at any moment the writers work for
    # units of different districts, as a month end's reporters do (twenty writers on one district's units
    # queue on its plan's row, which a late submission takes to update the stored lights).
    jobs = [job for turn in zip_longest(*queues) for job in turn if job is not None]
    slots = WRITERS * groups
    return [[{"jobs": jobs[n::slots]} for n in range(group, slots, groups)] for group in range(groups)]


def main() -> None:
    pages = json.loads(sys.argv[1])
    writer_sets = int(sys.argv[2]) if len(sys.argv) > 2 else 2
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
                "writers": _write_jobs(writer_sets),
            }
        )
    )


if __name__ == "__main__":
    main()
