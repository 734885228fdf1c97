"""An item measured per site: the reporter enters values per site; the item's values are their sum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD
from minsheng.core.exceptions import ValidationFailed
from minsheng.progress.models import ProgressReport, TargetValue
from minsheng.sites import services
from minsheng.sites.models import Site, SiteValue
from progress.factories import build_world
from sites.helpers import per_site_world

pytestmark = pytest.mark.django_db


def post(client: Any, world: Any, fields: dict[str, str]) -> Any:
    url = reverse("progress:report", args=[world.item.pk, world.period(3).pk])
    return client.post(url, {"action": "save", "progress": "推进中", **fields})


def test_the_report_form_takes_values_per_site_and_the_item_gets_their_sum(
    client: Any, district: Any
) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    client.login(username="zhujian", password=PASSWORD)
    form = client.get(reverse("progress:report", args=[world.item.pk, world.period(3).pk])).content.decode()
    assert f'name="site-{sites[0].pk}-{target.pk}"' in form
    response = post(
        client,
        world,
        {
            f"t-{target.pk}": "1",
            f"site-{sites[0].pk}-{target.pk}": "2.5",
            f"site-{sites[1].pk}-{target.pk}": "4",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(item=world.item, period=world.period(3))
    assert TargetValue.objects.get(report=report, target=target).value == Decimal("6.5")
    assert sorted(SiteValue.objects.values_list("site__name", "value")) == [
        ("小区1", Decimal("2.5")),
        ("小区2", Decimal("4")),
    ]
    # A change of one site moves the sum; the third site joins.
    post(client, world, {f"site-{sites[1].pk}-{target.pk}": "5", f"site-{sites[2].pk}-{target.pk}": "1"})
    assert TargetValue.objects.get(report=report, target=target).value == Decimal("8.5")


def test_a_bad_site_value_saves_nothing_and_says_which_site(client: Any, district: Any) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    client.login(username="zhujian", password=PASSWORD)
    response = post(
        client, world, {f"site-{sites[0].pk}-{target.pk}": "3", f"site-{sites[1].pk}-{target.pk}": "-2"}
    )
    assert response.status_code == 400
    assert "Site “小区2”" in response.content.decode()
    assert not SiteValue.objects.exists()
    assert not ProgressReport.objects.filter(item=world.item, period=world.period(3)).exists()


def test_an_item_not_measured_per_site_keeps_its_typed_values(client: Any, district: Any) -> None:
    world = build_world(district)
    site = Site.objects.create(item=world.item, name="小区1")
    target = world.item.targets.get()
    client.login(username="zhujian", password=PASSWORD)
    post(client, world, {f"t-{target.pk}": "7", f"site-{site.pk}-{target.pk}": "2"})
    assert TargetValue.objects.get(target=target).value == Decimal("7")
    assert not SiteValue.objects.exists()


def test_the_per_site_flag_needs_sites(district: Any) -> None:
    world = build_world(district)
    with pytest.raises(ValidationFailed, match="Add the item's sites first"):
        services.site_set_update(acting_user=world.office, item=world.item, per_site=True)


def test_reviewers_see_the_values_per_site_in_the_queue(client: Any, district: Any) -> None:
    from minsheng.progress.services import report_submit

    world, sites = per_site_world(district)
    target = world.item.targets.get()
    client.login(username="zhujian", password=PASSWORD)
    post(client, world, {f"site-{sites[0].pk}-{target.pk}": "2", f"site-{sites[2].pk}-{target.pk}": "3"})
    report = ProgressReport.objects.get(item=world.item, period=world.period(3))
    report_submit(acting_user=world.reporter, report=report)
    client.logout()
    client.login(username="reviewer", password=PASSWORD)
    queue = client.get(reverse("progress:queue")).content.decode()
    assert "Values per site (2)" in queue
    assert "小区1: 改造老旧小区管网20公里 <strong>2</strong> 公里" in queue
