"""Status rules as pure functions, over every day of a year."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.alerts.status import (
    MilestoneInput,
    Previous,
    Rules,
    Status,
    TargetInput,
    expected_share,
    item_status,
    remember,
    status_colour,
    target_completion,
    target_status,
)

JAN1 = dt.date(2024, 1, 1)
DEC31 = dt.date(2024, 12, 31)
YEAR = [JAN1 + dt.timedelta(days=n) for n in range(366)]
RULES = Rules()


def target(
    reached: str | None, *, value: str = "100", op: str = ">=", due: dt.date = DEC31, **kw: object
) -> TargetInput:
    return TargetInput(
        key=1,
        op=op,
        value=Decimal(value),
        due=due,
        start=JAN1,
        reached=None if reached is None else Decimal(reached),
        **kw,  # type: ignore[arg-type]
    )


def test_linear_schedule_over_the_year() -> None:
    shares = [expected_share(on=day, start=JAN1, due=DEC31) for day in YEAR]
    assert shares[0] == 0.0 and shares[-1] == 1.0
    assert all(a <= b for a, b in itertools.pairwise(shares))
    assert expected_share(on=dt.date(2024, 7, 1), start=JAN1, due=DEC31) == pytest.approx(182 / 365)
    # A target due mid-year is fully expected from its due date on.
    assert expected_share(on=dt.date(2024, 6, 30), start=JAN1, due=dt.date(2024, 6, 30)) == 1.0
    assert expected_share(on=dt.date(2024, 3, 31), start=JAN1, due=dt.date(2024, 6, 30)) == pytest.approx(
        90 / 181
    )


def test_monthly_plan_set_by_the_office() -> None:
    plan = [0, 0, 10, 20, 30, 50, 60, 70, 80, 90, 95, 100]
    assert expected_share(on=dt.date(2024, 2, 29), start=JAN1, due=DEC31, monthly=plan) == 0.0
    assert expected_share(on=dt.date(2024, 3, 31), start=JAN1, due=DEC31, monthly=plan) == pytest.approx(0.10)
    assert expected_share(on=dt.date(2024, 6, 15), start=JAN1, due=DEC31, monthly=plan) == pytest.approx(0.40)
    shares = [expected_share(on=day, start=JAN1, due=DEC31, monthly=plan) for day in YEAR]
    assert all(a <= b for a, b in itertools.pairwise(shares)) and shares[-1] == 1.0


def test_a_steady_unit_stays_green_all_year_and_a_stalled_one_turns_yellow_then_red() -> None:
    steady, stalled = [], []
    for day in YEAR:
        share = expected_share(on=day, start=JAN1, due=DEC31)
        steady.append(target_status(target(str(round(share * 100, 4))), on=day, rules=RULES).status)
        stalled.append(target_status(target("20"), on=day, rules=RULES).status)
    assert set(steady[1:-1]) == {Status.ON_TRACK} and steady[-1] == Status.DONE
    # 20 reached: on track until the schedule passes 30 %, yellow until 45 %, red afterwards.
    first_yellow = YEAR[stalled.index(Status.LAGGING)]
    first_red = YEAR[stalled.index(Status.SEVERE)]
    assert first_yellow == JAN1 + dt.timedelta(days=int(0.30 * 365) + 1)
    assert first_red == JAN1 + dt.timedelta(days=int(0.45 * 365) + 1)
    assert set(stalled[stalled.index(Status.SEVERE) :]) == {Status.SEVERE}


def test_thresholds_are_per_plan() -> None:
    day = dt.date(2024, 7, 1)  # about 50 % expected
    strict = Rules(lag_threshold=Decimal("5"), severe_threshold=Decimal("15"))
    assert target_status(target("42"), on=day, rules=RULES).status == Status.ON_TRACK
    assert target_status(target("42"), on=day, rules=strict).status == Status.LAGGING
    assert target_status(target("30"), on=day, rules=strict).status == Status.SEVERE


@pytest.mark.parametrize(
    ("op", "value", "reached", "done", "completion"),
    [
        (">=", "10", "10", True, 1.0),
        (">=", "10", "12", True, 1.0),
        (">=", "10", "4", False, 0.4),
        ("=", "10", "9.99", False, 0.999),
        ("~", "100", "95", True, 1.0),
        ("~", "100", "94.9", False, 0.949),
        ("<=", "5", "4", True, 1.0),
        ("<=", "5", "10", False, 0.5),
    ],
)
def test_completion_respects_the_op(op: str, value: str, reached: str, done: bool, completion: float) -> None:
    got = target_completion(target(reached, value=value, op=op), RULES)
    assert got[1] is done and got[0] == pytest.approx(completion)


def test_tolerance_for_approximate_targets_is_a_setting() -> None:
    loose = Rules(approx_tolerance=Decimal("10"))
    assert target_completion(target("91", op="~"), loose)[1] is True
    assert target_completion(target("91", op="~"), RULES)[1] is False


def test_baseline_counts_from_the_starting_point() -> None:
    # 从 80% 提高到 90%: 85 reached is half-way.
    completion, done = target_completion(target("85", value="90", baseline=Decimal("80")), RULES)
    assert completion == pytest.approx(0.5) and not done


def test_bound_targets_are_kept_or_broken() -> None:
    day = dt.date(2024, 5, 1)
    assert target_status(target("3", value="5", op="<="), on=day, rules=RULES).status == Status.ON_TRACK
    assert target_status(target("6", value="5", op="<="), on=day, rules=RULES).status == Status.SEVERE
    assert target_status(target("3", value="5", op="<="), on=DEC31, rules=RULES).status == Status.DONE


def test_nothing_reported_early_is_not_started_and_later_lagging() -> None:
    assert target_status(target(None), on=dt.date(2024, 1, 20), rules=RULES).status == Status.NOT_STARTED
    assert target_status(target("0"), on=dt.date(2024, 2, 1), rules=RULES).status == Status.NOT_STARTED
    assert target_status(target(None), on=dt.date(2024, 3, 1), rules=RULES).status == Status.LAGGING


def test_milestones() -> None:
    due = dt.date(2024, 6, 30)
    ms = MilestoneInput(key=1, due=due, start=JAN1)
    assert item_status(milestones=[ms], on=dt.date(2024, 1, 15)).status == Status.NOT_STARTED
    assert item_status(milestones=[ms], on=dt.date(2024, 5, 1)).status == Status.SEVERE
    under_way = MilestoneInput(key=1, due=due, start=JAN1, state="in_progress")
    assert item_status(milestones=[under_way], on=dt.date(2024, 6, 1)).status == Status.ON_TRACK
    assert item_status(milestones=[under_way], on=dt.date(2024, 7, 1)).status == Status.SEVERE
    done = MilestoneInput(key=1, due=due, start=JAN1, state="done", done_on=dt.date(2024, 6, 1))
    assert item_status(milestones=[done], on=dt.date(2024, 8, 1)).status == Status.DONE


def test_item_is_the_worst_of_its_parts() -> None:
    day = dt.date(2024, 7, 1)
    good, late = (
        target("50"),
        TargetInput(key=2, op=">=", value=Decimal("10"), due=DEC31, start=JAN1, reached=Decimal("1")),
    )
    result = item_status(targets=[good, late], on=day)
    assert result.status == Status.SEVERE
    assert [p.status for p in result.targets] == [Status.ON_TRACK, Status.SEVERE]
    assert result.completion == pytest.approx(0.3)
    assert item_status(targets=[good, target(None)], on=dt.date(2024, 1, 20)).status == Status.ON_TRACK
    assert item_status(targets=[target("100"), target("120")], on=day).status == Status.DONE


def test_overdue_report_makes_red_unless_done() -> None:
    day = dt.date(2024, 7, 1)
    assert item_status(targets=[target("50")], on=day, report_overdue=True).status == Status.SEVERE
    assert item_status(targets=[target("100")], on=day, report_overdue=True).status == Status.DONE


def test_outcomes_accepted_blue_and_terminated() -> None:
    day = dt.date(2024, 9, 1)
    accepted = item_status(targets=[target("100")], on=day, outcome="done")
    assert accepted.status == Status.DONE and accepted.accepted and accepted.colour == "blue"
    unaccepted = item_status(targets=[target("100")], on=day)
    # One colour per state: done is blue whether or not the office has recorded the ending.
    assert unaccepted.status == Status.DONE and unaccepted.colour == "blue"
    stopped = item_status(targets=[target("10")], on=day, outcome="terminated", report_overdue=True)
    assert stopped.status == Status.TERMINATED and stopped.colour == "grey"
    assert status_colour("severe") == "red" and status_colour("lagging") == "yellow"


def test_nothing_measurable_is_a_state_of_its_own() -> None:
    day = dt.date(2024, 9, 1)
    quiet = item_status(on=day, has_approved_report=True)
    assert quiet.status == Status.UNMEASURED and not quiet.measurable and quiet.colour == "grey"
    # A missing report is still red; pages show no percentage for it.
    late = item_status(on=day, report_overdue=True)
    assert late.status == Status.SEVERE and not late.measurable


def test_over_achievement_is_capped_and_shown() -> None:
    light = item_status(targets=[target("130")], on=dt.date(2024, 9, 1))
    assert light.status == Status.DONE and light.completion == 1.0
    assert light.exceeded and light.targets[0].achieved == pytest.approx(1.3)


def test_a_red_item_does_not_turn_green_because_the_schedule_moved() -> None:
    # July: 20 of 100 reached against ~50 % expected → red.
    july = item_status(targets=[target("20")], on=dt.date(2024, 7, 1))
    assert july.status == Status.SEVERE
    previous = remember(july)
    # An extension moves the due date to the end of next year: the line drops to about 25 %.
    later = dt.date(2025, 12, 31)
    moved = item_status(targets=[target("22", due=later)], on=dt.date(2024, 7, 2), previous=previous)
    without_memory = item_status(targets=[target("22", due=later)], on=dt.date(2024, 7, 2))
    assert without_memory.status == Status.ON_TRACK
    assert moved.status == Status.SEVERE and moved.held
    # Catching up with the bar it missed (within the yellow band) turns it yellow, not green.
    caught = item_status(targets=[target("30", due=later)], on=dt.date(2024, 7, 2), previous=previous)
    assert caught.status == Status.LAGGING
    # Fully caught up: green.
    green = item_status(targets=[target("50", due=later)], on=dt.date(2024, 7, 2), previous=previous)
    assert green.status == Status.ON_TRACK and not green.held


def test_a_red_item_recovers_by_catching_up_on_a_linear_schedule() -> None:
    previous = Previous(Status.SEVERE, 0.50, {"t1": (Status.SEVERE, 0.50)})
    on = dt.date(2024, 8, 1)
    assert item_status(targets=[target("58")], on=on, previous=previous).status == Status.ON_TRACK


@given(
    reached=st.decimals(min_value=0, max_value=1000, places=2),
    day=st.integers(min_value=0, max_value=365),
    op=st.sampled_from([">=", "=", "~", "<="]),
)
def test_completion_is_a_share_and_status_is_known(reached: Decimal, day: int, op: str) -> None:
    on = JAN1 + dt.timedelta(days=day)
    part = target_status(target(str(reached), op=op), on=on, rules=RULES)
    assert 0.0 <= part.completion <= 1.0 and 0.0 <= part.expected <= 1.0
    assert part.status in set(Status)
