"""A double post of an important form (a double click, the browser's "resend") makes one effect and shows a
clear page: report submit, approve, return and a supervision notice. Pages rely on the services being
idempotent (state under a row lock; an identical notice found again), not on a form token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minsheng.progress import services
from minsheng.progress.choices import ReportStatus, RevisionAction
from minsheng.progress.models import Evidence, ProgressReport
from minsheng.supervision.models import SupervisionNotice
from progress.factories import World, filled_report, jpeg_with_gps
from progress.test_safeguards import as_user

pytestmark = pytest.mark.django_db


def test_submitting_the_report_form_twice_submits_once(client: Any, world: World) -> None:
    as_user(client, world.reporter)
    url = reverse("progress:report", args=[world.item.pk, world.period(3).pk])
    target = world.item.targets.get()
    milestone = world.item.milestones.get()
    photo = jpeg_with_gps()

    def body() -> dict[str, Any]:
        return {
            "version": "",
            f"t-{target.pk}": "7",
            f"m-{milestone.pk}": "in_progress",
            "progress": "完成7公里",
            "action": "submit",
            "camera": SimpleUploadedFile("IMG_0001.jpg", photo, content_type="image/jpeg"),
        }

    first = client.post(url, body(), follow=True)
    second = client.post(url, body(), follow=True)
    assert first.status_code == 200 and second.status_code == 200
    report = ProgressReport.objects.get(item=world.item, period=world.period(3))
    assert report.status == ReportStatus.SUBMITTED
    assert report.revisions.filter(action=RevisionAction.SUBMIT).count() == 1
    assert Evidence.objects.filter(report=report).count() == 1  # the same photo is one row
    text = second.content.decode()
    assert "Already submitted" in text and "nothing was changed" in text


def test_returning_twice_through_the_page_returns_once(client: Any, world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    as_user(client, world.reviewer)
    url = reverse("progress:decide", args=[report.pk])
    body = {"action": "return", "comment": "补照片", "version": report.version}
    first = client.post(url, body, follow=True)
    second = client.post(url, body, follow=True)
    assert first.status_code == 200 and second.status_code == 200
    assert "Someone else changed" not in second.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.revisions.filter(action=RevisionAction.RETURN).count() == 1


def test_issuing_the_same_notice_twice_makes_one_notice(client: Any, world: World) -> None:
    as_user(client, world.reviewer)
    url = reverse("supervision:notice_issue", args=[world.item.pk])
    body = {
        "unit": world.lead.pk,
        "reason": "进度滞后",
        "measures": "加快施工",
        "reply_deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
    }
    first = client.post(url, body)
    second = client.post(url, body, follow=True)
    notice = SupervisionNotice.objects.get()
    assert first["Location"] == reverse("supervision:notice_detail", args=[notice.pk])
    assert second.redirect_chain[-1][0] == reverse("supervision:notice_detail", args=[notice.pk])
    assert "already issued" in second.content.decode()
    # The lead unit's reporter was told once.
    assert world.reporter.notifications.filter(kind="notice").count() == 1
    # A different notice (other measures) is a new one.
    client.post(url, {**body, "measures": "另派专人"})
    assert SupervisionNotice.objects.count() == 2
