"""The item's internal timeline shows each report's funds in place and paid (资金到位 / 已支付), read for
all its reports at once; another district sees nothing of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import RegionFactory, UserFactory
from funds.test_report_funds import approved_with_funds, signed_in
from minsheng.funds.services import planned_funds_set, report_funds_save
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def _funds_lines(html: str) -> list[str]:
    found = re.findall(r'<p class="report-funds">(.*?)</p>', html)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m)).strip() for m in found]


@pytest.fixture
def funded(world: World) -> World:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "600", "local": "400"})
    return world


def test_staff_see_each_reports_funds_on_the_timeline(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    approved_with_funds(world, 2, "1250.5", "420")
    url = reverse("progress:timeline", args=[world.item.pk])
    for user in (world.office, world.reviewer, world.leader):
        lines = _funds_lines(signed_in(user).get(url).content.decode())
        # Newest first, as the timeline lists the reports.
        assert lines == [
            "Funds (10,000 yuan): Funds in place 1,250.5 · Paid 420",
            "Funds (10,000 yuan): Funds in place 300 · Paid 100",
        ]


def test_a_draft_reports_funds_stay_with_its_unit(funded: World) -> None:
    world = funded
    draft = filled_report(world, world.item, world.period(3))
    report_funds_save(acting_user=world.reporter, report=draft, in_place="500", paid="200")
    url = reverse("progress:timeline", args=[world.item.pk])
    assert "Funds in place 500" in signed_in(world.reporter).get(url).content.decode()
    assert _funds_lines(signed_in(world.leader).get(url).content.decode()) == []


def test_the_timeline_reads_the_funds_in_one_query(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "100", "50")
    client = signed_in(world.office)
    url = reverse("progress:timeline", args=[world.item.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for month, amount in ((2, "200"), (3, "300"), (4, "400")):
        approved_with_funds(world, month, amount, "50")
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    assert len(_funds_lines(html)) == 4
    funds_queries = [q for q in four.captured_queries if "funds_reportfunds" in q["sql"]]
    assert len(funds_queries) == 1
    assert len([q for q in one.captured_queries if "funds_reportfunds" in q["sql"]]) == 1


def test_another_district_sees_nothing(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=world.plan.region.parent)
    stranger: Any = UserFactory(role="office", region=elsewhere)
    client = Client()
    client.force_login(stranger)
    response = client.get(reverse("progress:timeline", args=[world.item.pk]))
    assert response.status_code in (403, 404) and "300" not in response.content.decode()
