"""The multi-level view: a city leader sees its districts' plans aggregated and ranked, and a district's years
side by side; the pages' query counts do not grow with the number of districts (3 vs 30)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from alerts.province import grow, queries
from factories import PlanFactory, RegionFactory, UserFactory
from minsheng.alerts.lights import lights_refresh
from minsheng.funds.lights import fund_lights_refresh
from minsheng.funds.models import PlannedFund
from minsheng.plans.models import Item, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_in_memory")]


def grow_with_money(city: Any, plans: int, year: int = 2024) -> list[Plan]:
    made = grow(city, plans=plans, items=2, year=year)
    items = Item.objects.filter(project__plan__in=made)
    PlannedFund.objects.bulk_create([PlannedFund(item=i, source="local", amount=Decimal(100)) for i in items])
    for plan in made:
        fund_lights_refresh(plan)
    return made


def test_city_view_does_not_grow_with_districts(client: Any, city: Any) -> None:
    leader = UserFactory(username="cityleader", role="leader", region=city)
    client.force_login(leader)
    grow_with_money(city, 3)
    small = queries(client, reverse("dashboard:districts"))
    grow_with_money(city, 27)
    page = client.get(reverse("dashboard:districts"))
    assert page.content.decode().count("第") >= 30  # every district is listed
    assert queries(client, reverse("dashboard:districts")) <= small


def test_year_comparison_does_not_grow_with_years(client: Any, city: Any) -> None:
    leader = UserFactory(username="cityleader", role="leader", region=city)
    client.force_login(leader)
    first = grow_with_money(city, 1, year=2024)[0]
    url = reverse("dashboard:compare", args=[first.region_id])
    small = queries(client, url)
    for year in range(2015, 2024):
        PlanFactory(region=first.region, year=year, status="published", title=f"{year}年民生实事")
    lights_refresh(Plan.objects.values_list("pk", flat=True))
    page = client.get(url).content.decode()
    assert "2015" in page and "2024" in page
    assert queries(client, url) <= small


def test_figures_ranking_and_funds(client: Any, city: Any, world: Any) -> None:
    """The district's own plan (from `world`, 金坛区) beside generated ones: counts, ranking, money."""
    leader = UserFactory(username="cityleader", role="leader", region=world.plan.region.parent)
    client.force_login(leader)
    from minsheng.funds.services import planned_funds_set

    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "1200"})
    lights_refresh([world.plan.pk])
    page = client.get(reverse("dashboard:districts"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "金坛区" in text and "1,200" in text
    assert reverse("dashboard:compare", args=[world.plan.region_id]) in text


def test_another_region_is_out_of_reach(client: Any, city: Any, world: Any) -> None:
    """A leader of another city sees none of Changzhou's districts and cannot open their years."""
    other_city = RegionFactory(name="无锡市", code="320200", level="city", parent=city.parent)
    stranger = UserFactory(username="wuxi", role="leader", region=other_city)
    client.force_login(stranger)
    page = client.get(reverse("dashboard:districts"))
    assert page.status_code == 200 and "金坛区" not in page.content.decode()
    assert client.get(reverse("dashboard:compare", args=[world.plan.region_id])).status_code == 404
    district_leader = world.leader  # a district's own leader sees only its district
    client.force_login(district_leader)
    assert client.get(reverse("dashboard:compare", args=[world.plan.region_id])).status_code == 200
    assert client.get(reverse("dashboard:compare", args=[other_city.pk])).status_code == 404


def test_overview_shows_the_plans_money(client: Any, world: Any) -> None:
    from minsheng.funds.services import planned_funds_set

    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "800", "social": "400"})
    client.force_login(world.leader)
    html = client.get(reverse("dashboard:overview"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="dashboard-funds"' in html and "资金" in html and "1,200" in html
    assert '"chart-funds"' in html


def test_items_list_shows_the_fund_light_beside_the_progress_light(client: Any, world: Any) -> None:
    from minsheng.funds.services import planned_funds_set

    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "100"})
    second = world.add_item()
    client.force_login(world.leader)
    html = client.get(
        reverse("dashboard:items") + f"?plan={world.plan.pk}", HTTP_ACCEPT_LANGUAGE="en"
    ).content
    rows = html.decode().split("<tbody>")[1].split("</tr>")
    mine = next(r for r in rows if f"/progress/items/{world.item.pk}/" in r)
    other = next(r for r in rows if f"/progress/items/{second.pk}/" in r)
    assert "0%/" in mine  # nothing paid yet, against the schedule
    assert "0%/" not in other  # no planned money: no fund light
