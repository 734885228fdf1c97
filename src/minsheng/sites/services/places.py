"""Sites from the list's 建设地点 column: by a button, and when the plan is published."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.changes import changes_bump_on_commit
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.models import Region
from minsheng.plans.models import Item, Plan
from minsheng.sites.models import Site
from minsheng.sites.services.common import item_plan, may_manage, require, towns_of

# Item `extra` keys (list columns the parser keeps) that hold the places of an item.
LIST_COLUMNS = ("建设地点", "实施地点", "项目地点", "点位", "地点")
_SPLIT = re.compile(r"[、，,；;\n]+")


def list_places(item: Item) -> list[str]:
    """The places written in the list's 建设地点 (or similar) column of the item, split at 、，；."""
    extra = item.extra or {}
    for key in LIST_COLUMNS:
        for written, value in extra.items():
            if key in str(written) and value:
                return [p.strip() for p in _SPLIT.split(str(value)) if p.strip()]
    return []


def _sites_of_places(item: Item, places: list[str], towns: dict[str, Region]) -> list[Site]:
    """Create the places not yet sites of `item`; the town is the one the place is, or whose name it
    starts with or contains."""
    existing = set(Site.objects.filter(item=item).values_list("name", flat=True))
    position = len(existing)
    created = []
    for place in places:
        if place in existing or len(place) > 200:
            continue
        town = towns.get(place) or next((t for n, t in sorted(towns.items()) if n in place), None)
        position += 1
        created.append(Site.objects.create(item=item, name=place, town=town, position=position))
        existing.add(place)
    return created


@transaction.atomic
def sites_from_list(*, acting_user: Any, item: Item) -> list[Site]:
    """Create the sites named in the item's 建设地点 column (those not there yet)."""
    plan = item_plan(item)
    require(may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    places = list_places(item)
    if not places:
        raise ValidationFailed(_("The list gives no 建设地点 (place) for this item."))
    created = _sites_of_places(item, places, towns_of(plan.region))
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=item,
        plan=plan,
        after={"sites": [s.name for s in created]},
        message="sites_from_list",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return created


def sites_on_publish(sender: Any, *, plan: Plan, acting_user: Any, **kwargs: Any) -> None:
    """`plan_published`: items whose list gave a 建设地点 and that have no site yet get their sites, in the
    publishing transaction (the publication is the office's decision; one audit row for the plan)."""
    towns: dict[str, Region] | None = None
    created: list[Site] = []
    for item in Item.objects.filter(project__plan=plan).exclude(extra={}).order_by("pk"):
        places = list_places(item)
        if not places or Site.objects.filter(item=item).exists():
            continue
        towns = towns if towns is not None else towns_of(plan.region)
        created += _sites_of_places(item, places, towns)
    if created:
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            obj=plan,
            plan=plan,
            after={"sites": [s.name for s in created]},
            message="sites_from_list on publish",
        )
