"""Plan corrections by the office, publishing, who sees and edits what, and the plan_detail selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import (
    ItemFactory,
    ItemUnitFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    RegionFactory,
    TargetFactory,
    UnitAliasFactory,
    UnitFactory,
    UserFactory,
)
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.interchange.policies import can_import
from minsheng.plans.models import Target
from minsheng.plans.policies import can_edit_plan, can_view_plan
from minsheng.plans.selectors import plan_detail, plan_list
from minsheng.plans.services import item_units_set, milestone_update, plan_publish, target_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(district):
    return PlanFactory(region=district, year=2024)


@pytest.fixture
def target(plan):
    return TargetFactory(item=ItemFactory(project=ProjectFactory(plan=plan)))


def test_target_update_keeps_pk_and_audits_before_after(office, target):
    pk = target.pk
    target_update(acting_user=office, target=target, value="6.5", op=">=", due_date="2024-10-31")
    target = Target.objects.get(pk=pk)
    assert (target.value, target.op, target.due_date) == (Decimal("6.5"), ">=", dt.date(2024, 10, 31))
    event = AuditEvent.objects.get(action="update", object_type="plans.target", object_id=str(pk))
    assert event.actor == office and event.plan == target.item.project.plan
    assert event.before == {"value": "5", "op": "=", "due_date": "2024-12-31"}
    assert event.after == {"value": "6.5", "op": ">=", "due_date": "2024-10-31"}


def test_target_update_without_change_writes_nothing(office, target):
    target_update(acting_user=office, target=target, value="5", unit="个")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "many"}, "value"),
        ({"op": "!="}, "op"),
        ({"due_date": "31/12/2024"}, "due_date"),
        ({"range_max": "1"}, "range_max"),
        ({"quote": " "}, "quote"),
        ({"colour": "red"}, None),
    ],
)
def test_target_update_rejects_bad_values(office, target, fields, field):
    with pytest.raises(ValidationFailed) as info:
        target_update(acting_user=office, target=target, **fields)
    assert info.value.field == field
    assert Target.objects.get(pk=target.pk).value == Decimal(5)


def test_only_office_of_the_region_edits(district, target):
    reporter = UserFactory(role="reporter")
    reviewer = UserFactory(role="reviewer", region=district)
    foreign = UserFactory(role="office", region=RegionFactory(name="溧阳市", code="320481"))
    city_office = UserFactory(role="office", region=district.parent)
    for user in (reporter, reviewer, foreign):
        with pytest.raises(NotAllowed):
            target_update(acting_user=user, target=target, value=9)
    assert Target.objects.get(pk=target.pk).value == Decimal(5)
    target_update(acting_user=city_office, target=target, value=9)
    assert Target.objects.get(pk=target.pk).value == Decimal(9)


def test_milestone_update(office, plan):
    milestone = MilestoneFactory(item=ItemFactory(project=ProjectFactory(plan=plan)))
    milestone_update(acting_user=office, milestone=milestone, state="投入使用")
    milestone.refresh_from_db()
    assert milestone.state == "投入使用"
    assert AuditEvent.objects.get(object_type="plans.milestone").before == {"state": "建成投用"}
    with pytest.raises(ValidationFailed):
        milestone_update(acting_user=office, milestone=milestone, subject="")


def test_item_units_set_resolves_aliases_and_creates_units(office, district, plan):
    health = UnitFactory(name="区卫生健康局", region=district)
    UnitAliasFactory(unit=health, name="区卫健局")
    item = ItemFactory(project=ProjectFactory(plan=plan))
    ItemUnitFactory(item=item, unit=UnitFactory(name="区教育局", region=district), role="lead", position=1)
    rows = item_units_set(
        acting_user=office, item=item, role="lead", names=["区卫健局", "新设中心", "区卫健局"]
    )
    assert [(r.written_as, r.unit.name) for r in rows] == [
        ("区卫健局", "区卫生健康局"),
        ("新设中心", "新设中心"),
    ]
    assert rows[1].unit.region == district
    event = AuditEvent.objects.get(object_type="plans.item")
    assert event.before == {"lead_units": ["区教育局"]} and event.after == {
        "lead_units": ["区卫健局", "新设中心"]
    }


def test_publish(office, plan):
    reviewer = UserFactory(role="reviewer")
    ProjectFactory(plan=plan)
    with pytest.raises(NotAllowed):
        plan_publish(acting_user=reviewer, plan=plan)
    plan_publish(acting_user=office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "published"
    plan_publish(acting_user=office, plan=plan)
    assert AuditEvent.objects.filter(action="publish").count() == 1


def test_empty_plan_cannot_be_published(office, plan):
    with pytest.raises(ValidationFailed):
        plan_publish(acting_user=office, plan=plan)


def test_who_sees_a_plan(district, plan):
    education = UnitFactory(name="区教育局", region=district)
    town = district.units.get(name="金城镇")
    group = UnitFactory(name="各镇（街道）", region=district, kind="group")
    item = ItemFactory(project=ProjectFactory(plan=plan))
    ItemUnitFactory(item=item, unit=education, role="lead", position=1)
    ItemUnitFactory(item=item, unit=group, role="partner", position=1)
    office = UserFactory(role="office", region=district)
    leader = UserFactory(role="leader", region=district)
    teacher = UserFactory(role="reporter", unit=education)
    town_reporter = UserFactory(role="reporter", unit=town)
    outsider = UserFactory(role="reporter", unit=UnitFactory(name="区外单位", region=RegionFactory()))
    nobody = UserFactory()
    assert can_view_plan(office, plan) and can_edit_plan(office, plan) and can_import(office, district)
    for user in (leader, teacher, town_reporter, outsider, nobody):
        assert not can_view_plan(user, plan)  # a draft is the office's alone
        assert not can_edit_plan(user, plan) and not can_import(user, district)
    plan.status = "published"
    plan.save()
    assert can_view_plan(leader, plan) and can_view_plan(teacher, plan) and can_view_plan(town_reporter, plan)
    assert not can_view_plan(outsider, plan) and not can_view_plan(nobody, plan)
    assert list(plan_list(teacher)) == [plan] and list(plan_list(town_reporter)) == [plan]
    assert list(plan_list(outsider)) == []


def _fill(plan, projects: int, items: int) -> None:
    for p in range(1, projects + 1):
        project = ProjectFactory(plan=plan, no=p)
        for i in range(1, items + 1):
            item = ItemFactory(project=project, position=i)
            ItemUnitFactory(item=item, position=1)
            TargetFactory(item=item, position=1)
            TargetFactory(item=item, position=2)
            MilestoneFactory(item=item, position=1)


def test_plan_detail_query_count_does_not_grow(district, django_assert_num_queries):
    small = PlanFactory(region=district)
    large = PlanFactory(region=district)
    _fill(small, 1, 1)
    _fill(large, 4, 5)

    def walk(plan_id: int) -> int:
        plan = plan_detail(plan_id)
        seen = 0
        for project in plan.projects.all():
            for item in project.items.all():
                seen += len(item.targets.all()) + len(item.milestones.all())
                seen += sum(1 for iu in item.item_units.all() if iu.unit.name)
        return seen

    with django_assert_num_queries(6):
        assert walk(small.pk) == 4
    with django_assert_num_queries(6):
        assert walk(large.pk) == 80
