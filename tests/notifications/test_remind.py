"""`minsheng remind`: before and after the deadline, once per (user, period, kind), in-app and e-mail."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from factories import UnitFactory, UserFactory
from minsheng.alerts.services import period_close
from minsheng.audit.models import AuditEvent
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.models import Notification
from minsheng.progress.services import item_end, report_submit
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def remind(on: str, *extra: str) -> str:
    out = StringIO()
    call_command("remind", "--on", on, *extra, stdout=out)
    return out.getvalue()


def kinds(user: Any) -> list[tuple[str, str]]:
    """The user's reminders (decisions on reports notify too, but are not reminders)."""
    reminders = Notification.objects.filter(
        user=user, kind__in=[NotificationKind.DUE, NotificationKind.OVERDUE]
    )
    return sorted(reminders.values_list("kind", "key"))


def test_due_soon_then_overdue_once_each(world: World, django_capture_on_commit_callbacks: Any) -> None:
    world.reporter.email = "zhujian@example.org"
    world.reporter.save()
    january = world.period(1)
    assert "0 due" in remind("2024-01-10")  # deadline 25 January is more than 3 days away
    assert kinds(world.reporter) == []

    with django_capture_on_commit_callbacks(execute=True):
        remind("2024-01-23")
    assert kinds(world.reporter) == [("due", f"remind:{january.pk}:due")]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhujian@example.org"]
    assert "2024-01-25" in mail.outbox[0].body
    link = Notification.objects.get(user=world.reporter).link
    assert link == f"/progress/?plan={world.plan.pk}&period={january.pk}"

    remind("2024-01-24")  # same period, same kind: nothing new
    assert len(kinds(world.reporter)) == 1

    out = remind("2024-01-26")
    assert "1 overdue" in out
    assert kinds(world.reporter)[-1] == ("overdue", f"remind:{january.pk}:overdue")
    remind("2024-01-27")
    assert len(kinds(world.reporter)) == 2
    # Only the lead unit's reporters are reminded.
    for user in (world.partner_reporter, world.other_reporter, world.reviewer, world.office):
        assert kinds(user) == []
    assert AuditEvent.objects.filter(object_type="notifications.reminder").count() == 2


def test_a_submitted_report_stops_reminders(world: World) -> None:
    report = filled_report(world, world.item, world.period(1))
    report_submit(acting_user=world.reporter, report=report)
    remind("2024-01-23")
    remind("2024-01-30")
    assert kinds(world.reporter) == []


def test_a_draft_does_not_count_as_reported(world: World) -> None:
    filled_report(world, world.item, world.period(1))
    remind("2024-01-30")
    assert [k for k, _ in kinds(world.reporter)] == ["overdue"]


def test_only_the_latest_overdue_period_is_chased(world: World) -> None:
    approved_report(world, world.item, world.period(1))
    remind("2024-03-30")
    assert [key for _, key in kinds(world.reporter)] == [f"remind:{world.period(3).pk}:overdue"]


def test_group_words_reach_the_towns_reporters(world: World) -> None:
    group = UnitFactory(name="各镇（街道）", region=world.plan.region, kind="group")
    town = UnitFactory(name="金城镇", region=world.plan.region, kind="town")
    town_reporter = UserFactory(username="jincheng", role="reporter", unit=town, region=world.plan.region)
    world.add_item(lead=group)
    remind("2024-01-23")
    assert [k for k, _ in kinds(town_reporter)] == ["due"]
    notification = Notification.objects.get(user=town_reporter)
    assert "1" in notification.text


def test_ended_items_are_not_chased(world: World) -> None:
    item_end(
        acting_user=world.office,
        item=world.item,
        kind="terminated",
        reason="规划调整",
        ended_on=dt.date(2024, 1, 5),
    )
    remind("2024-01-30")
    assert kinds(world.reporter) == []


def test_closed_periods_are_not_chased(world: World) -> None:
    period_close(acting_user=world.office, period=world.period(1))
    remind("2024-01-30")
    assert kinds(world.reporter) == []


def test_inactive_reporters_get_nothing(world: World) -> None:
    world.reporter.is_active = False
    world.reporter.save()
    remind("2024-01-30")
    assert kinds(world.reporter) == []


def test_bad_arguments() -> None:
    with pytest.raises(CommandError):
        call_command("remind", "--on", "30/01/2024")
    with pytest.raises(CommandError):
        call_command("remind", "--days", "-1")
