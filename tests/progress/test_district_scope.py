"""The extensions page and the reporting spreadsheet (download and upload) check the reporter's district."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from factories import RegionFactory, UnitFactory, UserFactory
from minsheng.progress import policies
from progress.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(world: World) -> Any:
    """A reporter of a unit in another district (溧阳市) of the same city."""
    other_district = RegionFactory(
        name="溧阳市", code="320481", level="district", parent=world.plan.region.parent
    )
    unit = UnitFactory(name="溧阳市住建局", region=other_district)
    return UserFactory(username="liyang", role="reporter", unit=unit, region=other_district)


def _urls(world: World) -> list[str]:
    period = world.period(3)
    return [
        reverse("progress:extensions", args=[world.plan.pk]),
        reverse("progress:sheet_download", args=[world.plan.pk, period.pk]),
        reverse("progress:sheet_upload", args=[world.plan.pk, period.pk]),
    ]


def test_a_reporter_of_another_district_is_refused(client, world, outsider):
    client.force_login(outsider)
    for url in _urls(world):
        assert client.get(url).status_code == 403, url
    assert client.post(_urls(world)[2], {}).status_code == 403
    assert not policies.can_use_sheet(outsider, world.plan)


def test_the_districts_own_reporter_still_gets_in(client, world):
    client.force_login(world.reporter)
    for url in _urls(world):
        assert client.get(url).status_code == 200, url
    assert policies.can_use_sheet(world.reporter, world.plan)
