"""The fund light: paid money against the 序时 schedule, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minsheng.alerts.status import Rules, Status
from minsheng.funds.amounts import parse_amount, planned_from_extra, source_of
from minsheng.funds.lights import fund_lights, fund_lights_refresh, fund_status, fund_statuses
from minsheng.funds.models import FundLight
from minsheng.funds.services import fund_settings_update, planned_funds_set, report_funds_save
from progress.factories import approved_report, filled_report

RULES = Rules(lag_threshold=Decimal(15), severe_threshold=Decimal(30))


def light(planned: str, paid: str, expected: float) -> Status:
    return fund_status(
        planned=Decimal(planned), in_place=Decimal(paid), paid=Decimal(paid), expected=expected, rules=RULES
    ).status


def test_paid_against_schedule_by_hand() -> None:
    # 1000 planned, half the year gone: 500 due. 400 paid is 10 points behind → on track (≤ 15).
    assert light("1000", "400", 0.5) == Status.ON_TRACK
    # 300 paid is 20 points behind → lagging; 150 paid is 35 points behind → severe.
    assert light("1000", "300", 0.5) == Status.LAGGING
    assert light("1000", "150", 0.5) == Status.SEVERE
    # Everything paid is done; nothing paid before anything is due is not started; no plan is grey.
    assert light("1000", "1000", 0.5) == Status.DONE
    assert light("1000", "0", 0.0) == Status.NOT_STARTED
    assert light("0", "0", 0.5) == Status.UNMEASURED


def test_thresholds_are_the_plans(world) -> None:
    item = world.item
    planned_funds_set(acting_user=world.office, item=item, amounts={"local": "1000"})
    report = filled_report(world, item, world.period(6))
    report_funds_save(acting_user=world.reporter, report=report, in_place="600", paid="300")
    from minsheng.progress.services import report_approve, report_submit

    report_submit(acting_user=world.reporter, report=report, confirmed=True)
    report_approve(acting_user=world.reviewer, report=report)
    on = dt.date(2024, 7, 1)  # the item's last due date is 31 December: 182 of 365 days → 49.9 % due
    found = fund_statuses(world.plan, on)[item.pk]
    assert found.expected == pytest.approx(182 / 365)
    assert found.paid_share == pytest.approx(0.3)
    assert found.status == Status.LAGGING  # 19.9 points behind: over 15, under 30
    fund_settings_update(
        acting_user=world.office, plan=world.plan, lag_threshold=Decimal(20), severe_threshold=Decimal(40)
    )
    assert fund_statuses(world.plan, on)[item.pk].status == Status.ON_TRACK


def test_rebuild_equals_incremental(world) -> None:
    """The rows the signals and services keep are the rows a rebuild writes."""
    item = world.item
    second = world.add_item()
    planned_funds_set(acting_user=world.office, item=item, amounts={"higher": "800", "local": "200"})
    planned_funds_set(acting_user=world.office, item=second, amounts={"other": "50"})
    for month, (in_place, paid) in ((1, ("100", "50")), (2, ("300", "120"))):
        report = filled_report(world, item, world.period(month))
        report_funds_save(acting_user=world.reporter, report=report, in_place=in_place, paid=paid)
        from minsheng.progress.services import report_approve, report_submit

        report_submit(acting_user=world.reporter, report=report, confirmed=True)
        report_approve(acting_user=world.reviewer, report=report)
    approved_report(world, second, world.period(1))

    def rows() -> list[tuple]:
        return sorted(
            FundLight.objects.values_list(
                "item_id", "on", "status", "planned", "in_place", "paid", "expected", "due"
            )
        )

    incremental = rows()
    assert len(incremental) == 2
    assert [r[5] for r in incremental if r[0] == item.pk] == [Decimal("120")]
    FundLight.objects.all().delete()
    fund_lights_refresh(world.plan)
    assert rows() == incremental
    read = fund_lights([world.plan])
    assert read[item.pk].planned == Decimal(1000) and read[item.pk].in_place == Decimal(300)


def test_stored_row_of_an_earlier_day_is_judged_again(world) -> None:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "100"})
    FundLight.objects.update(on=dt.date(2024, 1, 2))
    found = fund_lights([world.plan], today=dt.date(2024, 12, 31))[world.item.pk]
    assert found.expected == 1.0 and found.status == Status.SEVERE  # nothing paid at the year's end


@pytest.mark.parametrize(
    ("value", "unit", "amount"),
    [
        ("投资1200万元", "万元", Decimal(1200)),
        ("1.2亿元", "万元", Decimal(12000)),
        (800, "万元", Decimal(800)),
        (1.5, "亿元", Decimal(15000)),
        ("350000", "元", Decimal(35)),
        ("待定", "万元", None),
    ],
)
def test_amounts_as_lists_write_them(value, unit, amount) -> None:
    assert parse_amount(value, unit) == amount


def test_planned_from_the_lists_column() -> None:
    assert planned_from_extra({"total_investment_wanyuan": "投资1200万元"}) == ("other", Decimal(1200))
    assert planned_from_extra({"total_investment_yiyuan": 1.2, "funding_source": "区财政"}) == (
        "local",
        Decimal(12000),
    )
    assert planned_from_extra({"annual_investment_wanyuan": 300, "total_investment_wanyuan": 900}) == (
        "other",
        Decimal(300),
    )
    assert planned_from_extra({"remarks": "无"}) is None
    assert source_of("省级补助、区财政") == "other"  # two sources named: not one of them
