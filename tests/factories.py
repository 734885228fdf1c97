"""factory-boy factories for the foundation apps (regions, units, users, plans and their parts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group

from minsheng.accounts.models import User
from minsheng.orgs.models import Region, Unit, UnitAlias
from minsheng.parsing import Item as ParsedItem
from minsheng.parsing import Milestone as ParsedMilestone
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Project as ParsedProject
from minsheng.parsing import Target as ParsedTarget
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target

PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"9{n:05d}")
    level = "district"
    parent = None


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("region", "name")

    name = factory.Sequence(lambda n: f"区测试局{n}")
    region = factory.SubFactory(RegionFactory)
    kind = "department"


class UnitAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitAlias

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"简称{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `role="office"` etc. puts them in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)
        self.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    region = factory.SubFactory(RegionFactory)
    year = 2024
    title = factory.Sequence(lambda n: f"2024年测试清单{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(PlanFactory)
    no = factory.Sequence(lambda n: n + 1)
    position = factory.LazyAttribute(lambda o: o.no)
    name = factory.Sequence(lambda n: f"项目{n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    project = factory.SubFactory(ProjectFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"第{n}项内容，新建公园{n}个。")


class ItemUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemUnit

    item = factory.SubFactory(ItemFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "lead"
    position = factory.Sequence(lambda n: n + 1)
    written_as = factory.LazyAttribute(lambda o: o.unit.name)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    quote = "新建公园5个"
    value = Decimal("5")
    unit = "个"
    op = "="
    due_date = dt.date(2024, 12, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    quote = "体育馆建成投用"
    subject = "体育馆"
    state = "建成投用"
    due_date = dt.date(2024, 12, 31)


def parsed_plan(projects: int = 2, items: int = 2, *, year: int = 2024) -> ParsedPlan:
    """A small parsed list (what `minsheng.parsing` returns) with units, targets and a milestone per item."""
    out = []
    for p in range(1, projects + 1):
        its = []
        for i in range(1, items + 1):
            n = p * 10 + i
            its.append(
                ParsedItem(
                    text=f"项目{p}第{i}项：新建口袋公园{n}个，惠及群众{n}00余人，体育馆{n}号建成投用。",
                    lead_units=["区卫健局" if i == 1 else f"区测试局{p}"],
                    partner_units=["各镇（街道）", "金城镇"] if i == 1 else [],
                    targets=[
                        ParsedTarget(quote=f"新建口袋公园{n}个", value=Decimal(n), unit="个", op="="),
                        ParsedTarget(quote=f"惠及群众{n}00余人", value=Decimal(n * 100), unit="人", op=">="),
                    ],
                    milestones=[
                        ParsedMilestone(
                            quote=f"体育馆{n}号建成投用", subject=f"体育馆{n}号", state="建成投用"
                        )
                    ],
                )
            )
        out.append(ParsedProject(no=p, name=f"测试项目{p}", alias=f"别名{p}" if p == 1 else None, items=its))
    return ParsedPlan(
        region="常州市金坛区", year=year, title=f"{year}年常州市金坛区民生实事项目清单", projects=out
    )
