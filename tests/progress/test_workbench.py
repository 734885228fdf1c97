"""The office's reporting workbench: periods with the publication and by command, closing every past
month in one action, and switching plans while an old period is selected."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from factories import PASSWORD, ItemFactory, ItemUnitFactory, PlanFactory, ProjectFactory, TargetFactory
from minsheng.alerts.services import periods_close_due
from minsheng.plans.services import plan_publish
from minsheng.progress import services
from minsheng.progress.models import Period
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def _draft_plan(district: Any, lead: Any) -> Any:
    plan = PlanFactory(region=district, year=2025, status="draft", title="2025年民生实事")
    item = ItemFactory(project=ProjectFactory(plan=plan, no=1))
    ItemUnitFactory(item=item, unit=lead, role="lead", position=1)
    TargetFactory(item=item, position=1)
    return plan


def test_publishing_creates_the_periods(world: World) -> None:
    plan = _draft_plan(world.plan.region, world.lead)
    assert not Period.objects.filter(plan=plan).exists()
    plan_publish(acting_user=world.office, plan=plan)
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    assert len(periods) == 12 and periods[0].start == dt.date(2025, 1, 1)
    plan_publish(acting_user=world.office, plan=plan)  # publishing twice adds nothing
    assert Period.objects.filter(plan=plan).count() == 12


def test_periods_command_creates_the_missing_periods(world: World) -> None:
    plan = _draft_plan(world.plan.region, world.lead)
    out = io.StringIO()
    call_command("periods", str(plan.pk), stdout=out)
    assert "12 reporting period(s) (2025-01-01 – 2025-12-31)" in out.getvalue()
    call_command("periods", str(plan.pk), stdout=io.StringIO())
    assert Period.objects.filter(plan=plan).count() == 12
    with pytest.raises(CommandError, match="No plan #999999"):
        call_command("periods", "999999")


def test_close_every_past_month_in_one_action(client: Any, world: World) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.office.username, password=PASSWORD)
    page = client.get(reverse("progress:inbox") + f"?plan={world.plan.pk}").content.decode()
    assert "Close all 12 past periods still open" in page  # the 2024 plan, seen in 2026
    response = client.post(reverse("progress:periods_close_due", args=[world.plan.pk]), follow=True)
    assert "12 period(s) closed" in response.content.decode()
    assert not Period.objects.filter(plan=world.plan, closed_at__isnull=True).exists()
    response = client.post(reverse("progress:periods_close_due", args=[world.plan.pk]), follow=True)
    assert "Every past period is already closed." in response.content.decode()


def test_closing_stops_at_a_month_with_reports_waiting(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    run = periods_close_due(acting_user=world.office, plan=world.plan, on=dt.date(2024, 7, 1))
    assert [p.start.month for p in run.closed] == [1, 2]
    assert run.stopped_at == world.period(3) and "wait for review" in run.reason
    assert world.period(3).closed_at is None


def test_others_cannot_close_periods(client: Any, world: World) -> None:
    client.login(username=world.reviewer.username, password=PASSWORD)
    response = client.post(reverse("progress:periods_close_due", args=[world.plan.pk]))
    assert response.status_code == 403
    assert not Period.objects.filter(plan=world.plan, closed_at__isnull=False).exists()


def test_switching_plan_with_an_old_period_selected_is_not_a_dead_end(client: Any, world: World) -> None:
    other = _draft_plan(world.plan.region, world.lead)
    plan_publish(acting_user=world.office, plan=other)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.office.username, password=PASSWORD)
    url = reverse("progress:inbox") + f"?plan={other.pk}&period={world.period(3).pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["period"].plan_id == other.pk
    # A plan the user may not see, or garbage, is a product 404 page, never a debug page.
    response = client.get(reverse("progress:inbox") + "?plan=999999")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
