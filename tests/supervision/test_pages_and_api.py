"""督办 pages (issue form, notice, reply and decision forms, open list, item partial) and the notices API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from minsheng.progress.services import report_approve, report_save, report_submit
from minsheng.supervision import services
from minsheng.supervision.models import SupervisionNotice
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deadline() -> str:
    return (timezone.localdate() + dt.timedelta(days=5)).isoformat()


def issued(world: World) -> SupervisionNotice:
    return services.notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="进度滞后",
        measures="加快施工",
        reply_deadline=timezone.localdate(),
    )


def test_issue_form_reply_and_close_through_the_pages(world: World) -> None:
    reviewer = signed_in(world.reviewer)
    url = f"/supervision/items/{world.item.pk}/new/"
    page = reviewer.get(url)
    assert page.status_code == 200 and world.lead.name in page.content.decode()
    response = reviewer.post(
        url,
        {"unit": world.lead.pk, "reason": "进度滞后", "measures": "加快施工", "reply_deadline": deadline()},
    )
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/{notice.pk}/"

    reporter = signed_in(world.reporter)
    detail = reporter.get(f"/supervision/{notice.pk}/")
    assert detail.status_code == 200 and f"/supervision/{notice.pk}/reply/" in detail.content.decode()
    assert reporter.post(f"/supervision/{notice.pk}/reply/", {"text": ""}).status_code == 400
    assert reporter.post(f"/supervision/{notice.pk}/reply/", {"text": "已加派人手"}).status_code == 302
    assert reporter.post(f"/supervision/{notice.pk}/close/", {}).status_code == 403
    assert reviewer.post(f"/supervision/{notice.pk}/close/", {"comment": "同意销号"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == "closed"
    assert "同意销号" in reviewer.get(f"/supervision/{notice.pk}/").content.decode()


def test_issue_form_refuses_an_item_on_schedule(world: World) -> None:
    report = filled_report(world, world.item, world.period(12), value="20")
    report = report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(12),
        milestone_states={m.pk: "done" for m in world.item.milestones.all()},
    )
    report_submit(acting_user=world.reporter, report=report)
    report_approve(acting_user=world.reviewer, report=report)
    reviewer = signed_in(world.reviewer)
    response = reviewer.post(
        f"/supervision/items/{world.item.pk}/new/",
        {"unit": world.lead.pk, "reason": "x", "measures": "y", "reply_deadline": deadline()},
    )
    assert response.status_code == 200
    assert not SupervisionNotice.objects.exists()


def test_page_access(world: World, client: Client) -> None:
    notice = issued(world)
    assert client.get("/supervision/").status_code == 302
    assert signed_in(world.deputy).get("/supervision/").status_code == 200  # deputies read, read-only
    assert signed_in(world.reporter).get(f"/supervision/items/{world.item.pk}/new/").status_code == 403
    assert signed_in(world.other_reporter).get(f"/supervision/{notice.pk}/").status_code == 404
    assert (
        signed_in(world.other_reporter).post(f"/supervision/{notice.pk}/reply/", {"text": "x"}).status_code
        == 404
    )
    listing = signed_in(world.leader).get("/supervision/")
    assert listing.status_code == 200 and f"/supervision/{notice.pk}/" in listing.content.decode()
    assert (
        f"/supervision/{notice.pk}/"
        not in signed_in(world.other_reporter).get("/supervision/").content.decode()
    )


def test_item_timeline_partial(world: World) -> None:
    notice = issued(world)
    services.notice_reply(acting_user=world.reporter, notice=notice, text="已整改完毕")
    template = Template("{% load supervision %}{% item_notices item %}")
    html = template.render(Context({"item": world.item, "user": world.reviewer}))
    assert "已整改完毕" in html and f"/supervision/{notice.pk}/" in html
    assert f"/supervision/items/{world.item.pk}/new/" in html
    reporter_html = template.render(Context({"item": world.item, "user": world.reporter}))
    assert f"/supervision/items/{world.item.pk}/new/" not in reporter_html


def test_notices_through_the_api(world: World) -> None:
    reviewer, reporter = Client(), Client()
    for client, user in ((reviewer, world.reviewer), (reporter, world.reporter)):
        client.force_login(user)

    body = {"item": world.item.pk, "reason": "进度滞后", "measures": "加快施工", "reply_deadline": deadline()}
    assert reporter.post("/api/notices/", body, content_type="application/json").status_code == 403
    created = reviewer.post("/api/notices/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    notice = created.json()
    assert (notice["status"], notice["unit_name"]) == ("issued", world.lead.name)
    path = f"/api/notices/{notice['id']}"
    assert reviewer.post(f"{path}/close/", {}, content_type="application/json").status_code == 409
    replied = reporter.post(f"{path}/reply/", {"text": "已整改"}, content_type="application/json")
    assert replied.json()["replies"][0]["text"] == "已整改"
    assert reviewer.post(f"{path}/return/", {}, content_type="application/json").status_code == 400
    returned = reviewer.post(f"{path}/return/", {"comment": "补充照片"}, content_type="application/json")
    assert returned.json()["status"] == "returned"


def test_notices_show_on_the_item_timeline(world: World) -> None:
    notice = issued(world)
    services.notice_reply(acting_user=world.reporter, notice=notice, text="已增加施工班组")
    for user in (world.reviewer, world.reporter):
        page = signed_in(user).get(f"/progress/items/{world.item.pk}/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "进度滞后" in html and "已增加施工班组" in html and f"/supervision/{notice.pk}/" in html
