"""Progress pages through the test client: who sees what, the phone form, one-click review, query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from factories import PASSWORD
from minsheng.progress import services, sheets
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Evidence, ProgressReport
from progress.factories import World, approved_report, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db


def as_user(client: Any, user: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def report_url(world: World, month: int = 3, item: Any = None) -> str:
    return reverse("progress:report", args=[(item or world.item).pk, world.period(month).pk])


def test_inbox_lists_lead_and_partner_items(client: Any, world: World) -> None:
    url = reverse("progress:inbox") + f"?plan={world.plan.pk}&period={world.period(3).pk}"
    page = as_user(client, world.reporter).get(url).content.decode()
    assert world.item.text[:20] in page and "To report" in page
    assert report_url(world) in page
    client.logout()
    page = as_user(client, world.partner_reporter).get(url).content.decode()
    assert report_url(world) in page
    client.logout()
    page = as_user(client, world.other_reporter).get(url)
    assert page.status_code in (200, 404)
    assert report_url(world) not in page.content.decode()


def test_phone_form_has_camera_input_and_saves_then_submits(client: Any, world: World) -> None:
    as_user(client, world.reporter)
    page = client.get(report_url(world)).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    target = world.item.targets.get()
    milestone = world.item.milestones.get()
    response = client.post(
        report_url(world),
        {
            "version": "",
            f"t-{target.pk}": "7",
            f"m-{milestone.pk}": "in_progress",
            "progress": "完成7公里",
            "action": "submit",
            "camera": SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(item=world.item, period=world.period(3))
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1


def test_conflict_is_shown_and_keeps_what_was_typed(client: Any, world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    stale = report.version
    services.report_save(
        acting_user=world.reporter, item=world.item, period=world.period(3), progress="别人先改了"
    )
    as_user(client, world.reporter)
    response = client.post(report_url(world), {"version": stale, "progress": "我的修改", "action": "save"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "我的修改" in page and "Someone else changed this report" in page
    report.refresh_from_db()
    assert report.progress == "别人先改了"


def test_roles_on_the_report_form(client: Any, world: World) -> None:
    url = report_url(world)
    for user, status in (
        (world.reporter, 200),
        (world.partner_reporter, 200),
        (world.other_reporter, 403),
        (world.leader, 403),
        (world.deputy, 403),
        (world.reviewer, 403),
    ):
        assert as_user(client, user).get(url).status_code == status, user
        client.logout()
    assert client.get(url).status_code == 302  # anonymous → sign in
    as_user(client, world.partner_reporter)
    assert client.post(url, {"progress": "x", "action": "save"}).status_code == 403


def test_review_queue_approve_and_return_in_one_click(client: Any, world: World) -> None:
    approved_report(world, world.item, world.period(2), value="4")
    report = filled_report(world, world.item, world.period(3), value="9")
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    as_user(client, world.reviewer)
    page = client.get(reverse("progress:queue")).content.decode()
    assert 'class="changed"' in page and "9" in page and "4" in page
    response = client.post(
        reverse("progress:decide", args=[report.pk]),
        {"action": "return", "comment": "补照片", "version": report.version - 1},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # stale version: refused
    response = client.post(
        reverse("progress:decide", args=[report.pk]),
        {"action": "return", "comment": "补照片", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_comment == "补照片"


def test_queue_is_for_reviewers_only(client: Any, world: World) -> None:
    for user, status in (
        (world.reviewer, 200),
        (world.office, 200),
        (world.reporter, 403),
        (world.leader, 403),
        (world.deputy, 403),
    ):
        assert as_user(client, user).get(reverse("progress:queue")).status_code == status, user
        client.logout()
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    as_user(client, world.reporter)
    assert client.post(reverse("progress:decide", args=[report.pk]), {"action": "approve"}).status_code == 403


def test_leader_sees_status_not_draft_content_deputy_sees_approved_only(client: Any, world: World) -> None:
    approved_report(world, world.item, world.period(2), value="4")
    draft = filled_report(world, world.item, world.period(3), value="9")
    services.report_save(
        acting_user=world.reporter, item=world.item, period=world.period(3), progress="草稿内容保密"
    )
    url = reverse("progress:timeline", args=[world.item.pk])
    leader_page = as_user(client, world.leader).get(url).content.decode()
    assert str(world.period(3)) in leader_page and "草稿内容保密" not in leader_page
    assert "完成管网改造8公里" in leader_page  # the approved February report
    client.logout()
    deputy_page = as_user(client, world.deputy).get(url).content.decode()
    assert "草稿内容保密" not in deputy_page and draft.get_status_display() not in deputy_page
    client.logout()
    assert "草稿内容保密" in as_user(client, world.reviewer).get(url).content.decode()
    client.logout()
    assert as_user(client, world.other_reporter).get(url).status_code == 403


def test_original_photos_only_for_reviewers(client: Any, world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    evidence = services.evidence_add(
        acting_user=world.reporter, report=report, upload=SimpleUploadedFile("a.jpg", jpeg_with_gps())
    )
    original = reverse("progress:evidence", args=[evidence.pk, "original"])
    public = reverse("progress:evidence", args=[evidence.pk, "public"])
    assert as_user(client, world.reporter).get(original).status_code == 403
    assert client.get(public).status_code == 200
    client.logout()
    assert as_user(client, world.reviewer).get(original).status_code == 200
    client.logout()
    # Deputies see the clean copy once the report is approved, never before.
    assert as_user(client, world.deputy).get(public).status_code == 403
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_approve(acting_user=world.reviewer, report=report)
    assert client.get(public).status_code == 200
    assert client.get(original).status_code == 403
    assert Evidence.objects.count() == 1


def test_overdue_and_extensions_pages(client: Any, world: World) -> None:
    overdue = reverse("progress:overdue", args=[world.plan.pk])
    extensions = reverse("progress:extensions", args=[world.plan.pk])
    assert as_user(client, world.reporter).get(overdue).status_code == 403
    target = world.item.targets.get()
    response = client.post(
        extensions, {"target": target.pk, "requested_due_date": "2025-03-31", "reason": "拆迁延误"}
    )
    assert response.status_code == 302
    client.logout()
    as_user(client, world.office)
    assert client.get(overdue).status_code == 200
    page = client.get(extensions).content.decode()
    assert "拆迁延误" in page and "2024-12-31" in page
    ext = target.extension_requests.get()
    client.post(reverse("progress:extension_decide", args=[ext.pk]), {"action": "approve"})
    target.refresh_from_db()
    assert str(target.due_date) == "2025-03-31"


def test_sheet_download_and_upload_through_pages(client: Any, world: World) -> None:
    period = world.period(3)
    as_user(client, world.reporter)
    response = client.get(reverse("progress:sheet_download", args=[world.plan.pk, period.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[sheets.SHEET]
    sheet.cell(row=2, column=sheets.PROGRESS).value = "表格填报"
    sheet.cell(row=3, column=sheets.REACHED).value = 11
    out = io.BytesIO()
    book.save(out)
    upload_url = reverse("progress:sheet_upload", args=[world.plan.pk, period.pk])
    page = client.post(upload_url, {"file": SimpleUploadedFile("s.xlsx", out.getvalue())})
    assert page.status_code == 200 and "表格填报" in page.content.decode()
    assert not ProgressReport.objects.exists()
    client.post(upload_url, {"confirm": "1"})
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.progress == "表格填报"
    client.logout()
    assert as_user(client, world.deputy).get(upload_url).status_code == 403


def test_inbox_and_queue_queries_do_not_grow_with_items(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    def fill(n: int) -> None:
        for _ in range(n):
            item = world.add_item(targets=2, milestones=1)
            report = filled_report(world, item, world.period(3))
            services.report_submit(acting_user=world.reporter, report=report)

    fill(2)
    inbox_url = reverse("progress:inbox") + f"?plan={world.plan.pk}&period={world.period(3).pk}"
    as_user(client, world.reporter)
    client.get(inbox_url)
    with django_assert_max_num_queries(40) as small_inbox:
        client.get(inbox_url)
    inbox_queries = len(small_inbox.captured_queries)  # read now: the next request clears the log
    client.logout()
    as_user(client, world.reviewer)
    client.get(reverse("progress:queue"))
    with django_assert_max_num_queries(40) as small_queue:
        client.get(reverse("progress:queue"))
    queue_queries = len(small_queue.captured_queries)
    fill(12)
    client.get(reverse("progress:queue"))  # the new cards are rendered once, then read from the cache
    with django_assert_max_num_queries(queue_queries):
        page = client.get(reverse("progress:queue"))
    assert page.content.decode().count('name="action" value="approve"') == 14
    client.logout()
    as_user(client, world.reporter)
    client.get(inbox_url)  # the unit's reports changed: rendered once, then read from the cache
    with django_assert_max_num_queries(inbox_queries):
        client.get(inbox_url)


def test_office_closes_a_period_from_the_page(client: Any, world: World) -> None:
    from minsheng.progress.models import PeriodSnapshot

    approved_report(world, world.item, world.period(3), value="5")
    close = reverse("progress:period_close", args=[world.plan.pk, world.period(3).pk])
    assert as_user(client, world.reviewer).post(close).status_code == 403
    client.logout()
    as_user(client, world.office)
    page = client.get(reverse("progress:inbox") + f"?plan={world.plan.pk}&period={world.period(3).pk}")
    assert close in page.content.decode()
    client.post(close)
    assert PeriodSnapshot.objects.filter(period=world.period(3)).count() == 1
    generate = reverse("progress:periods_generate", args=[world.plan.pk])
    assert client.post(generate).status_code == 302
    client.logout()
    assert as_user(client, world.reporter).post(generate).status_code == 403


def test_office_sets_thresholds_and_a_monthly_plan(client: Any, world: World) -> None:
    url = reverse("progress:settings", args=[world.plan.pk])
    assert as_user(client, world.reviewer).get(url).status_code == 403
    client.logout()
    as_user(client, world.office)
    data = {
        "cycle": "monthly",
        "deadline_day": 5,
        "lag_threshold": "10",
        "severe_threshold": "30",
        "approx_tolerance": "5",
    }
    assert client.post(url, data).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.reporting_settings.severe_threshold == 30
    bad = client.post(url, {**data, "severe_threshold": "5"})
    assert bad.status_code == 200 and "cannot be below" in bad.content.decode()
    target = world.item.targets.get()
    plan = "0,0,10,20,30,50,60,70,80,90,95,100"
    client.post(url, {"form": "schedule", "target": target.pk, "monthly": plan})
    assert target.schedule.monthly[2] == 10
    client.post(url, {"form": "schedule", "target": target.pk, "monthly": "10,5"})
    target.schedule.refresh_from_db()
    assert len(target.schedule.monthly) == 12  # a bad plan changes nothing


def test_every_page_renders_in_the_default_language(client: Any, world: World) -> None:
    approved_report(world, world.item, world.period(2), value="4")
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    period = world.period(3)
    pages = {
        world.reporter: [
            reverse("progress:inbox"),
            report_url(world),
            reverse("progress:timeline", args=[world.item.pk]),
            reverse("progress:extensions", args=[world.plan.pk]),
            reverse("progress:sheet_upload", args=[world.plan.pk, period.pk]),
        ],
        world.office: [
            reverse("progress:queue"),
            reverse("progress:overdue", args=[world.plan.pk]),
            reverse("progress:settings", args=[world.plan.pk]),
            reverse("progress:timeline", args=[world.item.pk]),
            reverse("progress:inbox") + f"?plan={world.plan.pk}",
        ],
    }
    for user, urls in pages.items():
        assert client.login(username=user.username, password=PASSWORD)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 200, url
            assert 'lang="zh-hans"' in response.content.decode()
        client.logout()


def test_decide_never_redirects_off_site(client: Any, world: World) -> None:
    report = filled_report(world, world.item, world.period(3), value="9")
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    as_user(client, world.reviewer)
    response = client.post(
        reverse("progress:decide", args=[report.pk]),
        {"action": "approve", "version": report.version, "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:queue")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
