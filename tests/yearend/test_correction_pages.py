"""A recorded correction of a closed year's final result (最终结果更正) is what the portal and the
dashboard show afterwards: the stored light is rebuilt from the corrected snapshot and the change stamp
moves, so cached pages refresh."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.alerts.lights import item_lights
from minsheng.alerts.models import Light, LightKind
from minsheng.alerts.selectors import item_statuses
from minsheng.alerts.status import Status
from minsheng.core.changes import changes_version
from minsheng.dashboard.selectors import Filters, dashboard
from minsheng.plans.models import Plan
from minsheng.yearend.services import final_result_correct, year_close, year_end_date_set
from yearend.helpers import lagging

pytestmark = pytest.mark.django_db


def _item_li(html: str, item_id: int) -> str:
    """The plan page's list entry of one item."""
    found = re.search(rf'<li>\s*<a href="/public/items/{item_id}/">.*?</li>', html, re.S)
    assert found, html
    return found.group(0)


def _closed(world: Any, capture: Any) -> Plan:
    with capture(execute=True):
        lagging(world)
        year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 20))
        year_close(acting_user=world.office, plan=world.plan)
    return Plan.objects.get(pk=world.plan.pk)


def _correct(world: Any, capture: Any, **changes: Any) -> None:
    target = world.item.targets.get()
    with capture(execute=True):
        final_result_correct(
            acting_user=world.office,
            item=world.item,
            reason="12月验收数据漏报，补录实际完成20公里",
            reached={target.pk: changes.get("reached", "20")},
            ending=changes.get("ending", "done"),
        )


def test_the_portal_and_the_dashboard_show_the_corrected_final_result(
    client, world, django_capture_on_commit_callbacks
):
    plan = _closed(world, django_capture_on_commit_callbacks)
    item_url = reverse("portal:item", args=[world.item.pk])
    plan_url = reverse("portal:plan", args=[plan.pk])
    # Read (and cache) the pages before the correction: the frozen result, severely behind.
    before_item = client.get(item_url).content.decode()
    before_plan = _item_li(client.get(plan_url).content.decode(), world.item.pk)
    assert "light-red" in before_item and "light-red" in before_plan
    assert dashboard(plan, Filters()).counts[Status.SEVERE] == 1
    stamp = changes_version()

    _correct(world, django_capture_on_commit_callbacks)

    assert changes_version() != stamp  # cached pages and dashboard figures are keyed on it
    light = Light.objects.get(kind=LightKind.ITEM, key=world.item.pk)
    assert light.status == Status.DONE and light.completion == 1.0
    assert light.values["targets"][0]["reached"] == "20.0000"
    item_html = client.get(item_url).content.decode()
    assert "light-blue" in item_html and "light-red" not in item_html
    entry = _item_li(client.get(plan_url).content.decode(), world.item.pk)
    assert "light-blue" in entry and "100" in entry
    board = dashboard(plan, Filters())
    assert board.counts[Status.DONE] == 1 and board.counts.get(Status.SEVERE, 0) == 0
    client.force_login(world.leader)
    listed = client.get(reverse("dashboard:items") + f"?plan={plan.pk}&status=done").content.decode()
    assert world.item.text in listed


def test_a_correction_without_an_ending_recomputes_the_light_from_the_values(
    world, django_capture_on_commit_callbacks
):
    plan = _closed(world, django_capture_on_commit_callbacks)
    _correct(world, django_capture_on_commit_callbacks, reached="19", ending="")
    status = item_lights([plan], item_ids=[world.item.pk])[world.item.pk]
    part = status.targets[0]
    assert str(part.reached) == "19.0000" and status.outcome is None
    assert status.status != Status.DONE and status.completion > 0.45
    # Rebuilding the lights from scratch gives the same: the rule lives in alerts.selectors.item_statuses.
    live = item_statuses(plan)[world.item.pk]
    assert (live.status, live.completion) == (status.status, status.completion)


def test_an_uncorrected_item_keeps_its_computed_light(world, django_capture_on_commit_callbacks):
    plan = _closed(world, django_capture_on_commit_callbacks)
    others = [pk for pk in item_statuses(plan) if pk != world.item.pk]
    before = {pk: s for pk, s in item_statuses(plan).items() if pk in others}
    _correct(world, django_capture_on_commit_callbacks)
    after = item_statuses(plan)
    assert all(after[pk] == before[pk] for pk in others)


def test_a_correction_adds_no_query_to_the_lights(world, django_capture_on_commit_callbacks):
    plan = _closed(world, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as uncorrected:
        item_statuses(plan)
    _correct(world, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as corrected:
        item_statuses(plan)
    assert len(corrected) == len(uncorrected)
