"""Funds pages: the office sets planned money, readers see the plan's money, the public item page shows 资金,
another district sees nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from factories import PASSWORD, RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.funds.models import FundLight, PlannedFund
from minsheng.funds.services import planned_funds_set, report_funds_save
from minsheng.progress.services import report_approve, report_submit
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_office_sets_planned_money_audited(world: World) -> None:
    client = signed_in(world.office)
    url = reverse("funds:item", args=[world.item.pk])
    bad = client.post(url, {"higher": "-5", "local": "100"})
    assert bad.status_code == 400 and b"cannot be negative" in bad.content
    assert not PlannedFund.objects.exists()
    assert client.post(url, {"higher": "800", "local": "1,200"}).status_code == 302
    assert dict(PlannedFund.objects.values_list("source", "amount")) == {
        "higher": Decimal(800),
        "local": Decimal(1200),
    }
    event = AuditEvent.objects.filter(object_type="funds.planned").latest("pk")
    assert event.before == {} and event.after == {"higher": "800", "local": "1200"}
    page = client.get(reverse("funds:plan", args=[world.plan.pk]))
    assert page.status_code == 200 and b"2,000" in page.content


def test_public_item_page_shows_funds(world: World) -> None:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "1200"})
    report = filled_report(world, world.item, world.period(1))
    report_funds_save(acting_user=world.reporter, report=report, in_place="500", paid="320.5")
    report_submit(acting_user=world.reporter, report=report, confirmed=True)
    report_approve(acting_user=world.reviewer, report=report)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("portal:item", args=[world.item.pk]))
    text = page.content.decode()
    assert "资金" in text and "计划投资" in text and "1,200" in text and "320.5" in text


def test_public_item_page_without_money_has_no_funds_section(world: World) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("portal:item", args=[world.item.pk]))
    assert page.status_code == 200 and 'id="funds"' not in page.content.decode()


def test_another_district_sees_nothing(world: World) -> None:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "1200"})
    city = world.plan.region.parent
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=city)
    for role in ("office", "leader", "reviewer"):
        stranger = UserFactory(username=f"liyang-{role}", role=role, region=elsewhere)
        client = signed_in(stranger)
        assert client.get(reverse("funds:plan", args=[world.plan.pk])).status_code == 404
        assert client.get(reverse("funds:item", args=[world.item.pk])).status_code == 404
        assert client.post(reverse("funds:from_list", args=[world.plan.pk])).status_code == 404
    assert PlannedFund.objects.count() == 1


def test_planned_money_from_the_lists_column(world: World) -> None:
    world.item.extra = {"total_investment_wanyuan": "投资1200万元", "funding_source": "区财政"}
    world.item.save()
    other = world.add_item()
    other.extra = {"total_investment_yiyuan": "1.2"}
    other.save()
    client = signed_in(world.office)
    assert client.post(reverse("funds:from_list", args=[world.plan.pk])).status_code == 302
    assert dict(PlannedFund.objects.values_list("item_id", "amount")) == {
        world.item.pk: Decimal(1200),
        other.pk: Decimal(12000),
    }
    assert PlannedFund.objects.get(item=world.item).source == "local"
    assert PlannedFund.objects.get(item=other).source == "other"
    client.post(reverse("funds:from_list", args=[world.plan.pk]))  # again: nothing doubles
    assert PlannedFund.objects.count() == 2


def test_rebuild_command(world: World) -> None:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "10"})
    FundLight.objects.all().delete()
    call_command("funds-rebuild")
    assert FundLight.objects.filter(item=world.item).exists()


def test_a_closed_year_keeps_its_money(world: World) -> None:
    from django.utils import timezone

    from minsheng.core.exceptions import Conflict

    planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "100"})
    world.plan.year_closed_at = timezone.now()
    world.plan.save(update_fields=["year_closed_at"])
    with pytest.raises(Conflict):
        planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "200"})
    assert planned_funds_set(acting_user=world.office, item=world.item, amounts={"local": "100"})  # no change
    response = signed_in(world.office).post(reverse("funds:item", args=[world.item.pk]), {"local": "300"})
    assert response.status_code == 400 and b"closed" in response.content
    assert PlannedFund.objects.get().amount == Decimal(100)
