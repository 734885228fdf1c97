"""During the year deputies of the region read its progress (dashboard, bulletins, 督办, item timelines);
a deputy of another district reads none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from factories import PASSWORD, RegionFactory, UserFactory
from minsheng.bulletins.models import Bulletin
from minsheng.supervision.services import notice_issue, notice_reply
from progress.factories import approved_report, filled_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    for month in (1, 2, 3, 4, 5):
        approved_report(world, world.item, world.period(month), value="0.5")  # far behind: needs a notice
    draft = filled_report(world, world.item, world.period(6), problems="草稿里的内部说明")
    notice = notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="进度滞后",
        measures="加快推进",
        reply_deadline=timezone.localdate(),
    )
    notice_reply(acting_user=world.reporter, notice=notice, text="已制定赶工计划")
    bulletin = Bulletin.objects.create(
        plan=world.plan, period=world.period(1), state="done", requested_by=world.office
    )
    return {
        "dashboard": reverse("dashboard:overview") + f"?plan={world.plan.pk}",
        "bulletins": reverse("bulletins:index"),
        "bulletin": reverse("bulletins:detail", args=[bulletin.pk]),
        "notice": reverse("supervision:notice_detail", args=[notice.pk]),
        "timeline": reverse("progress:timeline", args=[world.item.pk]),
        "draft": draft,
    }


def test_a_deputy_of_the_region_reads_progress_but_not_drafts(client, world, pages):
    client.login(username=world.deputy.username, password=PASSWORD)
    for name in ("dashboard", "bulletins", "bulletin", "notice", "timeline"):
        assert client.get(pages[name]).status_code == 200, name
    assert "已制定赶工计划" in client.get(pages["notice"]).content.decode()
    timeline = client.get(pages["timeline"]).content.decode()
    assert (
        "草稿里的内部说明" not in timeline
    )  # drafts and unapproved content stay with the unit and reviewers


def test_a_deputy_of_another_district_reads_none_of_it(client, world, pages, district):
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    UserFactory(username="ly-deputy", role="deputy", region=elsewhere)
    client.login(username="ly-deputy", password=PASSWORD)
    for name in ("bulletin", "notice", "timeline"):
        assert client.get(pages[name]).status_code in (403, 404), name
    assert world.plan.title not in client.get(pages["dashboard"]).content.decode()
    assert world.plan.title not in client.get(pages["bulletins"]).content.decode()
