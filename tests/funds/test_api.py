"""Funds through the REST API: each item's planned investment, latest approved funds and fund light
(read-only, a fixed number of queries), and a report's funds written with it — checked as on the form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.conftest import ApiError
from api.conftest import api as api
from factories import RegionFactory, UserFactory
from funds.test_report_funds import approved_with_funds
from minsheng.funds.models import ReportFunds
from minsheng.funds.services import planned_funds_set
from minsheng.progress.models import ProgressReport
from progress.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(world: World) -> World:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "600", "local": "400"})
    return world


def _body(world: World, month: int, **funds: Any) -> dict[str, Any]:
    return {
        "item": world.item.pk,
        "period": world.period(month).pk,
        "target_values": [{"target": world.item.targets.get().pk, "value": 8}],
        "progress": "完成管网改造",
        **funds,
    }


def test_an_item_shows_its_money_and_fund_light(funded: World, api: Any) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    item = api("GET", f"/api/items/{world.item.pk}/?on=2024-07-01", user=world.leader)
    funds = item["funds"]
    assert funds["planned"] == 1000 and funds["planned_by_source"] == {"higher": 600, "local": 400}
    assert (funds["in_place"], funds["paid"], funds["paid_share"]) == (300, 100, 0.1)
    # 10 % paid, 49.6 % due by 1 July: 39.6 points behind → red with the default thresholds (15/30).
    assert (funds["status"], funds["colour"]) == ("severe", "red")
    assert 0.49 < funds["expected"] < 0.5
    today = api("GET", f"/api/items/{world.item.pk}/", user=world.reviewer)["funds"]
    assert (today["in_place"], today["paid"]) == (300, 100)


def test_an_item_without_planned_money_has_no_funds(world: World, api: Any) -> None:
    assert api("GET", f"/api/items/{world.item.pk}/", user=world.office)["funds"] is None


def test_the_list_reads_the_money_in_a_fixed_number_of_queries(funded: World, api: Any) -> None:
    world = funded
    url = f"/api/items/?plan={world.plan.pk}&on=2024-12-31"
    api("GET", url, user=world.reviewer)  # token and first-use caches

    def grow(n: int) -> None:
        for _ in range(n):
            item = world.add_item()
            planned_funds_set(acting_user=world.office, item=item, amounts={"social": "50"})

    grow(2)
    with CaptureQueriesContext(connection) as small:
        data = api("GET", url + "&page_size=100", user=world.reviewer)
    assert sum(1 for i in data["results"] if i["funds"]) == 3
    grow(6)
    with CaptureQueriesContext(connection) as large:
        data = api("GET", url + "&page_size=100&x=1", user=world.reviewer)
    assert sum(1 for i in data["results"] if i["funds"]) == 9
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_a_report_is_written_with_its_funds(funded: World, api: Any) -> None:
    world = funded
    report = api(
        "POST", "/api/reports/", _body(world, 1, funds_in_place=300, funds_paid=120), user=world.reporter
    )
    saved = ReportFunds.objects.get(report_id=report["id"])
    assert (saved.in_place, saved.paid) == (Decimal(300), Decimal(120))
    api(
        "PATCH",
        f"/api/reports/{report['id']}/",
        {"version": report["version"], "funds_in_place": "350", "funds_paid": "150"},
        user=world.reporter,
    )
    saved.refresh_from_db()
    assert (saved.in_place, saved.paid) == (Decimal(350), Decimal(150))
    # The report's JSON shows them to whoever reads its content; a leader reads the draft's status only.
    mine = api("GET", f"/api/reports/{report['id']}/", user=world.reporter)
    assert mine["funds"] == {"in_place": 350, "paid": 150}
    assert "funds" not in api("GET", f"/api/reports/{report['id']}/", user=world.leader)


def test_reports_show_their_funds_without_an_extra_query(funded: World, api: Any) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    url = f"/api/reports/?plan={world.plan.pk}"
    api("GET", url, user=world.reviewer)
    with CaptureQueriesContext(connection) as one:
        api("GET", url, user=world.reviewer)
    for month in (2, 3, 4):
        approved_with_funds(world, month, str(300 + month), "100")
    with CaptureQueriesContext(connection) as four:
        reports = api("GET", url + "&x=1", user=world.reviewer)["results"]
    assert [r["funds"] for r in reports] == [
        {"in_place": 300, "paid": 100},
        {"in_place": 302, "paid": 100},
        {"in_place": 303, "paid": 100},
        {"in_place": 304, "paid": 100},
    ]
    assert len(four.captured_queries) == len(one.captured_queries)
    # A report that states no money: null.
    draft = api("POST", "/api/reports/", _body(world, 5), user=world.reporter)
    assert draft["funds"] is None


@pytest.mark.parametrize(
    "funds, field, words",
    [
        ({"funds_in_place": -1, "funds_paid": 0}, "funds_in_place", "负数"),
        ({"funds_in_place": 400, "funds_paid": 450}, "funds_paid", "450"),
        ({"funds_in_place": 400}, "funds_paid", "两项"),
        ({"funds_in_place": 250, "funds_paid": 90}, "funds_in_place", "300"),
    ],
)
def test_bad_funds_are_refused_and_change_nothing(
    funded: World, api: Any, funds: dict[str, Any], field: str, words: str
) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")  # the last approved: 300 in place, 100 paid
    before = ProgressReport.objects.count()
    with pytest.raises(ApiError) as refused:
        api("POST", "/api/reports/", _body(world, 2, **funds), user=world.reporter)
    assert refused.value.status == 400 and refused.value.body["field"] == field
    assert words in refused.value.body["detail"]
    # Nothing half-saved: neither the report nor its money.
    assert ProgressReport.objects.count() == before and ReportFunds.objects.count() == 1


def test_another_district_sees_nothing(funded: World, api: Any) -> None:
    elsewhere = RegionFactory(
        name="溧阳市", code="320481", level="district", parent=funded.plan.region.parent
    )
    stranger = UserFactory(role="office", region=elsewhere)
    with pytest.raises(ApiError) as hidden:
        api("GET", f"/api/items/{funded.item.pk}/", user=stranger)
    assert hidden.value.status == 404
    assert api("GET", f"/api/items/?plan={funded.plan.pk}", user=stranger)["results"] == []
