"""Values per site through the REST API's report write: `site_values`, summed into the item's values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from api.conftest import ApiError
from api.conftest import api as api  # the token-authenticated client fixture
from minsheng.progress.models import ProgressReport, TargetValue
from minsheng.sites import services
from minsheng.sites.models import Site, SiteValue
from progress.factories import build_world
from sites.helpers import per_site_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_sign_in(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MINSHENG_API_SIGN_IN_RATE = None


def test_site_values_are_stored_and_the_item_gets_their_sum(district: Any, api: Any) -> None:
    world, sites = per_site_world(district, count=2)
    target = world.item.targets.get()
    body = {
        "item": world.item.pk,
        "period": world.period(3).pk,
        "site_values": [
            {"site": sites[0].pk, "target": target.pk, "value": 2.5},
            {"site": sites[1].pk, "target": target.pk, "value": 4},
        ],
        "progress": "两个小区施工",
    }
    report = api("POST", "/api/reports/", body, user=world.reporter)
    assert report["target_values"] == [{"target": target.pk, "value": 6.5}]
    assert sorted(SiteValue.objects.values_list("site__name", "value")) == [
        ("小区1", Decimal("2.5")),
        ("小区2", Decimal("4")),
    ]
    # A change of one site through PATCH moves the sum; the version returned is the one stored.
    changed = api(
        "PATCH",
        f"/api/reports/{report['id']}/",
        {
            "version": report["version"],
            "site_values": [{"site": sites[1].pk, "target": target.pk, "value": 5}],
        },
        user=world.reporter,
    )
    assert changed["target_values"] == [{"target": target.pk, "value": 7.5}]
    assert changed["version"] == ProgressReport.objects.get(pk=report["id"]).version


def test_bad_site_values_save_nothing(district: Any, api: Any) -> None:
    world = build_world(district)
    site = Site.objects.create(item=world.item, name="小区1")
    target = world.item.targets.get()
    body = {
        "item": world.item.pk,
        "period": world.period(3).pk,
        "site_values": [{"site": site.pk, "target": target.pk, "value": 3}],
        "progress": "推进中",
    }
    # Not measured per site: refused, and the report itself is not created either.
    with pytest.raises(ApiError) as refused:
        api("POST", "/api/reports/", body, user=world.reporter)
    assert (refused.value.status, refused.value.body["field"]) == (400, "site_values")
    assert "不按点位填报" in refused.value.body["detail"]  # the API speaks Chinese by default
    assert not ProgressReport.objects.exists()

    services.site_set_update(acting_user=world.office, item=world.item, per_site=True)
    other = build_world_item_site(world)
    body["site_values"] = [{"site": other.pk, "target": target.pk, "value": 3}]
    with pytest.raises(ApiError) as foreign:
        api("POST", "/api/reports/", body, user=world.reporter)
    assert foreign.value.status == 400
    assert not ProgressReport.objects.exists() and not SiteValue.objects.exists()
    assert not TargetValue.objects.exists()


def build_world_item_site(world: Any) -> Site:
    """A site of another item of the same plan."""
    item = world.add_item(targets=1)
    return Site.objects.create(item=item, name="别的点位")


def test_a_reporter_of_another_district_writes_no_site_values(district: Any, api: Any) -> None:
    from factories import RegionFactory, UnitFactory, UserFactory

    world = build_world(district)
    site = Site.objects.create(item=world.item, name="小区1")
    services.site_set_update(acting_user=world.office, item=world.item, per_site=True)
    target = world.item.targets.get()
    report = api(
        "POST",
        "/api/reports/",
        {
            "item": world.item.pk,
            "period": world.period(3).pk,
            "site_values": [{"site": site.pk, "target": target.pk, "value": 2}],
            "progress": "推进中",
        },
        user=world.reporter,
    )
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    stranger = UserFactory(
        username="liyang",
        role="reporter",
        region=elsewhere,
        unit=UnitFactory(name="溧阳住建局", region=elsewhere),
    )
    with pytest.raises(ApiError) as refused:
        api(
            "PATCH",
            f"/api/reports/{report['id']}/",
            {
                "version": report["version"],
                "site_values": [{"site": site.pk, "target": target.pk, "value": 9}],
            },
            user=stranger,
        )
    assert refused.value.status in (403, 404)
    assert SiteValue.objects.get().value == Decimal(2)
