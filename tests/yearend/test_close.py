"""Closing the year (年度关账) freezes each item's final result and blocks edits; a recorded correction
is the only change, shown on the item's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ServiceError, ValidationFailed
from minsheng.plans.adjustments import target_correct
from minsheng.plans.services import target_update
from minsheng.progress.models import ItemOutcome, Period, TargetSchedule
from minsheng.progress.services import (
    item_end,
    report_save,
    report_submit,
    reporting_settings_update,
    target_schedule_set,
)
from minsheng.yearend.models import FinalCorrection, FinalResult, YearClose
from minsheng.yearend.selectors import is_year_closed
from minsheng.yearend.services import final_result_correct, year_close, year_end_date_set
from progress.factories import filled_report
from yearend.helpers import lagging

pytestmark = pytest.mark.django_db


def _close(world):
    lagging(world)
    year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 20))
    return year_close(acting_user=world.office, plan=world.plan)


def test_closing_freezes_the_final_results(world):
    close = _close(world)
    world.plan.refresh_from_db()
    assert is_year_closed(world.plan) and close.reading_on == dt.date(2025, 1, 20)
    result = FinalResult.objects.get(item=world.item)
    assert result.status == "severe"
    target = result.values["targets"][0]
    assert (target["value"], target["reached"], target["op"]) == ("20.0000", "8.0000", ">=")
    # Milestone in progress counts half: (0.4 + 0.5) / 2.
    assert result.completion == Decimal("0.4500")
    assert not Period.objects.filter(plan=world.plan, closed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(message="year_close", plan_id=world.plan.pk).count() == 1


def test_without_a_reading_date_the_closing_day_becomes_it(world):
    close = year_close(acting_user=world.office, plan=world.plan, today=dt.date(2025, 2, 3))
    assert close.reading_on == dt.date(2025, 2, 3)


def test_edits_are_refused_with_a_message_after_closing(world):
    _close(world)
    target = world.item.targets.get()
    with pytest.raises(Conflict, match=r"The year 2024 of .* is closed"):
        target_update(acting_user=world.office, target=target, value="30")
    with pytest.raises(Conflict, match="is closed"):
        target_correct(acting_user=world.office, target=target, reason="更正", value="30")
    with pytest.raises(ServiceError, match="closed"):
        report_save(acting_user=world.reporter, item=world.item, period=world.period(12), progress="又完成了")
    with pytest.raises(Conflict, match="is closed"):
        item_end(acting_user=world.office, item=world.item, kind="done", ended_on=dt.date(2025, 3, 1))
    with pytest.raises(Conflict, match="is closed"):
        reporting_settings_update(acting_user=world.office, plan=world.plan, lag_threshold=5)
    with pytest.raises(Conflict, match="is closed"):
        target_schedule_set(acting_user=world.office, target=target, monthly=[50] * 11 + [100])
    target.refresh_from_db()
    assert target.value == Decimal("20")
    assert not ItemOutcome.objects.exists() and not TargetSchedule.objects.exists()


def test_closing_is_refused_before_the_year_is_over_and_while_reports_wait(world):
    with pytest.raises(ValidationFailed, match="not over"):
        year_close(acting_user=world.office, plan=world.plan, today=dt.date(2024, 12, 31))
    report_submit(acting_user=world.reporter, report=filled_report(world, world.item, world.period(5)))
    with pytest.raises(ServiceError, match="wait for review"):
        year_close(acting_user=world.office, plan=world.plan)
    world.plan.refresh_from_db()
    assert not is_year_closed(world.plan) and world.plan.year_end_on is None
    assert not FinalResult.objects.exists() and not YearClose.objects.exists()
    assert not Period.objects.filter(plan=world.plan, closed_at__isnull=False).exists()


def test_a_second_close_is_refused(world):
    _close(world)
    with pytest.raises(Conflict, match="was closed on"):
        year_close(acting_user=world.office, plan=world.plan)


def test_only_the_office_of_the_region_closes(world):
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    for user in (world.reviewer, world.leader, UserFactory(role="office", region=elsewhere)):
        with pytest.raises(NotAllowed):
            year_close(acting_user=user, plan=world.plan)


def test_a_correction_is_recorded_and_shown(client, world):
    _close(world)
    target = world.item.targets.get()
    with pytest.raises(ValidationFailed, match="Say why"):
        final_result_correct(acting_user=world.office, item=world.item, reason=" ", reached={target.pk: "20"})
    result = final_result_correct(
        acting_user=world.office,
        item=world.item,
        reason="12月验收数据漏报，补录实际完成20公里",
        reached={target.pk: "20"},
        ending="done",
    )
    assert result.status == "done" and result.corrected and result.completion == Decimal("1.0000")
    correction = FinalCorrection.objects.get(result=result)
    assert correction.before["status"] == "severe" and correction.after["status"] == "done"
    assert AuditEvent.objects.filter(message="final_result_correct").count() == 1
    public = client.get(reverse("portal:item", args=[world.item.pk])).content.decode()
    assert "12月验收数据漏报" in public
    client.force_login(world.office)
    internal = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert "12月验收数据漏报" in internal


def test_the_correction_page(client, world):
    _close(world)
    target = world.item.targets.get()
    client.force_login(world.office)
    url = reverse("yearend:correct", args=[world.item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"target_{target.pk}": "-3", "ending": "", "reason": "x"})
    assert response.status_code == 200 and FinalCorrection.objects.count() == 0
    response = client.post(url, {f"target_{target.pk}": "12", "ending": "", "reason": "补录"})
    assert response.status_code == 302
    assert FinalResult.objects.get(item=world.item).values["targets"][0]["reached"] == "12.0000"


def test_the_close_confirmation_page(client, world):
    lagging(world)
    client.force_login(world.office)
    url = reverse("yearend:close", args=[world.plan.pk])
    assert "Close the year now" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302 and not YearClose.objects.exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert YearClose.objects.filter(plan=world.plan).exists()
    page = client.get(reverse("yearend:plan", args=[world.plan.pk])).content.decode()
    assert "Final results" in page and world.item.text[:20] in page


def test_another_district_sees_nothing(client, world):
    _close(world)
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    client.force_login(UserFactory(role="office", region=elsewhere))
    for name, pk in (
        ("yearend:plan", world.plan.pk),
        ("yearend:close", world.plan.pk),
        ("yearend:report", world.plan.pk),
        ("yearend:correct", world.item.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("yearend:carry", args=[world.plan.pk])).status_code == 404
    assert world.plan.title not in client.get(reverse("yearend:index")).content.decode()
