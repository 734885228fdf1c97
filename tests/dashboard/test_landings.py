"""Where leaders and deputies land, and what a deputy reads: the region's current plan on a read-only
dashboard, item timelines, bulletins and supervision notices of the region."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD, PlanFactory, RegionFactory
from minsheng.supervision.services import notice_issue
from progress.factories import World

pytestmark = pytest.mark.django_db


def signed_in(client: Any, user: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["leader", "deputy"])
def test_leader_and_deputy_land_on_their_regions_current_plan(client: Any, world: World, who: str) -> None:
    district = world.plan.region
    town = RegionFactory(name="金城镇", code="320413100", level="town", parent=district)
    PlanFactory(region=town, year=2025, status="published", title="金城镇2025年民生实事")
    PlanFactory(region=district, year=2026, status="draft", title="2026年草稿")
    user = getattr(world, who)
    signed_in(client, user)
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:overview")
    page = client.get(reverse("dashboard:overview"))
    assert page.status_code == 200
    assert page.context["plan"] == world.plan  # its own region's published plan, not the newer town plan


def test_dashboard_items_open_the_internal_timeline(client: Any, world: World) -> None:
    signed_in(client, world.deputy)
    page = client.get(reverse("dashboard:items") + f"?plan={world.plan.pk}").content.decode()
    timeline = reverse("progress:timeline", args=[world.item.pk])
    assert f'href="{timeline}"' in page and reverse("portal:item", args=[world.item.pk]) not in page
    assert client.get(timeline).status_code == 200


def test_deputies_read_bulletins_but_do_not_write_them(client: Any, world: World) -> None:
    signed_in(client, world.deputy)
    page = client.get(reverse("bulletins:index"))
    assert page.status_code == 200 and "Write the bulletin" not in page.content.decode()
    response = client.post(reverse("bulletins:index"), {"plan": world.plan.pk, "period": world.period(3).pk})
    assert response.status_code == 403


def test_deputies_read_the_regions_notices_and_cannot_answer(client: Any, world: World) -> None:
    notice = notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="进度严重滞后",
        measures="倒排工期",
        reply_deadline=dt.date(2027, 1, 10),
    )
    signed_in(client, world.deputy)
    listing = client.get(reverse("supervision:notice_list"))
    detail = reverse("supervision:notice_detail", args=[notice.pk])
    assert listing.status_code == 200 and detail in listing.content.decode()
    page = client.get(detail)
    assert page.status_code == 200 and "进度严重滞后" in page.content.decode()
    assert (
        client.post(reverse("supervision:notice_reply", args=[notice.pk]), {"text": "x"}).status_code == 403
    )
    assert client.post(reverse("supervision:notice_close", args=[notice.pk])).status_code == 403


def test_the_deputys_reporting_page_does_not_claim_a_unit(client: Any, world: World) -> None:
    signed_in(client, world.deputy)
    page = client.get(reverse("progress:inbox") + f"?plan={world.plan.pk}").content.decode()
    assert "Your unit has no items" not in page
    assert "Your account reads the plans" in page
