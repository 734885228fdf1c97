"""督办 notices: issued on lagging items only, answered by the lead unit, closed or returned by reviewers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from factories import UnitFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.models import Notification
from minsheng.supervision import services
from minsheng.supervision.models import SupervisionNotice
from minsheng.supervision.selectors import (
    item_needs_supervision,
    notices_for_item,
    notices_visible,
    open_notices,
)
from progress.factories import World, approved_report

pytestmark = pytest.mark.django_db

LAGGING_DAY = dt.date(2024, 1, 31)  # January's report is overdue: the item is severe


def issue(world: World, **extra: Any) -> SupervisionNotice:
    today = extra.pop("today", LAGGING_DAY)
    values: dict[str, Any] = {
        "acting_user": world.reviewer,
        "item": world.item,
        "reason": "1月进度未报送",
        "measures": "3日内报送进度并说明原因",
        "reply_deadline": today + dt.timedelta(days=7),
        **extra,
    }
    return services.notice_issue(today=today, **values)


def test_issue_reply_close(world: World) -> None:
    notice = issue(world)
    assert (notice.status, notice.unit, notice.issued_by) == ("issued", world.lead, world.reviewer)
    assert Notification.objects.filter(user=world.reporter, kind="notice").count() == 1
    assert not Notification.objects.filter(user=world.partner_reporter).exists()

    reply = services.notice_reply(acting_user=world.reporter, notice=notice, text="已补报，并加派施工队")
    notice.refresh_from_db()
    assert notice.status == "replied" and reply.unit == world.lead
    assert Notification.objects.filter(user=world.reviewer, kind="notice").count() == 1

    services.notice_close(acting_user=world.reviewer, notice=notice, comment="整改到位")
    notice.refresh_from_db()
    assert notice.status == "closed" and notice.closed_at is not None
    events = AuditEvent.objects.filter(object_type="supervision.supervisionnotice", object_id=str(notice.pk))
    assert [e.message for e in events.order_by("pk")] == [
        "supervision notice issued",
        "supervision notice replied",
        "supervision notice closed",
    ]
    assert events.order_by("pk").last().before["status"] == "replied"


def test_return_then_reply_again(world: World) -> None:
    notice = issue(world)
    services.notice_reply(acting_user=world.reporter, notice=notice, text="已补报")
    with pytest.raises(ValidationFailed):
        services.notice_return(acting_user=world.reviewer, notice=notice, comment=" ")
    services.notice_return(acting_user=world.reviewer, notice=notice, comment="请说明加快进度的措施")
    notice.refresh_from_db()
    assert notice.status == "returned"
    services.notice_reply(acting_user=world.reporter, notice=notice, text="增加两个施工班组")
    notice.refresh_from_db()
    assert notice.status == "replied"
    assert [r.text for r in notices_for_item(world.item)[0].replies.all()] == ["已补报", "增加两个施工班组"]


def test_only_a_lagging_item_gets_a_notice(world: World) -> None:
    approved_report(world, world.item, world.period(1), value="20")
    on_track_day = dt.date(2024, 2, 10)
    assert not item_needs_supervision(world.item, today=on_track_day)
    with pytest.raises(Conflict):
        issue(world, today=on_track_day)
    unreported = world.add_item()
    assert item_needs_supervision(unreported, today=LAGGING_DAY)


def test_who_may_issue(world: World) -> None:
    issue(world, acting_user=world.office)
    for user in (world.reporter, world.leader, world.deputy):
        with pytest.raises(NotAllowed):
            issue(world, acting_user=user)
    elsewhere = UserFactory(username="reviewer-x", role="reviewer", region=UnitFactory().region)
    with pytest.raises(NotAllowed):
        issue(world, acting_user=elsewhere)


def test_bad_input(world: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        issue(world, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(ValidationFailed) as error:
        issue(world, reply_deadline=LAGGING_DAY - dt.timedelta(days=1))
    assert error.value.field == "reply_deadline"
    with pytest.raises(ValidationFailed) as error:
        issue(world, unit=world.partner)
    assert error.value.field == "unit"


def test_illegal_transitions(world: World) -> None:
    notice = issue(world)
    with pytest.raises(Conflict):
        services.notice_close(acting_user=world.reviewer, notice=notice)
    with pytest.raises(NotAllowed):
        services.notice_reply(acting_user=world.partner_reporter, notice=notice, text="不是我们的")
    with pytest.raises(NotAllowed):
        services.notice_reply(acting_user=world.reviewer, notice=notice, text="x")
    services.notice_reply(acting_user=world.reporter, notice=notice, text="已整改")
    with pytest.raises(Conflict):
        services.notice_reply(acting_user=world.reporter, notice=notice, text="再回复")
    with pytest.raises(NotAllowed):
        services.notice_close(acting_user=world.reporter, notice=notice)
    services.notice_close(acting_user=world.reviewer, notice=notice)
    with pytest.raises(Conflict):
        services.notice_return(acting_user=world.reviewer, notice=notice, comment="x")


def test_a_group_word_lead_is_answered_by_its_towns(world: World) -> None:
    group = UnitFactory(name="各镇（街道）", region=world.plan.region, kind="group")
    town = UnitFactory(name="金城镇", region=world.plan.region, kind="town")
    town_reporter = UserFactory(username="jincheng", role="reporter", unit=town, region=world.plan.region)
    item = world.add_item(lead=group)
    notice = issue(world, item=item)
    assert notice.unit == group
    assert Notification.objects.filter(user=town_reporter).exists()
    assert list(notices_visible(town_reporter)) == [notice]
    services.notice_reply(acting_user=town_reporter, notice=notice, text="金城镇已完成")


def test_who_sees_which_notices(world: World) -> None:
    notice = issue(world)
    for user in (world.reviewer, world.office, world.leader, world.deputy, world.reporter):
        assert list(notices_visible(user)) == [notice], user.username
    for user in (world.partner_reporter, world.other_reporter):
        assert list(notices_visible(user)) == [], user.username
    assert list(open_notices(world.reviewer)) == [notice]
    services.notice_reply(acting_user=world.reporter, notice=notice, text="已整改")
    services.notice_close(acting_user=world.reviewer, notice=notice)
    assert list(open_notices(world.reviewer)) == []


def test_default_today_is_the_local_date(world: World) -> None:
    # The 2024 plan's last report is long overdue today, so the item lags and a notice can be issued.
    notice = services.notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="全年未报送",
        measures="立即报送",
        reply_deadline=timezone.localdate(),
    )
    assert notice.pk
