"""Unit assessment: score maths by hand, stored scores, weights, .xlsx read back, scope, query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories import RegionFactory, UserFactory
from minsheng.alerts.lights import group_lights
from minsheng.alerts.models import LightKind
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.participation.assessment.exports import assessment_workbook
from minsheng.participation.assessment.models import Assessment, UnitScore
from minsheng.participation.assessment.scoring import Figures, parts, ranks, total
from minsheng.participation.assessment.selectors import unit_figures
from minsheng.participation.assessment.services import assessment_compute, assessment_weights_set
from minsheng.progress.models import ReportRevision
from minsheng.progress.services import report_submit
from minsheng.supervision.models import SupervisionNotice
from progress.factories import filled_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 4, 30)
WEIGHTS = {"on_time": 40, "completion": 30, "supervision": 30, "satisfaction": 0, "rectification": 0}


def test_parts_and_total_by_hand():
    figures = Figures(
        due=4,
        on_time=3,
        completion=0.3,
        expected=0.4,
        notices=1,
        rated=True,
        satisfaction=[Decimal("80"), Decimal("95")],
        tasks=2,
        tasks_closed=1,
    )
    scores = parts(figures)
    assert scores == {
        "on_time": Decimal("75.0"),  # 3 of 4
        "completion": Decimal("75.0"),  # 0.3 / 0.4
        "supervision": Decimal("80.0"),  # 100 − 20
        "satisfaction": Decimal("87.5"),  # (80 + 95) / 2
        "rectification": Decimal("50.0"),  # 1 of 2
    }
    weights = {"on_time": 30, "completion": 20, "supervision": 10, "satisfaction": 30, "rectification": 10}
    # (30×75 + 20×75 + 10×80 + 30×87.5 + 10×50) / 100 = 76.75 → 76.8
    assert total(scores, weights) == Decimal("76.8")


def test_parts_that_do_not_apply_leave_the_weighted_mean_of_the_others():
    scores = parts(Figures(due=0, completion=0.5, expected=0.0, notices=6))
    assert scores["on_time"] == 100 and scores["completion"] == 100 and scores["supervision"] == 0
    assert scores["satisfaction"] is None and scores["rectification"] is None
    weights = {"on_time": 20, "completion": 20, "supervision": 20, "satisfaction": 30, "rectification": 10}
    assert total(scores, weights) == Decimal("66.7")  # (100 + 100 + 0) × 20 / 60
    assert parts(Figures(completion=0.9, expected=0.6))["completion"] == 100  # ahead is capped


def test_equal_totals_share_a_rank():
    assert ranks({1: Decimal(80), 2: Decimal(80), 3: Decimal(70)}) == {1: 1, 2: 1, 3: 3}


def _submitted(world: Any, item: Any, month: int, on: dt.datetime) -> None:
    report = filled_report(world, item, world.period(month))
    report_submit(acting_user=world.reporter, report=report)
    ReportRevision.objects.filter(report=report, action="submit").update(at=on)


def _aware(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + " 10:00"))


@pytest.fixture
def assessed(world: Any) -> Any:
    """Lead unit 区住建局 leads the first item, 区教育局 a second one; today is 30 April 2024."""
    second = world.add_item(lead=world.other)
    _submitted(world, world.item, 1, _aware("2024-01-20"))  # deadline 25 January: on time
    _submitted(world, world.item, 2, _aware("2024-02-28"))  # deadline 25 February: late
    _submitted(world, world.item, 3, _aware("2024-03-25"))  # on the deadline day: on time
    for reason in ("滞后", "未报送"):
        SupervisionNotice.objects.create(
            item=world.item,
            unit=world.lead,
            reason=reason,
            measures="加快",
            reply_deadline=TODAY,
            issued_by=world.reviewer,
        )
    world.second = second
    return world


def test_stored_scores_follow_the_figures(assessed):
    world = assessed
    assessment_weights_set(acting_user=world.office, plan=world.plan, weights=WEIGHTS)
    assessment_compute(acting_user=world.office, plan=world.plan, today=TODAY)
    lead = UnitScore.objects.get(unit=world.lead)
    other = UnitScore.objects.get(unit=world.other)
    # Four periods are past their deadline on 30 April (January–April, deadline the 25th).
    assert lead.figures["due"] == 4 and lead.figures["on_time"] == 2
    assert lead.on_time == Decimal("50.0") and other.on_time == Decimal("0.0")
    assert lead.supervision == Decimal("60.0") and other.supervision == Decimal("100.0")
    assert lead.satisfaction is None and lead.rectification is None  # no satisfaction rating
    light = group_lights([world.plan], LightKind.UNIT, TODAY)[world.lead.pk]
    expected_completion = (
        Decimal(100)
        if light.expected <= 0
        else min(Decimal(100), Decimal(100) * Decimal(str(light.completion)) / Decimal(str(light.expected)))
    ).quantize(Decimal("0.1"))
    assert lead.completion == expected_completion
    by_hand = ((40 * Decimal(50) + 30 * expected_completion + 30 * Decimal(60)) / 100).quantize(
        Decimal("0.1")
    )
    assert lead.total == by_hand
    assert {lead.rank, other.rank} == {1, 2} or lead.rank == other.rank


def test_weights_must_add_up_to_100_and_nothing_is_stored(world):
    with pytest.raises(ValidationFailed, match="90"):
        assessment_weights_set(acting_user=world.office, plan=world.plan, weights={**WEIGHTS, "on_time": 30})
    with pytest.raises(ValidationFailed):
        assessment_weights_set(acting_user=world.office, plan=world.plan, weights={**WEIGHTS, "on_time": "x"})
    assert not Assessment.objects.exists()
    with pytest.raises(ValidationFailed):
        assessment_compute(acting_user=world.office, plan=world.plan)  # weights first


def test_changing_the_weights_drops_the_scores(assessed):
    world = assessed
    assessment_weights_set(acting_user=world.office, plan=world.plan, weights=WEIGHTS)
    assessment_compute(acting_user=world.office, plan=world.plan, today=TODAY)
    assert UnitScore.objects.count() == 2
    assessment_weights_set(
        acting_user=world.office, plan=world.plan, weights={**WEIGHTS, "on_time": 20, "satisfaction": 20}
    )
    assert UnitScore.objects.count() == 0 and Assessment.objects.get().computed_at is None


def test_only_the_office_of_the_region_sets_and_computes(world):
    for user in (world.reviewer, world.leader, world.deputy, world.reporter):
        with pytest.raises(NotAllowed):
            assessment_weights_set(acting_user=user, plan=world.plan, weights=WEIGHTS)


def test_the_workbook_reads_back_the_scores(assessed):
    world = assessed
    assessment_weights_set(acting_user=world.office, plan=world.plan, weights=WEIGHTS)
    assessment_compute(acting_user=world.office, plan=world.plan, today=TODAY)
    client = Client()
    client.force_login(world.office)
    response = client.get(reverse("assessment:export", args=[world.plan.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    # The same table as the function the year-end report calls (the files differ only in their timestamps).
    again = load_workbook(io.BytesIO(assessment_workbook(world.plan) or b"")).active
    assert [list(r) for r in again.iter_rows(values_only=True)] == [
        list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row and row[1]]
    stored = {s.unit.name: s for s in UnitScore.objects.select_related("unit")}
    assert {r[1] for r in rows} == set(stored) == {"区住建局", "区教育局"}
    for rank, name, on_time, completion_part, supervision, satisfaction, rectification, row_total in rows:
        score = stored[name]
        assert rank == score.rank and Decimal(str(row_total)) == score.total
        assert Decimal(str(on_time)) == score.on_time and Decimal(str(supervision)) == score.supervision
        assert completion_part is not None and satisfaction is None and rectification is None
    header = [c.value for c in sheet[3]]
    assert header[2].endswith("(40)") and header[-1]


def test_the_page_shows_the_breakdown(assessed):
    world = assessed
    client = Client()
    client.force_login(world.office)
    url = reverse("assessment:weights", args=[world.plan.pk])
    response = client.post(url, {**WEIGHTS, "on_time": 50})
    assert response.status_code == 200 and "110" in response.content.decode()
    assert client.post(url, WEIGHTS).status_code == 302
    client.post(reverse("assessment:compute", args=[world.plan.pk]))
    html = client.get(reverse("assessment:detail", args=[world.plan.pk])).content.decode()
    assert "区住建局" in html and "区教育局" in html


def test_another_district_sees_nothing(assessed):
    world = assessed
    assessment_weights_set(acting_user=world.office, plan=world.plan, weights=WEIGHTS)
    assessment_compute(acting_user=world.office, plan=world.plan, today=TODAY)
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    for role in ("office", "leader", "deputy"):
        user = UserFactory(username=f"{role}_ly", role=role, region=elsewhere)
        client = Client()
        client.force_login(user)
        assert world.plan.title not in client.get(reverse("assessment:index")).content.decode()
        for name in ("assessment:detail", "assessment:export", "assessment:weights"):
            assert client.get(reverse(name, args=[world.plan.pk])).status_code == 403
        assert client.post(reverse("assessment:compute", args=[world.plan.pk])).status_code == 403
        with pytest.raises(NotAllowed):
            assessment_compute(acting_user=user, plan=world.plan)


def test_figures_take_a_fixed_number_of_queries(assessed):
    world = assessed
    with CaptureQueriesContext(connection) as small:
        unit_figures(world.plan, TODAY)
    for _ in range(5):
        world.add_item(lead=world.partner)
    with CaptureQueriesContext(connection) as large:
        unit_figures(world.plan, TODAY)
    assert len(large) == len(small)


def test_a_past_year_is_assessed_as_of_31_december(assessed):
    world = assessed
    assessment_weights_set(acting_user=world.office, plan=world.plan, weights=WEIGHTS)
    assessment = assessment_compute(acting_user=world.office, plan=world.plan, today=dt.date(2026, 3, 1))
    assert assessment.computed_on == dt.date(2024, 12, 31)
    # All twelve deadlines of 2024 have passed; the three reports of the lead unit were submitted.
    lead = UnitScore.objects.get(unit=world.lead)
    assert (lead.figures["due"], lead.figures["on_time"]) == (12, 2)
    assert lead.on_time == Decimal("16.7")  # 2 of 12
