"""Plan pages through the test client: who sees what, corrections, history, the query count."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD, UnitFactory, UserFactory, parsed_plan
from minsheng.audit.models import AuditEvent
from minsheng.interchange.services import plan_import
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Target
from minsheng.plans.services import plan_publish

pytestmark = pytest.mark.django_db


def imported(region: Any, *, projects: int = 1, items: int = 3, title: str | None = None) -> Plan:
    parsed = parsed_plan(projects=projects, items=items)
    if title:
        parsed.title = title
    return plan_import(acting_user=None, parsed=parsed, region=region, year=None, source_name="list.txt").plan


def signed_in(client: Any, user: Any) -> Any:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def plan(district: Any) -> Plan:
    plan = imported(district)
    plan_publish(acting_user=None, plan=plan)
    return plan


@pytest.fixture
def reviewer(district: Any) -> Any:
    return UserFactory(username="reviewer1", role="reviewer", region=district)


@pytest.fixture
def reporter(district: Any) -> Any:
    unit = UnitFactory(name="区卫健局", region=district)
    return UserFactory(username="reporter1", role="reporter", unit=unit, region=district)


def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in (reverse("plans:plan_list"), reverse("plans:plan_detail", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["office", "reviewer", "reporter", "leader", "deputy"])
def test_each_role_reads_the_published_plan(client, district, plan, who, reporter):
    user = reporter if who == "reporter" else UserFactory(username=f"{who}9", role=who, region=district)
    signed_in(client, user)
    listing = client.get(reverse("plans:plan_list"))
    assert listing.status_code == 200
    assert plan.title in listing.content.decode()
    page = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "测试项目1" in html
    # The target shows its value, unit and comparison; the quote is on hover.
    assert 'title="惠及群众1100余人"' in html
    assert "≥1100 人" in html
    assert "区卫健局" in html and "各镇（街道）" in html
    edit_url = reverse("plans:target_edit", args=[Target.objects.filter(item__project__plan=plan).first().pk])
    assert (edit_url in html) is (who == "office")


def test_a_draft_is_hidden_from_readers_but_shown_to_the_office(client, district, office, reviewer):
    draft = imported(district, title="草稿清单")
    signed_in(client, reviewer)
    assert "草稿清单" not in client.get(reverse("plans:plan_list")).content.decode()
    assert client.get(reverse("plans:plan_detail", args=[draft.pk])).status_code == 403
    client.logout()
    signed_in(client, office)
    assert client.get(reverse("plans:plan_detail", args=[draft.pk])).status_code == 200


def test_office_publishes_a_draft(client, district, office):
    draft = imported(district)
    signed_in(client, office)
    response = client.post(reverse("plans:plan_publish", args=[draft.pk]), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "published"


def test_project_and_unit_filters(client, district, office):
    plan = imported(district, projects=3, items=2)
    signed_in(client, office)
    sections = {p.no: f'id="project-{p.pk}"' for p in plan.projects.all()}
    html = client.get(
        reverse("plans:plan_detail", args=[plan.pk]), {"project": plan.projects.get(no=2).pk}
    ).content.decode()
    assert sections[2] in html and sections[1] not in html and sections[3] not in html
    assert "项目2第1项" in html and "项目1第1项" not in html
    html = client.get(reverse("plans:plan_detail", args=[plan.pk]), {"unit": "区测试局3"}).content.decode()
    assert "项目3第2项" in html and "项目3第1项" not in html and sections[1] not in html
    html = client.get(reverse("plans:plan_detail", args=[plan.pk]), {"q": "口袋公园21个"}).content.decode()
    assert "项目2第1项" in html and "项目2第2项" not in html


def _count_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_plan_detail_query_count_does_not_grow_with_items(
    client, district, office, django_assert_max_num_queries
):
    small = imported(district, projects=1, items=3, title="小清单")
    large = imported(district, projects=3, items=10, title="大清单")
    assert Item.objects.filter(project__plan=large).count() == 30
    signed_in(client, office)
    client.get(reverse("plans:plan_detail", args=[small.pk]))  # warm up session and caches
    small_count = _count_queries(client, reverse("plans:plan_detail", args=[small.pk]))
    assert small_count < 30  # includes the office's fixed-cost "what next" strip
    with django_assert_max_num_queries(small_count):
        assert client.get(reverse("plans:plan_detail", args=[large.pk])).status_code == 200
    # A filtered page costs one more query, whatever the size.
    with django_assert_max_num_queries(small_count + 1):
        response = client.get(reverse("plans:plan_detail", args=[large.pk]), {"q": "公园"})
    assert response.status_code == 200


def test_non_office_cannot_correct(client, plan, reviewer):
    target = Target.objects.filter(item__project__plan=plan).first()
    signed_in(client, reviewer)
    assert client.get(reverse("plans:target_edit", args=[target.pk])).status_code == 403
    response = client.post(reverse("plans:target_edit", args=[target.pk]), {})
    assert response.status_code == 403
    item = target.item
    assert client.post(reverse("plans:item_units_edit", args=[item.pk]), {}).status_code == 403
    assert client.post(reverse("plans:plan_publish", args=[plan.pk])).status_code == 403
    target.refresh_from_db()
    assert target.value == Decimal("11")


def _target_form(target: Target, **changes: Any) -> dict[str, Any]:
    prefix = f"target-{target.pk}-"
    data = {
        "quote": target.quote,
        "op": target.op,
        "value": str(target.value),
        "range_max": "",
        "unit": target.unit,
        "baseline": "",
        "due_date": target.due_date.isoformat(),
        **changes,
    }
    return {prefix + k: v for k, v in data.items()}


def test_office_corrects_a_target_and_the_history_shows_it(client, plan, office):
    target = Target.objects.filter(item__project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    form_page = client.get(reverse("plans:target_edit", args=[target.pk]))
    assert form_page.status_code == 200
    response = client.post(
        reverse("plans:target_edit", args=[target.pk]),
        {
            **_target_form(target, value="12", op=">=", due_date="2024-06-30"),
            f"target-{target.pk}-reason": "年中完成",  # the plan is published: an adjustment
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.op, target.due_date.isoformat()) == (Decimal("12"), ">=", "2024-06-30")
    event = AuditEvent.objects.get(object_type="plans.target", object_id=str(target.pk))
    assert event.actor == office
    assert set(event.after) == {"value", "op", "due_date"}  # only what changed
    history = client.get(reverse("plans:item_history", args=[target.item_id])).content.decode()
    assert "office1" in history
    assert re.search(r'class="before">11</span> → <span class="after">12<', history)
    assert "2024-06-30" in history


def test_invalid_target_shows_the_error_and_changes_nothing(client, plan, office):
    target = Target.objects.filter(item__project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    response = client.post(
        reverse("plans:target_edit", args=[target.pk]), _target_form(target, value="10", range_max="5")
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal("11")
    assert not AuditEvent.objects.filter(object_type="plans.target").exists()


def test_htmx_edit_returns_fragments(client, plan, office):
    target = Target.objects.filter(item__project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    url = reverse("plans:target_edit", args=[target.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and f'id="target-{target.pk}"' in fragment and "<form" in fragment
    data = {**_target_form(target, unit="处"), f"target-{target.pk}-reason": "计量单位更正"}
    saved = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in saved and "<form" not in saved and "11 处" in saved


def test_office_corrects_a_milestone(client, plan, office):
    milestone = Milestone.objects.filter(item__project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    prefix = f"milestone-{milestone.pk}-"
    response = client.post(
        reverse("plans:milestone_edit", args=[milestone.pk]),
        {
            prefix + "subject": milestone.subject,
            prefix + "state": "开工建设",
            prefix + "quote": milestone.quote,
            prefix + "due_date": "2024-12-31",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.state == "开工建设"
    history = client.get(reverse("plans:item_history", args=[milestone.item_id])).content.decode()
    assert "建成投用" in history and "开工建设" in history


def test_office_corrects_item_units(client, plan, office):
    item = Item.objects.filter(project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    prefix = f"item-{item.pk}-"
    response = client.post(
        reverse("plans:item_units_edit", args=[item.pk]),
        {prefix + "lead_units": "区教育局、区卫健局", prefix + "partner_units": "金城镇\n儒林镇"},
    )
    # 区教育局 is no unit of the district yet: it is refused with the closest units offered...
    assert response.status_code == 200 and "区教育局" in response.content.decode()
    assert not ItemUnit.objects.filter(item=item, written_as="区教育局").exists()
    # ...until the office confirms that a new unit is meant.
    response = client.post(
        reverse("plans:item_units_edit", args=[item.pk]),
        {
            prefix + "lead_units": "区教育局、区卫健局",
            prefix + "partner_units": "金城镇\n儒林镇",
            prefix + "create_units": "on",
        },
    )
    assert response.status_code == 302
    lead = list(
        ItemUnit.objects.filter(item=item, role="lead")
        .order_by("position")
        .values_list("written_as", flat=True)
    )
    partner = list(
        ItemUnit.objects.filter(item=item, role="partner")
        .order_by("position")
        .values_list("written_as", flat=True)
    )
    assert lead == ["区教育局", "区卫健局"]
    assert partner == ["金城镇", "儒林镇"]
    history = client.get(reverse("plans:item_history", args=[item.pk])).content.decode()
    assert "区教育局、区卫健局" in history


def test_unknown_plan_is_404(client, office):
    signed_in(client, office)
    assert client.get(reverse("plans:plan_detail", args=[999999])).status_code == 404


def test_htmx_units_edit_and_cancel_return_the_units_fragment(client, plan, office):
    item = Item.objects.filter(project__plan=plan).order_by("pk").first()
    signed_in(client, office)
    url = reverse("plans:item_units_edit", args=[item.pk])
    cancel = client.get(url, {"display": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert cancel.lstrip().startswith(f'<div id="units-{item.pk}"') and "<form" not in cancel
    prefix = f"item-{item.pk}-"
    saved = client.post(
        url,
        {prefix + "lead_units": "区民政局", prefix + "partner_units": "", prefix + "create_units": "on"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<html" not in saved and "区民政局" in saved and "各镇（街道）" not in saved
    assert list(item.item_units.values_list("written_as", flat=True)) == ["区民政局"]


def test_publishing_asks_for_confirmation_and_lists_what_is_missing(client, district, office):
    draft = imported(district)
    orphan = Item.objects.filter(project__plan=draft).order_by("pk").first()
    orphan.item_units.filter(role="lead").delete()
    signed_in(client, office)
    page = client.get(reverse("plans:plan_publish", args=[draft.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="checklist"' in html
    assert reverse("plans:item_units_edit", args=[orphan.pk]) in html
    # A POST without the confirmation (an old button, a stray request) publishes nothing.
    response = client.post(reverse("plans:plan_publish", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:plan_publish", args=[draft.pk]
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(reverse("plans:plan_publish", args=[draft.pk]), {"confirm": "yes"})
    draft.refresh_from_db()
    assert draft.status == "published"
