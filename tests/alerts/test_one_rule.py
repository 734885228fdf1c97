"""One light rule everywhere: on the demo, every item shows the same light and percentage on the dashboard,
the portal, the bulletin and the API; items without targets or milestones say 无量化指标, never 0 %."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from minsheng.accounts.models import User
from minsheng.alerts.status import Status, status_colour
from minsheng.bulletins.selectors import bulletin_data
from minsheng.dashboard.selectors import Filters, dashboard
from minsheng.plans.models import Plan
from minsheng.portal.selectors import plan_overview
from minsheng.progress.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_plan(demo_year: Plan) -> Plan:
    return demo_year


def pct(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def test_same_light_and_percentage_on_every_surface(demo_plan: Plan) -> None:
    plan = demo_plan
    board = dashboard(plan, Filters())
    dash = {
        r.pk: (str(r.status.status), r.status.measurable and pct(r.status.completion)) for r in board.items
    }

    view = plan_overview(plan)
    portal = {
        iv.item.pk: (str(iv.status.status), iv.status.measurable and pct(iv.status.completion))
        for pv in view.projects
        for iv in pv.items
        if iv.status is not None
    }

    # The year's last period ends on 31 December, the day a past year's plan is shown for.
    december = Period.objects.filter(plan=plan).order_by("-end").first()
    assert december is not None
    data = bulletin_data(plan, december)
    unmeasured = {i.pk for i in data.items if i.status == Status.UNMEASURED}
    bulletin = {i.pk: (i.status, i.pk not in unmeasured and pct(i.completion)) for i in data.items}

    api = APIClient()
    api.force_authenticate(User.objects.get(username="leader"))
    response = api.get("/api/items/", {"plan": plan.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    from_api = {r["id"]: (r["status"], r["completion"] is not None and pct(r["completion"])) for r in rows}
    colours = {r["id"]: r["colour"] for r in rows}

    assert len(dash) == 30
    assert dash == portal == bulletin == from_api
    assert all(colours[pk] == status_colour(status) for pk, (status, _) in from_api.items())
    # The demo has items without any target or milestone: they have a state of their own.
    assert any(status == Status.UNMEASURED for status, _ in dash.values())
    # Headline 序时 is the items' 序时 (one computation), on the dashboard and in the bulletin.
    assert pct(board.total.expected) == pct(data.expected)
    assert pct(board.total.completion) == pct(data.completion)


def test_unmeasured_items_show_no_percentage_on_the_pages(demo_plan: Plan) -> None:
    plan = demo_plan
    board = dashboard(plan, Filters())
    blank = [r for r in board.items if not r.status.measurable]
    assert blank
    assert all(r.days_behind is None for r in blank)
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    page = client.get("/dashboard/", {"plan": plan.pk}).content.decode()
    # The severe list never says 0 % / 0 % for an item it cannot measure.
    assert "0% / 0%" not in page
    portal = Client().get(f"/public/plans/{plan.pk}/").content.decode()
    assert "无量化指标" in portal or "no measurable target" in portal


def test_an_ending_recorded_after_the_year_counts_for_the_final_result(demo_plan: Plan) -> None:
    import datetime as dt

    from minsheng.plans.models import Item
    from minsheng.progress.services import item_end

    plan = demo_plan
    item = Item.objects.filter(project__plan=plan).order_by("pk")[2]
    office = User.objects.get(username="office")
    # A 2024 item accepted as done on 6 December 2026: the 2024 list's final result shows it done.
    item_end(acting_user=office, item=item, kind="done", ended_on=dt.date(2026, 12, 6))
    board = {r.pk: r.status for r in dashboard(plan, Filters()).items}
    portal = {iv.item.pk: iv.status for pv in plan_overview(plan).projects for iv in pv.items}
    assert board[item.pk].status == portal[item.pk].status == Status.DONE
    assert board[item.pk].accepted and portal[item.pk].colour == "blue"
