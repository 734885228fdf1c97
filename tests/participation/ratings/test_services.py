"""Satisfaction rating: the threshold maths by hand, the window, once per deputy, results, rectification."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from factories import PlanFactory, ProjectFactory
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.models import Notification
from minsheng.participation.ratings import services
from minsheng.participation.ratings.choices import EventStatus, ReportDecision, TaskStatus
from minsheng.participation.ratings.models import (
    Rating,
    RatingResult,
    RectificationEvidence,
    RectificationTask,
)
from participation.ratings.conftest import make_rated
from progress.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


def cast_all(rated, marks_per_project):
    """marks_per_project: one list of marks per project, deputy n gives the n-th mark (None: skips)."""
    for n, deputy in enumerate(rated.deputies):
        marks = {
            p.pk: column[n] for p, column in zip(rated.projects, marks_per_project, strict=True) if column[n]
        }
        if marks:
            services.rating_cast(acting_user=deputy, event=rated.event, marks=marks)


S, B, U = "satisfied", "basic", "unsatisfied"


def test_threshold_maths_by_hand(rated):
    # Ten deputies. Project 1: 6 S + 2 B of 10 = 80 % (not below 80: passes).
    # Project 2: 5 S + 2 B of 10 = 70 % (below: unsatisfactory). Project 3: 1 S of 3 votes = 33.33 %.
    cast_all(
        rated,
        [
            [S] * 6 + [B] * 2 + [U] * 2,
            [S] * 5 + [B] * 2 + [U] * 3,
            [S, U, U] + [None] * 7,
        ],
    )
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    results = {r.project_id: r for r in RatingResult.objects.all()}
    one, two, three = (results[p.pk] for p in rated.projects)
    assert (one.satisfied, one.basic, one.unsatisfied, one.votes) == (6, 2, 2, 10)
    assert one.satisfaction == Decimal("80.00") and not one.unsatisfactory
    assert (two.satisfied, two.basic, two.unsatisfied, two.votes) == (5, 2, 3, 10)
    assert two.satisfaction == Decimal("70.00") and two.unsatisfactory
    assert three.votes == 3 and three.satisfaction == Decimal("33.33") and three.unsatisfactory
    # Each unsatisfactory project opens one rectification task for its lead unit(s).
    tasks = {t.project_id: t for t in RectificationTask.objects.all()}
    assert set(tasks) == {rated.projects[1].pk, rated.projects[2].pk}
    assert list(tasks[rated.projects[1].pk].units.all()) == [rated.world.lead]
    assert list(tasks[rated.projects[2].pk].units.all()) == [rated.world.other]
    assert Notification.objects.filter(
        user=rated.world.other_reporter, link__contains="rectification"
    ).exists()


def test_exact_comparison_is_not_fooled_by_rounding():
    # 2 of 3 = 66.666…%: below a threshold of 66.67, above 66.66.
    assert services.is_unsatisfactory(2, 0, 3, Decimal("66.67"))
    assert not services.is_unsatisfactory(2, 0, 3, Decimal("66.66"))
    assert services.satisfaction_of(2, 0, 3) == Decimal("66.67")
    assert services.satisfaction_of(0, 0, 0) is None and not services.is_unsatisfactory(0, 0, 0, Decimal(80))


def test_a_project_without_ratings_has_no_result_figure_and_no_task(rated):
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    assert RatingResult.objects.filter(votes=0, satisfaction=None, unsatisfactory=False).count() == 3
    assert not RectificationTask.objects.exists()


def test_twice_is_refused_and_nothing_changes(rated):
    deputy, project = rated.deputies[0], rated.projects[0]
    services.rating_cast(acting_user=deputy, event=rated.event, marks={project.pk: S})
    with pytest.raises(Conflict, match="already rated"):
        services.rating_cast(acting_user=deputy, event=rated.event, marks={project.pk: U})
    # A batch with one already rated project stores none of the batch.
    with pytest.raises(Conflict):
        services.rating_cast(
            acting_user=deputy, event=rated.event, marks={project.pk: U, rated.projects[1].pk: S}
        )
    assert list(Rating.objects.values_list("project_id", "mark")) == [(project.pk, S)]


def test_outside_the_window_is_refused(rated):
    project = rated.projects[0]
    early = rated.event.opens_at - dt.timedelta(minutes=1)
    late = rated.event.closes_at + dt.timedelta(minutes=1)
    for moment in (early, late):
        with pytest.raises(Conflict, match="nothing was stored"):
            services.rating_cast(
                acting_user=rated.deputies[0], event=rated.event, marks={project.pk: S}, now=moment
            )
    assert not Rating.objects.exists()


def test_other_region_other_plan_and_bad_marks_are_refused(rated, district):
    project = rated.projects[0]
    with pytest.raises(NotAllowed, match="金坛区"):
        services.rating_cast(acting_user=rated.stranger, event=rated.event, marks={project.pk: S})
    with pytest.raises(NotAllowed):
        services.rating_cast(acting_user=rated.world.reporter, event=rated.event, marks={project.pk: S})
    foreign = ProjectFactory(
        plan=PlanFactory(region=rated.stranger.region, year=2024, status="published"), no=1
    )
    with pytest.raises(ValidationFailed, match="not a project of this plan"):
        services.rating_cast(
            acting_user=rated.deputies[0], event=rated.event, marks={project.pk: S, foreign.pk: S}
        )
    with pytest.raises(ValidationFailed, match="满意"):
        services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={project.pk: "great"})
    assert not Rating.objects.exists()


def test_rules_fixed_once_open_and_nothing_changes_after_close(rated):
    office = rated.world.office
    with pytest.raises(Conflict, match="fixed"):
        services.rating_event_update(
            acting_user=office,
            event=rated.event,
            opens_at=rated.event.opens_at,
            closes_at=rated.event.closes_at,
            threshold="60",
        )
    services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[0].pk: S})
    services.rating_event_close(acting_user=office, event=rated.event)
    rated.event.refresh_from_db()
    assert rated.event.status == EventStatus.CLOSED
    with pytest.raises(Conflict):
        services.rating_cast(
            acting_user=rated.deputies[1], event=rated.event, marks={rated.projects[0].pk: S}
        )
    with pytest.raises(Conflict):
        services.rating_event_close(acting_user=office, event=rated.event)
    assert Rating.objects.count() == 1 and RatingResult.objects.count() == 3


def test_rules_are_checked_and_only_the_office_prepares(district):
    from progress.factories import build_world

    world = build_world(district)
    now = timezone.now()
    with pytest.raises(ValidationFailed, match="close after"):
        services.rating_event_create(
            acting_user=world.office, plan=world.plan, opens_at=now, closes_at=now, threshold=80
        )
    with pytest.raises(ValidationFailed, match="0 to 100"):
        services.rating_event_create(
            acting_user=world.office,
            plan=world.plan,
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            threshold=120,
        )
    with pytest.raises(NotAllowed):
        services.rating_event_create(
            acting_user=world.deputy,
            plan=world.plan,
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            threshold=80,
        )


def test_every_action_is_audited(rated):
    before = AuditEvent.objects.count()
    services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[1].pk: U})
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    messages = list(AuditEvent.objects.order_by("id").values_list("message", flat=True)[before:])
    assert messages == ["deputy rated 1 project(s)", "satisfaction rating closed"]


def test_rectification_flow_until_closed(rated, settings):
    services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[0].pk: U})
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    task = RectificationTask.objects.get()
    reporter, office = rated.world.reporter, rated.world.office
    with pytest.raises(NotAllowed):
        services.rectification_report_submit(acting_user=rated.world.other_reporter, task=task, text="整改")
    photo = SimpleUploadedFile("site.jpg", jpeg_with_gps(), content_type="image/jpeg")
    first = services.rectification_report_submit(
        acting_user=reporter, task=task, text="已补齐管网", files=[photo]
    )
    evidence = RectificationEvidence.objects.get()
    assert evidence.public_copy and b"PhoneCam" not in evidence.public_copy.read()
    with pytest.raises(Conflict):
        services.rectification_report_submit(acting_user=reporter, task=task, text="再报")
    with pytest.raises(ValidationFailed, match="missing"):
        services.rectification_report_return(acting_user=office, report=first, comment="")
    services.rectification_report_return(acting_user=office, report=first, comment="缺少验收材料")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    second = services.rectification_report_submit(acting_user=reporter, task=task, text="补充验收材料")
    services.rectification_report_accept(acting_user=office, report=second)
    task.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    assert (first.decision, second.decision) == (ReportDecision.RETURNED, ReportDecision.ACCEPTED)
    with pytest.raises(Conflict):
        services.rectification_report_submit(acting_user=reporter, task=task, text="又一次")


def test_a_refused_file_stores_no_report_and_no_file(rated, settings):
    services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[0].pk: U})
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    task = RectificationTask.objects.get()
    good = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    bad = SimpleUploadedFile("b.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationFailed, match=r"b\.jpg"):
        services.rectification_report_submit(
            acting_user=rated.world.reporter, task=task, text="整改", files=[good, bad]
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not task.reports.exists()
    media = settings.MEDIA_ROOT
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_ratings_make_one(district):
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share SQLite's in-memory test database; run on PostgreSQL")
    rated = make_rated(district, deputies=1)
    project = rated.projects[0]
    outcomes: list[str] = []

    def cast() -> None:
        try:
            services.rating_cast(acting_user=rated.deputies[0], event=rated.event, marks={project.pk: S})
            outcomes.append("stored")
        except Conflict:
            outcomes.append("refused")
        except BaseException as exc:  # reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 19 + ["stored"]
    assert Rating.objects.count() == 1
