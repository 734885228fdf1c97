"""Report workflow: save, submit, approve, return, illegal transitions, optimistic locking, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.progress import services
from minsheng.progress.choices import ReportStatus, RevisionAction
from minsheng.progress.models import Period, ReportRevision
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def test_periods_are_generated_for_the_plan_year_once(world: World) -> None:
    assert [p.start.month for p in world.periods] == list(range(1, 13))
    feb = world.period(2)
    assert (feb.end, feb.deadline) == (dt.date(2024, 2, 29), dt.date(2024, 2, 25))
    again = services.periods_generate(acting_user=world.office, plan=world.plan)
    assert len(again) == 12 and Period.objects.filter(plan=world.plan).count() == 12


def test_quarterly_cycle_and_short_month_deadline(world: World) -> None:
    bounds = services.period_bounds(2024, "quarterly", 31)
    assert [(s.month, e.month, d) for s, e, d in bounds] == [
        (1, 3, dt.date(2024, 3, 31)),
        (4, 6, dt.date(2024, 6, 30)),
        (7, 9, dt.date(2024, 9, 30)),
        (10, 12, dt.date(2024, 12, 31)),
    ]


def test_only_the_office_generates_periods(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.periods_generate(acting_user=world.reviewer, plan=world.plan)


def test_draft_submit_approve(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    assert report.status == ReportStatus.DRAFT and report.unit == world.lead
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == world.reporter
    services.report_approve(acting_user=world.reviewer, report=report, comment="好")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.reviewed_by == world.reviewer
    assert report.target_values.get().value == Decimal("8")


def test_return_then_resubmit(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    with pytest.raises(ValidationFailed):
        services.report_return(acting_user=world.reviewer, report=report, comment="  ")
    services.report_return(acting_user=world.reviewer, report=report, comment="请补充照片")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_comment == "请补充照片"
    services.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(3),
        expected_version=report.version,
        progress="补充了照片",
    )
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_unit_hears_of_the_decision(world: World) -> None:
    from minsheng.notifications.models import Notification

    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_return(acting_user=world.reviewer, report=report, comment="请补充照片")
    returned = Notification.objects.get(user=world.reporter)
    assert "请补充照片" in returned.text and returned.link.endswith(f"/periods/{world.period(3).pk}/")
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_approve(acting_user=world.reviewer, report=report)
    assert Notification.objects.filter(user=world.reporter).count() == 2
    assert not Notification.objects.filter(user=world.reviewer).exists()


def test_approving_a_draft_is_refused(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    with pytest.raises(services.TransitionError, match="submitted"):
        services.report_approve(acting_user=world.reviewer, report=report)


def test_editing_an_approved_report_is_refused(world: World) -> None:
    report = approved_report(world, world.item, world.period(3))
    with pytest.raises(services.TransitionError):
        services.report_save(
            acting_user=world.reporter, item=world.item, period=world.period(3), progress="改"
        )
    with pytest.raises(services.TransitionError):
        services.report_submit(acting_user=world.reporter, report=report)


def test_editing_a_submitted_report_needs_a_return(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    with pytest.raises(services.TransitionError, match="return"):
        services.report_save(
            acting_user=world.reporter, item=world.item, period=world.period(3), progress="改"
        )


def test_approving_your_own_units_report_is_refused(world: World) -> None:
    world.reviewer.unit = world.lead
    world.reviewer.save()
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    with pytest.raises(NotAllowed, match="own unit"):
        services.report_approve(acting_user=world.reviewer, report=report)


def test_submit_needs_every_value_and_the_progress(world: World) -> None:
    report = services.report_save(acting_user=world.reporter, item=world.item, period=world.period(3))
    with pytest.raises(ValidationFailed) as caught:
        services.report_submit(acting_user=world.reporter, report=report)
    assert "改造老旧小区管网20公里" in caught.value.message and "progress" in caught.value.message


def test_only_the_lead_unit_reports_and_reporters_do_not_review(world: World) -> None:
    for user in (world.partner_reporter, world.other_reporter, world.leader, world.deputy, world.reviewer):
        with pytest.raises(NotAllowed):
            services.report_save(acting_user=user, item=world.item, period=world.period(3), progress="x")
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    for user in (world.reporter, world.leader, world.deputy):
        with pytest.raises(NotAllowed):
            services.report_approve(acting_user=user, report=report)


def test_bad_values_say_where(world: World) -> None:
    with pytest.raises(ValidationFailed, match=r"改造老旧小区管网20公里.*not a number"):
        services.report_save(
            acting_user=world.reporter,
            item=world.item,
            period=world.period(3),
            target_values={world.item.targets.get().pk: "八"},
        )
    with pytest.raises(ValidationFailed, match="negative"):
        services.report_save(
            acting_user=world.reporter,
            item=world.item,
            period=world.period(3),
            target_values={world.item.targets.get().pk: "-1"},
        )
    other = world.add_item()
    with pytest.raises(ValidationFailed, match="not a target of this item"):
        services.report_save(
            acting_user=world.reporter,
            item=world.item,
            period=world.period(3),
            target_values={other.targets.get().pk: "1"},
        )


def test_stale_version_conflicts_and_loses_nothing(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    opened = report.version
    services.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(3),
        expected_version=opened,
        progress="第一个人的修改",
    )
    with pytest.raises(services.ConflictError, match="Someone else changed this report"):
        services.report_save(
            acting_user=world.reporter,
            item=world.item,
            period=world.period(3),
            expected_version=opened,
            progress="第二个人的修改",
        )
    report.refresh_from_db()
    assert report.progress == "第一个人的修改" and report.version == opened + 1


def test_copy_previous_period(world: World) -> None:
    approved_report(world, world.item, world.period(2), value="6")
    report = services.report_copy_previous(
        acting_user=world.reporter, item=world.item, period=world.period(3)
    )
    assert report.target_values.get().value == Decimal("6")
    assert report.milestone_states.get().state == "in_progress"
    assert report.revisions.get().action == RevisionAction.COPY


def test_copy_without_a_previous_report(world: World) -> None:
    with pytest.raises(ValidationFailed, match="no earlier report"):
        services.report_copy_previous(acting_user=world.reporter, item=world.item, period=world.period(1))


def test_history_keeps_every_change_with_before_and_after(world: World) -> None:
    report = filled_report(world, world.item, world.period(3), value="5")
    services.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(3),
        target_values={world.item.targets.get().pk: "7"},
    )
    services.partner_contribution_save(
        acting_user=world.partner_reporter, item=world.item, period=world.period(3), text="配合排水管网施工"
    )
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_return(acting_user=world.reviewer, report=report, comment="数据有误")
    services.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(3),
        target_values={world.item.targets.get().pk: "6.5"},
    )
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_approve(acting_user=world.reviewer, report=report)

    revisions = list(ReportRevision.objects.filter(report=report).order_by("pk"))
    assert [r.action for r in revisions] == [
        "create",
        "save",
        "contribution",
        "submit",
        "return",
        "save",
        "submit",
        "approve",
    ]
    assert [r.version for r in revisions] == list(range(1, 9))
    target = str(world.item.targets.get().pk)
    assert revisions[1].before["target_values"] == {target: "5"}
    assert revisions[1].after["target_values"] == {target: "7"}
    assert revisions[4].comment == "数据有误" and revisions[4].after["status"] == "returned"
    assert revisions[5].before["target_values"] == {target: "7"}
    assert revisions[5].after["target_values"] == {target: "6.5"}
    assert revisions[2].after["contributions"] == {str(world.partner.pk): "配合排水管网施工"}
    assert revisions[7].actor == world.reviewer
    assert (
        AuditEvent.objects.filter(object_type="progress.progressreport", object_id=str(report.pk)).count()
        == 8
    )


def test_partner_contribution_only_by_a_partner_and_not_after_approval(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.partner_contribution_save(
            acting_user=world.other_reporter, item=world.item, period=world.period(3), text="x"
        )
    contribution = services.partner_contribution_save(
        acting_user=world.partner_reporter, item=world.item, period=world.period(3), text="配合"
    )
    assert contribution.report.unit == world.lead and contribution.unit == world.partner
    report = contribution.report
    filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_approve(acting_user=world.reviewer, report=report)
    with pytest.raises(services.TransitionError):
        services.partner_contribution_save(
            acting_user=world.partner_reporter, item=world.item, period=world.period(3), text="晚了"
        )


def test_milestone_states(world: World) -> None:
    milestone = world.item.milestones.get()
    report = services.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(3),
        milestone_states={milestone.pk: ("done", "2024-03-10")},
    )
    state = report.milestone_states.get()
    assert (state.state, state.done_on) == ("done", dt.date(2024, 3, 10))
    with pytest.raises(ValidationFailed, match="not a milestone state"):
        services.report_save(
            acting_user=world.reporter,
            item=world.item,
            period=world.period(3),
            milestone_states={milestone.pk: "finished"},
        )


def test_extension_request_and_decision_keep_the_original_date(world: World) -> None:
    target = world.item.targets.get()
    with pytest.raises(NotAllowed):
        services.extension_request(
            acting_user=world.partner_reporter,
            target=target,
            requested_due_date=dt.date(2025, 3, 31),
            reason="x",
        )
    with pytest.raises(ValidationFailed, match="after the current"):
        services.extension_request(
            acting_user=world.reporter, target=target, requested_due_date=dt.date(2024, 6, 30), reason="雨季"
        )
    request = services.extension_request(
        acting_user=world.reporter,
        target=target,
        requested_due_date=dt.date(2025, 3, 31),
        reason="雨季影响施工",
    )
    with pytest.raises(NotAllowed):
        services.extension_decide(acting_user=world.reviewer, request=request, approve=True)
    services.extension_decide(acting_user=world.office, request=request, approve=True, comment="同意")
    target.refresh_from_db()
    request.refresh_from_db()
    assert target.due_date == dt.date(2025, 3, 31)
    assert request.original_due_date == dt.date(2024, 12, 31) and request.status == "approved"
    with pytest.raises(services.TransitionError):
        services.extension_decide(acting_user=world.office, request=request, approve=False, comment="no")


def test_refusing_an_extension_needs_a_reason_and_keeps_the_date(world: World) -> None:
    target = world.item.targets.get()
    request = services.extension_request(
        acting_user=world.reporter,
        target=target,
        requested_due_date=dt.date(2025, 1, 31),
        reason="资金未到位",
    )
    with pytest.raises(ValidationFailed):
        services.extension_decide(acting_user=world.office, request=request, approve=False)
    services.extension_decide(acting_user=world.office, request=request, approve=False, comment="按期完成")
    target.refresh_from_db()
    assert target.due_date == dt.date(2024, 12, 31)


def test_item_end_needs_a_reason_unless_done_and_stops_reporting(world: World) -> None:
    with pytest.raises(ValidationFailed, match="reason"):
        services.item_end(acting_user=world.office, item=world.item, kind="terminated")
    with pytest.raises(NotAllowed):
        services.item_end(acting_user=world.reviewer, item=world.item, kind="done")
    outcome = services.item_end(
        acting_user=world.office, item=world.item, kind="terminated", reason="规划调整"
    )
    assert outcome.get_kind_display()
    with pytest.raises(services.TransitionError, match="ended"):
        services.report_save(
            acting_user=world.reporter, item=world.item, period=world.period(3), progress="x"
        )


def test_group_lead_lets_town_reporters_report(world: World) -> None:
    from factories import UnitFactory, UserFactory

    group = UnitFactory(name="各镇（街道）", region=world.plan.region, kind="group")
    town = world.plan.region.units.get(name="金城镇")
    item = world.add_item(lead=group)
    town_reporter = UserFactory(username="jincheng", role="reporter", unit=town, region=world.plan.region)
    report = services.report_save(
        acting_user=town_reporter, item=item, period=world.period(3), progress="开工"
    )
    assert report.unit == group
