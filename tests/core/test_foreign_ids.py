"""Every HTML form posted with another district's ids (in the path or in the fields) or with ids that do
not exist: never a 500, never a write. Whatever the page answers (404, 403, a form error, a redirect with a
message), another district's data stays as it was and nothing of ours comes to point at it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat

from core.test_form_fuzz import FIELDS, ROUTES, _fill
from factories import RegionFactory
from minsheng.accounts.models import User
from minsheng.audit.models import AuditEvent
from minsheng.orgs.models import Region
from minsheng.plans.models import ItemUnit
from progress.factories import World, approved_report, build_world, filled_report

NOWHERE = "987654321"
# Field-name fragments and the kind of object they take.
NAME_HINTS = [
    ("period", "period"),
    ("plan", "plan"),
    ("unit", "unit"),
    ("lead", "unit"),
    ("partner", "unit"),
    ("region", "region"),
    ("parent", "region"),
    ("target", "target"),
    ("user", "user"),
    ("account", "user"),
    ("item", "item"),
]
ITEM = "item__project__plan__region"
# The other district's rows a foreign post could change (model → the path to its region), compared whole.
WATCHED: dict[str, str] = {
    "plans.Plan": "region",
    "plans.Project": "plan__region",
    "plans.Item": "project__plan__region",
    "plans.ItemUnit": ITEM,
    "plans.Target": ITEM,
    "plans.Milestone": ITEM,
    "orgs.Unit": "region",
    "orgs.UnitAlias": "unit__region",
    "progress.Period": "plan__region",
    "progress.ReportingSettings": "plan__region",
    "progress.ProgressReport": ITEM,
    "progress.TargetValue": f"report__{ITEM}",
    "progress.MilestoneState": f"report__{ITEM}",
    "progress.ExtensionRequest": f"target__{ITEM}",
    "supervision.SupervisionNotice": ITEM,
}


def fingerprint(away: World) -> str:
    """The other district's rows, whole, and anything of ours that points at its units or regions."""
    region = away.plan.region
    parts: dict[str, Any] = {
        label: list(apps.get_model(label).objects.filter(**{path: region}).order_by("pk").values_list())
        for label, path in WATCHED.items()
    }
    parts["regions"] = list(Region.objects.filter(Q(pk=region.pk) | Q(parent=region)).values_list())
    parts["away users"] = list(
        User.objects.filter(region=region)
        .order_by("pk")
        .values_list("pk", "username", "unit_id", "is_active")
    )
    parts["ours pointing away"] = [
        list(User.objects.exclude(region=region).filter(unit__region=region).values_list("pk", flat=True)),
        list(
            ItemUnit.objects.exclude(**{ITEM: region})
            .filter(unit__region=region)
            .values_list("pk", flat=True)
        ),
    ]
    parts["audit about away"] = AuditEvent.objects.filter(plan=away.plan).count()
    raw = json.dumps(parts, default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


@pytest.fixture
def two_districts(district: Any) -> tuple[World, World, Any, Any]:
    home = build_world(district)
    # The second world reuses the factory's user names: ours get a prefix first.
    User.objects.update(username=Concat(Value("jt_"), "username"))
    for attr in ("reporter", "partner_reporter", "other_reporter", "reviewer", "office", "leader", "deputy"):
        getattr(home, attr).refresh_from_db()
    liyang = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    away = build_world(liyang)
    approved_report(home, home.item, home.period(2), value="6")
    approved_report(away, away.item, away.period(2), value="6")
    home_report = filled_report(home, home.item, home.period(3))
    away_report = filled_report(away, away.item, away.period(3))
    return home, away, home_report, away_report


def _away_ids(away: World, report: Any) -> dict[str, int]:
    return {
        "plan": away.plan.pk,
        "item": away.item.pk,
        "period": report.period.pk,
        "unit": away.lead.pk,
        "region": away.plan.region_id,
        "target": away.item.targets.get().pk,
        "user": away.reporter.pk,
    }


def _id_for(field: str, ids: dict[str, int]) -> int:
    for word, kind in NAME_HINTS:
        if word in field:
            return ids[kind]
    return ids["item"]


def _sweep_route(client: Any, route: str, worlds: tuple[World, World, Any, Any]) -> list[str]:
    """Post one route every way; the problems found (empty when the route behaves)."""
    home, away, home_report, away_report = worlds
    away_path = _fill(route, away, away_report)
    home_path = _fill(route, home, home_report)
    if home_path is None:
        return []
    problems: list[str] = []
    prefixes = ["", f"item-{home.item.pk}-", f"target-{home.item.targets.get().pk}-"]
    ids = _away_ids(away, away_report)
    bodies = [
        # Each field the id of the other district's object its name suggests (unit → a unit, …).
        {prefix + name: str(_id_for(name, ids)) for prefix in prefixes for name in FIELDS},
        # Every field the other district's plan id, then an id that exists nowhere.
        {prefix + name: str(ids["plan"]) for prefix in prefixes for name in FIELDS},
        {prefix + name: NOWHERE for prefix in prefixes for name in FIELDS},
    ]
    for who in ("office", "reporter"):
        client.force_login(getattr(home, who))
        before = fingerprint(away)
        audit_before = AuditEvent.objects.count()
        # The other district's objects in the path: nothing may be written at all. (Routes named by a
        # bare `pk` are left out: `_fill` puts one id there whatever the model.)
        if away_path is not None and away_path != home_path and "<int:pk>" not in route:
            status = client.post(away_path, bodies[0]).status_code
            if status >= 500:
                problems.append(f"{who} {away_path}: {status}")
            if AuditEvent.objects.count() != audit_before or fingerprint(away) != before:
                problems.append(f"{who} {away_path}: wrote with another district's ids")
        # Our own path, every field holding another district's id or an id that does not exist.
        for body in bodies:
            value = next(iter(body.values())) if body is not bodies[0] else "by name"
            status = client.post(home_path, body).status_code
            if status >= 500:
                problems.append(f"{who} {home_path} (ids {value}): {status}")
            if fingerprint(away) != before:
                problems.append(f"{who} {home_path} (ids {value}): changed another district's data")
    return problems


@pytest.mark.django_db
def test_foreign_or_missing_ids_never_give_a_500_or_a_write(client: Any, two_districts: Any) -> None:
    client.raise_request_exception = False
    problems: list[str] = []
    for route in ROUTES:
        # Each route starts from the same data: its writes are rolled back before the next.
        point = transaction.savepoint()
        try:
            problems += _sweep_route(client, route, two_districts)
        finally:
            transaction.savepoint_rollback(point)
    assert not problems, "\n".join(problems)
