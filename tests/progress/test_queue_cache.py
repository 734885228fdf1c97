"""The review queue's cards are rendered once and shared (issue 11): what a card shows must follow every
change of the report, of the item's earlier approvals, of its photos (copies, checks) and of its values per
site (and their sites' names) — the last ones through the report's change time, with no new version."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import UserFactory
from minsheng.progress import services
from minsheng.progress.choices import EvidenceState
from minsheng.progress.models import Evidence, Period, ProgressReport
from minsheng.progress.views import review
from progress.factories import World, filled_report, jpeg_with_gps

pytestmark = pytest.mark.django_db

DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def queue(user: Any, query: str = "") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse("progress:queue") + query)
    assert response.status_code == 200
    return response.content.decode()


def card(page: str, report: Any) -> str:
    """The card of `report` on the page (its <li>, form included)."""
    found = re.search(rf'<li class="card" id="report-{report.pk}">(.*?)</form>', page, re.S)
    assert found is not None, f"no card for report {report.pk}"
    return found.group(1)


def submitted(world: World, month: int, value: str = "8", item: Any = None, **extra: Any) -> Any:
    report = filled_report(world, item or world.item, world.period(month), value, **extra)
    return services.report_submit(acting_user=world.reporter, report=report)


def test_a_returned_report_edited_and_resubmitted_shows_its_new_content(world: World) -> None:
    report = submitted(world, 3, "8", problems="第一次填报的问题")
    assert "第一次填报的问题" in card(queue(world.reviewer), report)
    services.report_return(acting_user=world.reviewer, report=report, comment="请补充")
    filled_report(world, world.item, world.period(3), "9", problems="补充后的问题")
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    shown = card(queue(world.reviewer), report)
    assert "补充后的问题" in shown and "第一次填报的问题" not in shown
    assert "<td>9</td>" in shown
    report.refresh_from_db()
    assert f'name="version" value="{report.version}"' in shown


def test_approving_an_earlier_period_fills_the_last_approved_column(world: World) -> None:
    earlier = submitted(world, 2, "4")
    later = submitted(world, 3, "9")
    assert "<td>—</td><td>9</td>" in card(queue(world.reviewer), later)
    services.report_approve(acting_user=world.reviewer, report=earlier)
    page = queue(world.reviewer)
    assert "<td>4</td><td>9</td>" in card(page, later)
    assert f'id="report-{earlier.pk}"' not in page


def test_a_photo_whose_copies_finish_after_the_card_was_shown_shows_its_thumbnail(
    world: World, settings: Any
) -> None:
    settings.TASKS = DEFERRED
    report = filled_report(world, world.item, world.period(3))
    upload = services.evidence_add(
        acting_user=world.reporter,
        report=report,
        upload=SimpleUploadedFile("现场.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    assert "being prepared" in card(queue(world.reviewer), report)
    services.evidence_copies_make(evidence_id=upload.pk)  # the task runner's work: no new report version
    assert Evidence.objects.get(pk=upload.pk).state == EvidenceState.READY
    shown = card(queue(world.reviewer), report)
    assert "being prepared" not in shown
    assert reverse("progress:evidence", args=[upload.pk, "thumb"]) in shown


def per_site_submitted(district: Any, values: list[str]) -> tuple[World, list[Any], Any, ProgressReport]:
    """The per-site world's report for month 3 with `values` at its sites, in order, submitted."""
    from minsheng.sites.services import site_values_save
    from sites.helpers import per_site_world

    world, sites = per_site_world(district)
    target = world.item.targets.get()
    report = services.report_save(
        acting_user=world.reporter, item=world.item, period=world.period(3), progress="进展"
    )
    site_values_save(
        acting_user=world.reporter,
        report=report,
        values={(site.pk, target.pk): value for site, value in zip(sites, values, strict=False)},
    )
    report = ProgressReport.objects.get(pk=report.pk)
    return world, sites, target, services.report_submit(acting_user=world.reporter, report=report)


def test_values_moved_between_sites_without_a_new_version_show_on_the_card(
    client: Any, district: Any
) -> None:
    from minsheng.sites.services import site_values_save

    world, sites, target, report = per_site_submitted(district, ["5", "3"])
    assert "小区1: 改造老旧小区管网20公里 <strong>5</strong>" in card(queue(world.reviewer), report)
    version = ProgressReport.objects.get(pk=report.pk).version
    site_values_save(
        acting_user=world.reporter,
        report=report,
        values={(sites[0].pk, target.pk): "3", (sites[1].pk, target.pk): "5"},
    )
    assert ProgressReport.objects.get(pk=report.pk).version == version  # the sums did not change
    shown = card(queue(world.reviewer), report)
    assert "小区1: 改造老旧小区管网20公里 <strong>3</strong>" in shown


def test_cards_are_shared_but_each_reader_gets_their_own_form_token(world: World) -> None:
    report = submitted(world, 3)
    office = world.office
    first = Client(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(world.reviewer)
    first_page = first.get(reverse("progress:queue")).content.decode()
    second = Client(HTTP_ACCEPT_LANGUAGE="en")
    second.force_login(office)
    with CaptureQueriesContext(connection) as shared:
        second_page = second.get(reverse("progress:queue")).content.decode()
    # The office reads the card the reviewer's request rendered: no report contents are loaded again.
    assert not any("progress_targetvalue" in q["sql"] for q in shared.captured_queries)
    assert card(first_page, report).split("<form")[0] == card(second_page, report).split("<form")[0]
    # The token is the request's own: a decision posted with it (and the reader's cookie) passes.
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    strict.force_login(world.reviewer)
    page = strict.get(reverse("progress:queue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    report.refresh_from_db()
    response = strict.post(
        reverse("progress:decide", args=[report.pk]),
        {"csrfmiddlewaretoken": token.group(1), "action": "approve", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"


def test_a_long_queue_comes_in_pages_oldest_first_with_each_plans_total(
    world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(review, "PER_PAGE", 2)
    items = [world.item, world.add_item(), world.add_item()]
    reports = [submitted(world, 3, item=item) for item in items]
    first = queue(world.reviewer)
    assert [f'id="report-{r.pk}"' in first for r in reports] == [True, True, False]
    assert "3 reports" in first and "Page 1 of 2" in first and "?page=2" in first
    second = queue(world.reviewer, "?page=2")
    assert [f'id="report-{r.pk}"' in second for r in reports] == [False, False, True]
    assert "3 reports" in second and "Page 2 of 2" in second
    assert "Page 2 of 2" in queue(world.reviewer, "?page=99")  # past the end: the last page


def test_the_queue_reads_the_same_number_of_queries_for_one_plan_or_many(
    world: World, district: Any, django_assert_max_num_queries: Any
) -> None:
    from factories import PlanFactory, ProjectFactory

    office = UserFactory(role="office", region=district.parent)
    submitted(world, 3)
    queue(office)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(office)
    client.get(reverse("progress:queue"))
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("progress:queue"))
    queries = len(one.captured_queries)  # read now: the next request clears the log
    for n in range(4):
        plan = PlanFactory(region=district, year=2024, status="published", title=f"第{n}份清单")
        project = ProjectFactory(plan=plan, no=1, name="项目")
        other = world.add_item()
        other.project = project
        other.save()
        services.periods_generate(acting_user=world.office, plan=plan)
        period = Period.objects.filter(plan=plan).order_by("start")[2]
        report = filled_report(world, other, period)
        services.report_submit(acting_user=world.reporter, report=report)
    client.get(reverse("progress:queue"))
    with django_assert_max_num_queries(queries):
        page = client.get(reverse("progress:queue")).content.decode()
    assert page.count('name="action" value="approve"') == 5


def test_rendering_the_cards_costs_the_same_queries_for_two_reports_or_fourteen(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from minsheng.core.changes import changes_bump

    def fill(n: int) -> None:
        for _ in range(n):
            submitted(world, 3, item=world.add_item(targets=2, milestones=1))

    fill(2)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.reviewer)
    client.get(reverse("progress:queue"))
    changes_bump()  # every card is out of date: the page renders them all again
    with django_assert_max_num_queries(60) as small:
        client.get(reverse("progress:queue"))
    queries = len(small.captured_queries)
    fill(12)
    changes_bump()
    with django_assert_max_num_queries(queries):
        page = client.get(reverse("progress:queue")).content.decode()
    assert page.count('name="action" value="approve"') == 14


# What a card shows without a new version follows the report's change time (`services.reports_touch`).


def _superuser() -> Any:
    """Django admin's sites pages are a superuser's (the system administrator has no sites rights)."""
    from minsheng.accounts.services import user_upsert

    user = user_upsert(
        acting_user=None, username="wang.sys", role="system_admin", password="Lanterns-9-river"
    )
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def _updated_at(report: Any) -> Any:
    return ProgressReport.objects.values_list("updated_at", "version").get(pk=report.pk)


def test_a_photo_whose_copies_fail_after_the_card_was_shown_shows_the_error(
    world: World, settings: Any
) -> None:
    settings.TASKS = DEFERRED
    report = filled_report(world, world.item, world.period(3))
    good = jpeg_with_gps((400, 300))
    upload = services.evidence_add(
        acting_user=world.reporter,
        report=report,
        upload=SimpleUploadedFile("半张.jpg", good[: len(good) // 2], content_type="image/jpeg"),
    )
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    assert "being prepared" in card(queue(world.reviewer), report)
    _stamp, version = _updated_at(report)
    services.evidence_copies_make(evidence_id=upload.pk)  # the task runner: it fails, no new version
    assert Evidence.objects.get(pk=upload.pk).state == EvidenceState.FAILED
    assert _updated_at(report)[1] == version
    shown = card(queue(world.reviewer), report)
    assert "being prepared" not in shown and "damaged" in shown


def test_a_failed_photo_sent_again_touches_its_report(world: World, settings: Any) -> None:
    settings.TASKS = DEFERRED
    report = filled_report(world, world.item, world.period(3))
    data = jpeg_with_gps()

    def send() -> Evidence:
        return services.evidence_add(
            acting_user=world.reporter,
            report=report,
            upload=SimpleUploadedFile("现场.jpg", data, content_type="image/jpeg"),
        )

    evidence = send()
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.FAILED, error="OSError: store down")
    before = _updated_at(report)
    assert send().state == EvidenceState.PROCESSING  # retried: the same row, no new version
    after = _updated_at(report)
    assert after[1] == before[1] and after[0] > before[0]


def test_a_photo_check_stored_or_removed_without_a_new_version_shows_on_the_card(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from minsheng.sites.models import PhotoCheck
    from minsheng.sites.photos import photo_check_store
    from sites.helpers import photo

    report = filled_report(world, world.item, world.period(3))
    evidence = services.evidence_add(
        acting_user=world.reporter,
        report=report,
        upload=SimpleUploadedFile("现场.jpg", photo(seed=3), content_type="image/jpeg"),
    )
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    assert "taken before the period" not in card(queue(world.reviewer), report)  # no EXIF: nothing to say
    _stamp, version = _updated_at(report)
    # The photo checked again (its capture time read late): the check, not the report, changes.
    PhotoCheck.objects.filter(evidence=evidence).delete()
    taken = dt.datetime(2023, 11, 2, 10, 0, tzinfo=timezone.get_default_timezone())
    check = photo_check_store(evidence, taken_at=taken, point=None, digest=None)
    assert _updated_at(report)[1] == version
    assert "taken before the period" in card(queue(world.reviewer), report)
    # A superuser removes the check in Django admin.
    client = Client()
    client.force_login(_superuser())
    response = client.post(reverse("admin:sites_photocheck_delete", args=[check.pk]), {"post": "yes"})
    assert response.status_code == 302 and not PhotoCheck.objects.filter(pk=check.pk).exists()
    assert "taken before the period" not in card(queue(world.reviewer), report)


def test_a_site_renamed_or_removed_touches_the_reports_whose_values_name_it(district: Any) -> None:
    from minsheng.sites.models import Site
    from minsheng.sites.services import SiteInput, site_delete, site_save

    world, sites, _target, report = per_site_submitted(district, ["2", "3", "4"])
    assert "小区1: 改造老旧小区管网20公里 <strong>2</strong>" in card(queue(world.reviewer), report)
    other = ProgressReport.objects.create(item=world.item, period=world.period(4), unit=world.lead)

    def touched(change: Any) -> bool:
        before, untouched = _updated_at(report), _updated_at(other)
        change()
        after = _updated_at(report)
        return after[1] == before[1] and after[0] > before[0] and _updated_at(other) == untouched

    renamed = SiteInput("东区", None, "", None, None)
    assert touched(lambda: site_save(acting_user=world.office, item=world.item, data=renamed, site=sites[0]))
    shown = card(queue(world.reviewer), report)
    assert "东区: 改造老旧小区管网20公里 <strong>2</strong>" in shown and "小区1" not in shown
    assert touched(lambda: site_delete(acting_user=world.office, site=sites[1]))
    assert "小区2" not in card(queue(world.reviewer), report)
    client = Client()
    client.force_login(_superuser())
    url = reverse("admin:sites_site_delete", args=[sites[2].pk])
    assert touched(lambda: client.post(url, {"post": "yes"}))
    assert not Site.objects.filter(pk=sites[2].pk).exists()
    assert "小区3" not in card(queue(world.reviewer), report)


def test_a_kept_queue_page_reads_no_photo_nor_value_per_site(world: World) -> None:
    """A page kept in the cache names its cards from the page's one query of reports (their version and
    change time): neither the photos nor the values per site are read for it (they were, two queries)."""
    report = submitted(world, 3)
    services.evidence_add(
        acting_user=world.reporter,
        report=services.report_return(acting_user=world.reviewer, report=report, comment="补照片"),
        upload=SimpleUploadedFile("现场.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    report.refresh_from_db()
    services.report_submit(acting_user=world.reporter, report=report)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.reviewer)
    client.get(reverse("progress:queue"))
    with CaptureQueriesContext(connection) as kept:
        page = client.get(reverse("progress:queue")).content.decode()
    assert f'id="report-{report.pk}"' in page
    tables = " ".join(q["sql"] for q in kept.captured_queries)
    for table in ("progress_evidence", "sites_sitevalue", "sites_photocheck", "progress_targetvalue"):
        assert table not in tables, table
    assert tables.count('FROM "progress_progressreport"') == 1
    # The session, the user (with roles, regions and what the navigation asks), the page's reports, the
    # cache: 4 (7 with the photos' and values' marks and the region tree asked apart).
    assert len(kept.captured_queries) <= 4, [q["sql"][:120] for q in kept.captured_queries]


def test_a_kept_page_lives_no_longer_than_its_days_waiting(world: World) -> None:
    """The page is kept under the queue's mark; the days waiting grow without any write, so the entry
    expires when the first card's figure turns."""
    import datetime as dt

    from django.utils import timezone

    report = submitted(world, 3)
    almost = timezone.now() - dt.timedelta(days=2) + dt.timedelta(seconds=20)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=almost)
    assert "(1 day waiting)" in card(queue(world.reviewer), report)
    groups, _number, _pages = review.selectors.queue_page(world.reviewer, 1, review.PER_PAGE)
    assert 15 <= review._until_a_day_turns(groups, timezone.now()) <= 20
    assert review._until_a_day_turns(groups, timezone.now() - dt.timedelta(hours=1)) == review.CARD_TTL


def test_a_report_submitted_or_decided_changes_the_kept_page_at_once(world: World) -> None:
    first = submitted(world, 3)
    assert f'id="report-{first.pk}"' in queue(world.reviewer)
    second = submitted(world, 4)
    page = queue(world.reviewer)
    assert f'id="report-{first.pk}"' in page and f'id="report-{second.pk}"' in page
    services.report_approve(acting_user=world.reviewer, report=first)
    page = queue(world.reviewer)
    assert f'id="report-{first.pk}"' not in page and f'id="report-{second.pk}"' in page
