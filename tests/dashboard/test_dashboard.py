"""The dashboard: leaders and the office only; figures from approved values; fixed number of queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.scenario import approve, build
from factories import UserFactory
from minsheng.alerts.status import Status
from minsheng.dashboard.selectors import Filters, dashboard


@pytest.fixture
def scenario(district: Any):
    scn = build(district)
    items = scn.items()
    # Lights as of 31 December 2024 (the plan's year is over): December reports were due on the 25th.
    approve(scn, items[0], 12, "1", milestones="done")  # done
    approve(scn, items[1], 12, "0.8", milestones="done")  # 20 points behind: lagging
    approve(scn, items[2], 3, "0.3")  # far behind and no December report: severe
    return scn


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role, allowed", [("leader", True), ("office", True), ("reporter", False), ("deputy", True)]
)
def test_only_leaders_and_office(client, district, role, allowed):
    build(district)
    client.force_login(UserFactory(role=role, region=district))
    assert client.get("/dashboard/").status_code == (200 if allowed else 403)


def test_headline_and_red_list(client, scenario):
    board = dashboard(scenario.plan, Filters())
    assert board.counts[Status.DONE] == 1
    assert board.counts[Status.LAGGING] == 1
    assert board.counts[Status.SEVERE] == 2  # the severe one, and the one never reported
    red_texts = [r.text for r in board.red]
    assert scenario.items()[2].text in red_texts and scenario.items()[3].text in red_texts
    assert board.red[0].days_behind >= board.red[-1].days_behind > 0
    client.force_login(scenario.leader)
    html = client.get("/dashboard/").content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "dashboard/dashboard.js" in html
    assert "<script>" not in html  # CSP: no inline script; options travel as JSON
    options = json.loads(
        html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert set(options) == {
        "chart-projects",
        "chart-status",
        "chart-units",
        "chart-trend",
        "chart-project-trend",
    }
    bars = options["chart-projects"]["series"][0]["data"]
    assert all(point["url"].startswith("/dashboard/items/?plan=") for point in bars)


def test_drill_down_lists_the_items_behind_a_figure(client, scenario):
    client.force_login(scenario.leader)
    url = reverse("dashboard:items") + f"?plan={scenario.plan.pk}&status=severe"
    html = client.get(url).content.decode()
    items = scenario.items()
    assert items[2].text[:20] in html and items[3].text[:20] in html
    assert items[0].text[:20] not in html


def test_filters_by_project_unit_and_town(scenario):
    items = scenario.items()
    project = items[0].project
    by_project = dashboard(scenario.plan, Filters(project_id=project.pk))
    assert {r.pk for r in by_project.items} == {i.pk for i in items if i.project_id == project.pk}
    lead = items[1].item_units.get(role="lead").unit
    by_unit = dashboard(scenario.plan, Filters(unit_id=lead.pk))
    assert items[1].pk in {r.pk for r in by_unit.items} and items[0].pk not in {r.pk for r in by_unit.items}
    # 金城镇 is named on item 1 of each project, and 各镇（街道） covers it there too.
    from minsheng.orgs.models import Unit

    town = Unit.objects.get(name="金城镇")
    by_town = dashboard(scenario.plan, Filters(town_id=town.pk))
    assert {r.pk for r in by_town.items} == {i.pk for i in items if i.position == 1}


def test_units_ranked_by_on_time_reporting(scenario):
    board = dashboard(scenario.plan, Filters())
    rates = [u.on_time_rate for u in board.units]
    assert rates == sorted(rates, reverse=True)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_items(client, district, django_assert_max_num_queries):
    small = build(district, projects=1, items=2, title="小清单")
    approve(small, small.items()[0], 3, "0.5")
    big = build(district, projects=8, items=6, title="大清单")
    for item in big.items()[::5]:
        approve(big, item, 3, "0.5")
    client.force_login(small.leader)
    small_count = _count(client, f"/dashboard/?plan={small.plan.pk}")
    url = f"/dashboard/?plan={big.plan.pk}"
    with django_assert_max_num_queries(small_count):
        client.get(url)
    items_url = reverse("dashboard:items") + f"?plan={big.plan.pk}&status=severe"
    small_items = _count(client, reverse("dashboard:items") + f"?plan={small.plan.pk}&status=severe")
    with django_assert_max_num_queries(small_items):
        client.get(items_url)


def test_progress_table_download_is_recorded(client, scenario):
    import io

    from openpyxl import load_workbook

    from minsheng.audit.models import AuditEvent

    client.force_login(scenario.leader)
    response = client.get(reverse("dashboard:export", args=["progress-xlsx"]) + f"?plan={scenario.plan.pk}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == sum(item.targets.count() for item in scenario.items()[:3])
    assert AuditEvent.objects.filter(
        actor=scenario.leader, action="export", after__format="progress-xlsx"
    ).exists()
