"""Year-end reading (年终认定): endings and approvals dated up to the office's reading date count for the
year's final result, on the portal and the dashboard alike (their stored lights are rebuilt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from minsheng.alerts.models import Light, LightKind
from minsheng.alerts.status import Status
from minsheng.core.exceptions import ValidationFailed
from minsheng.dashboard.selectors import Filters, dashboard
from minsheng.progress.services import item_end
from minsheng.yearend.services import year_end_date_set
from yearend.helpers import approved_on, lagging

pytestmark = pytest.mark.django_db


def _portal_status(client: Any, item_id: int) -> str:
    html = client.get(reverse("portal:item", args=[item_id])).content.decode()
    if "light-blue" in html:
        return "done"
    return "severe" if "light-red" in html else "other"


def _stored(item_id: int) -> str:
    return Light.objects.get(kind=LightKind.ITEM, key=item_id).status


def test_late_ending_before_the_reading_date_shows_on_the_portal_and_the_dashboard(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lagging(world)
    assert _stored(world.item.pk) == Status.SEVERE
    with django_capture_on_commit_callbacks(execute=True):
        # Accepted on 10 January 2025, after the plan's year, before the congress meets.
        item_end(acting_user=world.office, item=world.item, kind="done", ended_on=dt.date(2025, 1, 10))
        year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 20))

    assert _stored(world.item.pk) == Status.DONE
    assert _portal_status(client, world.item.pk) == "done"
    world.plan.refresh_from_db()
    assert dashboard(world.plan, Filters()).counts[Status.DONE] == 1
    client.force_login(world.leader)
    html = client.get(reverse("dashboard:items") + f"?plan={world.plan.pk}&status=done").content.decode()
    assert world.item.text in html

    # A reading date before the ending: the ending no longer counts, the lights are rebuilt.
    with django_capture_on_commit_callbacks(execute=True):
        year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 5))
    assert _stored(world.item.pk) == Status.SEVERE
    client.logout()
    assert _portal_status(client, world.item.pk) == "severe"
    world.plan.refresh_from_db()
    board = dashboard(world.plan, Filters())
    assert board.counts.get(Status.DONE, 0) == 0 and board.counts[Status.SEVERE] == 1


def test_an_approval_after_the_reading_date_does_not_count(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lagging(world)
        # December's report with the whole 20 km, approved only in March 2025.
        approved_on(world, world.item, world.period(12), "20", dt.date(2025, 3, 1))
    light = Light.objects.get(kind=LightKind.ITEM, key=world.item.pk)
    assert light.values["targets"][0]["reached"] == "20.0000"
    with django_capture_on_commit_callbacks(execute=True):
        year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 20))
    light = Light.objects.get(kind=LightKind.ITEM, key=world.item.pk)
    assert light.values["targets"][0]["reached"] == "8.0000"


@pytest.mark.parametrize(
    "day, message",
    [
        (dt.date(2024, 12, 30), "before 31 December 2024"),
        ("2025-13-01", "is not a date"),
        (dt.date(2026, 1, 1), "more than a year after"),
    ],
)
def test_a_reading_date_out_of_range_is_refused_and_nothing_changes(world, day, message):
    with pytest.raises(ValidationFailed, match=message):
        year_end_date_set(acting_user=world.office, plan=world.plan, on=day)
    world.plan.refresh_from_db()
    assert world.plan.year_end_on is None


def test_the_office_sets_the_date_on_the_page(client, world):
    client.force_login(world.office)
    url = reverse("yearend:plan", args=[world.plan.pk])
    response = client.post(url, {"on": "2024-12-01"})
    assert response.status_code == 200
    assert "before 31 December 2024" in response.content.decode()
    assert client.post(url, {"on": "2025-01-20"}).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.year_end_on == dt.date(2025, 1, 20)
    assert "2025-01-20" in client.get(url).content.decode()
