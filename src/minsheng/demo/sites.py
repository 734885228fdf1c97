"""Demo sites (点位): the outline of 金坛区 drawn for the demo, sites of a few 2024 items in Jintan's towns.

The outline (data/jintan-outline.json) is an approximation drawn by hand for the demo, not an official
boundary. Coordinates are near each town's centre. Running it again adds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from minsheng.accounts.choices import Role
from minsheng.demo.activity import _staff
from minsheng.orgs.choices import RegionLevel
from minsheng.orgs.models import Region
from minsheng.plans.models import Item, Plan
from minsheng.sites import services
from minsheng.sites.models import Boundary, Site

OUTLINE = Path(__file__).parent / "data" / "jintan-outline.json"
# Near the centre of each town or street (longitude, latitude).
TOWN_POINTS = {
    "金城镇": (119.57, 31.74),
    "儒林镇": (119.47, 31.67),
    "直溪镇": (119.43, 31.83),
    "朱林镇": (119.40, 31.76),
    "薛埠镇": (119.37, 31.70),
    "指前镇": (119.60, 31.63),
    "东城街道": (119.61, 31.75),
    "西城街道": (119.54, 31.73),
    "尧塘街道": (119.60, 31.83),
}
# Per item (in list order): the towns its sites are in and how a site is named there.
ITEM_TOWNS = [
    (("金城镇", "儒林镇", "直溪镇", "薛埠镇"), "{town}中心小学"),
    (("东城街道", "西城街道", "尧塘街道"), "{short}实验小学"),
    (("朱林镇", "指前镇"), "{short}区域性医疗卫生中心"),
    (("金城镇", "直溪镇", "儒林镇"), "{short}全民健身场地"),
]


def seed_sites(plan: Plan) -> int:
    """The outline and the sites, as the office would enter them; returns the number of sites added."""
    office = _staff(plan, Role.OFFICE)
    if office is None:
        return 0
    if not Boundary.objects.filter(region=plan.region).exists():
        services.boundary_upload(
            acting_user=office, region=plan.region, data=OUTLINE.read_bytes(), name=OUTLINE.name
        )
    towns = {r.name: r for r in Region.objects.filter(parent=plan.region, level=RegionLevel.TOWN)}
    items = list(
        Item.objects.filter(project__plan=plan, targets__isnull=False)
        .distinct()
        .select_related("project")
        .order_by("project__position", "project__no", "position")[: len(ITEM_TOWNS)]
    )
    added = 0
    for number, (item, (names, pattern)) in enumerate(zip(items, ITEM_TOWNS, strict=False)):
        if Site.objects.filter(item=item).exists():
            continue
        for n, town_name in enumerate(names):
            lon, lat = TOWN_POINTS[town_name]
            # Spread an item's sites a little around the town centre so they do not overlap.
            offset = Decimal(number * 3 + n) / Decimal(400)
            services.site_save(
                acting_user=office,
                item=item,
                data=services.SiteInput(
                    name=pattern.format(
                        town=town_name, short=town_name.removesuffix("镇").removesuffix("街道")
                    ),
                    town=towns.get(town_name),
                    address=f"{town_name}",
                    longitude=Decimal(str(lon)) + offset,
                    latitude=Decimal(str(lat)) - offset / 2,
                ),
            )
            added += 1
        if number == 0:
            services.site_set_update(acting_user=office, item=item, per_site=True)
    return added
