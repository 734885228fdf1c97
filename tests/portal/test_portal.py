"""The public portal: no sign-in, published plans only, approved values only, no personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dashboard.scenario import approve, build
from minsheng.plans.services import plan_publish
from progress.factories import jpeg_with_gps


@pytest.fixture
def scenario(district: Any):
    return build(district)


def test_home_lists_the_published_plan_and_its_projects_without_sign_in(client, scenario):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert scenario.plan.title in html
    assert "测试项目1" in html and "测试项目2" in html
    assert "echarts" not in html  # no chart library on pages that do not chart
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]


def test_draft_plans_stay_hidden(client, district):
    draft = build(district, publish=False, title="草稿清单")
    assert draft.plan.title not in client.get("/").content.decode()
    assert client.get(reverse("portal:plan", args=[draft.plan.pk])).status_code == 404
    item = draft.items()[0]
    assert client.get(reverse("portal:item", args=[item.pk])).status_code == 404


def test_item_page_shows_approved_values_only(client, scenario):
    first, second = scenario.items()[:2]
    approve(scenario, first, 3, "0.5", photo=jpeg_with_gps())
    # A submitted report that is not approved yet must not reach the public.
    from minsheng.progress import services

    reporter = scenario.reporter_for(second)
    draft = services.report_save(
        acting_user=reporter,
        item=second,
        period=scenario.period(3),
        target_values={t.pk: "7777" for t in second.targets.all()},
        milestone_states={m.pk: "in_progress" for m in second.milestones.all()},
        progress="未审核的内容",
    )
    services.report_submit(acting_user=reporter, report=draft, confirmed=True)  # 7777: beyond the target

    html = client.get(reverse("portal:item", args=[first.pk])).content.decode()
    # Item 1 promises 11 个 and ≥1100 人; half of each was approved.
    assert "5.5 个" in html and "550 人" in html and "≥1100 人" in html
    assert "3月完成计划的50%" in html  # timeline
    assert reporter.username not in html and scenario.reviewer.username not in html  # no people
    assert 'alt="施工现场' in html
    other = client.get(reverse("portal:item", args=[second.pk])).content.decode()
    assert "7777" not in other and "未审核的内容" not in other


def test_public_photo_is_the_copy_without_gps(client, scenario):
    item = scenario.items()[0]
    report = approve(scenario, item, 3, "0.5", photo=jpeg_with_gps())
    evidence = report.evidence.get()
    response = client.get(reverse("portal:photo", args=[evidence.pk, "full"]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert b"PhoneCam" not in data and data != evidence.original.open("rb").read()
    assert client.get(reverse("portal:photo", args=[evidence.pk, "original"])).status_code == 404


def test_earlier_years_are_listed_with_final_results(client, district, scenario):
    from factories import parsed_plan
    from minsheng.interchange.services import plan_import

    old = plan_import(
        acting_user=None, parsed=parsed_plan(1, 1, year=2023), region=district, year=2023, source_name="old"
    ).plan
    plan_publish(acting_user=None, plan=old)
    html = client.get("/").content.decode()
    assert reverse("portal:plan", args=[old.pk]) in html
    page = client.get(reverse("portal:plan", args=[old.pk])).content.decode()
    assert "2023-12-31" in page


def test_unchanged_page_answers_not_modified(client, scenario):
    first = client.get("/")
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    approve(scenario, scenario.items()[0], 3, "0.5")
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_portal_queries_do_not_grow_with_the_plan(client, district, django_assert_max_num_queries):
    small = build(district, projects=1, items=1)
    approve(small, small.items()[0], 3, "0.4")
    small_home = _queries(client, "/")
    small_item = _queries(client, reverse("portal:item", args=[small.items()[0].pk]))
    small.plan.status = "draft"
    small.plan.save()
    big = build(district, projects=6, items=5, title="大清单")
    for item in big.items()[:6]:
        approve(big, item, 3, "0.4")
    with django_assert_max_num_queries(small_home):
        client.get("/")
    url = reverse("portal:item", args=[big.items()[0].pk])
    with django_assert_max_num_queries(small_item):
        client.get(url)


def test_chinese_by_default_english_on_request(client, scenario):
    html = client.get("/").content.decode()
    assert 'lang="zh-hans"' in html and "截至" in html and "严重滞后" in html
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Livelihood projects 2024" in english


@pytest.mark.parametrize(
    "fmt, kind",
    [("docx", "wordprocessingml"), ("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("open-json", "json")],
)
def test_published_plan_downloads(client, scenario, fmt, kind):
    response = client.get(reverse("portal:download", args=[scenario.plan.pk, fmt]))
    assert response.status_code == 200 and kind in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]


def test_draft_plan_cannot_be_downloaded(client, district):
    draft = build(district, publish=False, title="草稿清单")
    assert client.get(reverse("portal:download", args=[draft.plan.pk, "csv"])).status_code == 404


def test_publish_command_puts_a_plan_on_the_portal(client, district):
    from django.core.management import call_command

    draft = build(district, publish=False, title="待发布清单")
    assert "待发布清单" not in client.get("/").content.decode()
    call_command("publish", str(draft.plan.pk))
    assert "待发布清单" in client.get("/").content.decode()
