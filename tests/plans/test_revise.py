"""Correcting an item after commit on the plan page; after publishing each change is an adjustment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD, RegionFactory, UserFactory, parsed_plan
from minsheng.audit.models import AuditEvent
from minsheng.interchange.services import plan_import
from minsheng.plans.models import Adjustment, Item, Plan
from minsheng.plans.services import plan_publish

pytestmark = pytest.mark.django_db


def imported(region: Any) -> Plan:
    return plan_import(
        acting_user=None,
        parsed=parsed_plan(projects=1, items=2),
        region=region,
        year=None,
        source_name="l.txt",
    ).plan


def form(item: Item, **changes: Any) -> dict[str, Any]:
    units = list(item.item_units.all())
    data = {
        "text": item.text,
        "lead_units": "\n".join(u.written_as for u in units if u.role == "lead"),
        "partner_units": "\n".join(u.written_as for u in units if u.role == "partner"),
    }
    data.update(changes)
    return data


def test_before_publishing_the_office_corrects_an_item_freely_and_each_change_is_audited(
    client, district, office
):
    plan = imported(district)
    item = Item.objects.filter(project__plan=plan).order_by("position").first()
    spurious = item.targets.order_by("position").first()
    assert client.login(username=office.username, password=PASSWORD)
    response = client.post(
        reverse("plans:item_revise", args=[item.pk]),
        form(
            item,
            text="新建口袋公园6个。",
            partner_units="金城镇",
            remove_targets=[str(spurious.pk)],
            target_quote="新建口袋公园6个",
            target_value="6",
            target_unit="个",
            target_op="=",
            milestone_subject="口袋公园",
            milestone_state="建成",
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "新建口袋公园6个。"
    assert [u.written_as for u in item.item_units.filter(role="partner")] == ["金城镇"]
    assert not item.targets.filter(pk=spurious.pk).exists()
    assert item.targets.filter(value=Decimal(6), unit="个").exists()
    assert item.milestones.filter(subject="口袋公园", state="建成").exists()
    text_event = AuditEvent.objects.get(
        object_type="plans.item", object_id=str(item.pk), after__text="新建口袋公园6个。"
    )
    assert text_event.before["text"] != text_event.after["text"]
    assert not Adjustment.objects.exists()


def test_after_publishing_a_change_needs_a_reason_and_shows_on_the_portal(client, district, office):
    plan = imported(district)
    plan_publish(acting_user=None, plan=plan)
    item = Item.objects.filter(project__plan=plan).order_by("position").first()
    target = item.targets.order_by("position").first()
    assert client.login(username=office.username, password=PASSWORD)
    url = reverse("plans:target_edit", args=[target.pk])
    prefix = f"target-{target.pk}"
    data = {
        f"{prefix}-quote": target.quote,
        f"{prefix}-op": target.op,
        f"{prefix}-value": "8",
        f"{prefix}-unit": target.unit,
        f"{prefix}-due_date": target.due_date.isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code in (200, 422)
    target.refresh_from_db()
    assert target.value != Decimal(8)
    response = client.post(url, {**data, f"{prefix}-reason": "征地延误，调减建设数量"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(8)
    adjustment = Adjustment.objects.get()
    assert adjustment.reason == "征地延误，调减建设数量" and adjustment.after["value"] == "8"
    client.logout()
    portal = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert 'id="adjustments"' in portal and "征地延误，调减建设数量" in portal

    # The item page refuses a change of scope without a reason, and records it with one.
    assert client.login(username=office.username, password=PASSWORD)
    no_reason = client.post(
        reverse("plans:item_revise", args=[item.pk]), form(item, text="改为新建口袋公园4个。")
    )
    assert no_reason.status_code == 422
    item.refresh_from_db()
    assert item.text != "改为新建口袋公园4个。"
    client.post(
        reverse("plans:item_revise", args=[item.pk]),
        form(item, text="改为新建口袋公园4个。", reason="用地调整"),
    )
    assert Adjustment.objects.filter(
        kind="item", reason="用地调整", after__text="改为新建口袋公园4个。"
    ).exists()


def test_another_districts_office_cannot_correct_the_item(client, district):
    plan = imported(district)
    item = Item.objects.filter(project__plan=plan).first()
    other_region = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    other = UserFactory(username="office-ly", role="office", region=other_region)
    assert client.login(username=other.username, password=PASSWORD)
    assert client.get(reverse("plans:item_revise", args=[item.pk])).status_code == 403
    assert client.post(reverse("plans:item_revise", args=[item.pk]), form(item, text="x")).status_code == 403
    item.refresh_from_db()
    assert item.text != "x"


def test_an_unknown_unit_is_refused_with_the_closest_offered_until_confirmed(client, district, office):
    from factories import UnitFactory

    police = UnitFactory(name="金坛公安分局", region=district)
    item = Item.objects.filter(project__plan=imported(district)).first()
    assert client.login(username=office.username, password=PASSWORD)
    url = reverse("plans:item_revise", args=[item.pk])
    refused = client.post(url, form(item, lead_units="区公安局"))
    assert refused.status_code == 422 and "金坛公安分局" in refused.content.decode()
    assert not item.item_units.filter(written_as="区公安局").exists()
    client.post(url, form(item, lead_units="金坛公安分局"))
    assert item.item_units.get(role="lead").unit == police
    client.post(url, form(item, lead_units="区应急局", create_units="on"))
    assert item.item_units.get(role="lead").unit.name == "区应急局"
