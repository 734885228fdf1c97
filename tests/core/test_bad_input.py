"""Bad input gets a 4xx and changes nothing, never a 500: the causes found by fuzzing, one test each."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from progress.factories import World

HUGE = "9" * 30
pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client: Any, world: World) -> Any:
    client.force_login(world.office)
    return client


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e999", "NaN", "abc", "1.5"])
@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/items/", "plan"),
        ("/api/items/", "project"),
        ("/api/projects/", "plan"),
        ("/api/targets/", "plan"),
        ("/api/targets/", "item"),
        ("/api/notices/", "plan"),
        ("/api/reports/", "plan"),
        ("/api/reports/", "period"),
        ("/api/periods/", "plan"),
        ("/api/plans/", "year"),
        ("/dashboard/", "plan"),
        ("/dashboard/items/", "project"),
        ("/dashboard/items/", "unit"),
        ("/progress/", "plan"),
        ("/progress/", "period"),
        ("/bulletins/", "plan"),
    ],
)
def test_huge_and_malformed_numbers_in_filters(office_client, path, name, value):
    response = office_client.get(path, {name: value})
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/api/plans/{}/", "/api/items/{}/", "/progress/items/{}/", "/plans/{}/"])
def test_huge_ids_in_paths(office_client, path):
    assert office_client.get(path.format(HUGE)).status_code == 404


@pytest.mark.parametrize("target", ["abc", HUGE, "", "-1"])
def test_reporting_settings_with_a_bad_target(office_client, world, target):
    url = reverse("progress:settings", args=[world.plan.pk])
    response = office_client.post(url, {"form": "schedule", "target": target, "monthly": "1,2"})
    assert response.status_code in (400, 404)


def test_units_form_posted_without_its_prefix_changes_nothing(office_client, world):
    item = world.item
    before = sorted(item.item_units.values_list("role", "written_as"))
    assert before
    url = reverse("plans:item_units_edit", args=[item.pk])
    response = office_client.post(url, {"lead_units": "", "partner_units": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 400)
    assert "without its unit fields" in response.content.decode()
    assert sorted(item.item_units.values_list("role", "written_as")) == before
    prefixed = office_client.post(
        url, {f"item-{item.pk}-lead_units": "区住建局", f"item-{item.pk}-partner_units": ""}
    )
    assert prefixed.status_code in (200, 302)
    assert list(item.item_units.values_list("role", "written_as")) == [("lead", "区住建局")]
