"""The rating's pages: the office prepares, opens and closes; deputies rate on a form; the public plan page
links to the results; the lead unit reports its rectification and the office accepts it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minsheng.participation.ratings import services
from minsheng.participation.ratings.choices import EventStatus, TaskStatus
from minsheng.participation.ratings.models import Rating, RatingEvent, RectificationTask
from participation.ratings.conftest import make_rated
from progress.factories import build_world, jpeg_with_gps

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)


def test_office_prepares_and_opens_a_rating_on_the_page(client, district):
    world = build_world(district)
    login(client, world.office)
    assert world.plan.title in client.get(reverse("ratings:index")).content.decode()
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        reverse("ratings:event_new", args=[world.plan.pk]),
        {"opens_at": now.strftime(fmt), "closes_at": now.strftime(fmt), "threshold": "80"},
    )
    assert response.status_code == 400 and not RatingEvent.objects.exists()
    response = client.post(
        reverse("ratings:event_new", args=[world.plan.pk]),
        {
            "opens_at": (now - dt.timedelta(hours=1)).strftime(fmt),
            "closes_at": (now + dt.timedelta(days=5)).strftime(fmt),
            "threshold": "85",
        },
    )
    event = RatingEvent.objects.get()
    assert response.status_code == 302 and event.threshold == 85
    edit = reverse("ratings:event_edit", args=[event.pk])
    page = client.get(edit).content.decode()
    assert 'value="85.00"' in page and timezone.localtime(event.opens_at).strftime(fmt) in page
    rules = {
        "opens_at": timezone.localtime(event.opens_at).strftime(fmt),
        "closes_at": timezone.localtime(event.closes_at).strftime(fmt),
        "threshold": "82.5",
    }
    assert client.post(edit, rules).status_code == 302
    event.refresh_from_db()
    assert event.threshold == Decimal("82.50")
    client.post(reverse("ratings:event_open", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    response = client.post(edit, {**rules, "threshold": "60"})
    assert response.status_code == 400 and "开始后规则不能修改" in response.content.decode()
    event.refresh_from_db()
    assert event.threshold == Decimal("82.50")


def test_a_deputy_rates_on_the_form_once(client, rated):
    deputy, event = rated.deputies[0], rated.event
    login(client, deputy)
    page = client.get(reverse("ratings:event_detail", args=[event.pk])).content.decode()
    assert "基本满意" in page and rated.projects[2].name in page
    marks = {f"p{rated.projects[0].pk}": "satisfied", f"p{rated.projects[1].pk}": "basic"}
    assert client.post(reverse("ratings:rate", args=[event.pk]), marks).status_code == 302
    assert Rating.objects.filter(deputy=deputy).count() == 2
    # The form now offers only the project left; sending an old one again is refused with a message.
    page = client.get(reverse("ratings:event_detail", args=[event.pk])).content.decode()
    assert f'name="p{rated.projects[0].pk}"' not in page and f'name="p{rated.projects[2].pk}"' in page
    response = client.post(
        reverse("ratings:rate", args=[event.pk]), {f"p{rated.projects[0].pk}": "unsatisfied"}
    )
    assert Rating.objects.filter(deputy=deputy).count() == 2
    assert response.status_code in (302, 400)


def test_the_public_plan_page_links_to_the_results_once_closed(client, rated):
    portal = reverse("portal:plan", args=[rated.world.plan.pk])
    results = reverse("ratings:results", args=[rated.world.plan.pk])
    assert results not in client.get(portal).content.decode()
    assert client.get(results).status_code == 404
    for deputy in rated.deputies[:3]:
        services.rating_cast(
            acting_user=deputy,
            event=rated.event,
            marks={rated.projects[0].pk: "satisfied", rated.projects[1].pk: "unsatisfied"},
        )
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    page = client.get(portal).content.decode()
    link = re.search(rf'<a href="{re.escape(results)}">([^<]*)</a>', page)
    assert link is not None and "满意度" in link.group(1)
    table = client.get(results).content.decode()
    assert "100.00" in table and "0.00" in table and "不满意项目：整改中" in table


def test_a_deputy_of_another_district_sees_nothing(client, rated):
    services.rating_cast(
        acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[0].pk: "unsatisfied"}
    )
    login(client, rated.stranger)
    assert client.get(reverse("ratings:event_detail", args=[rated.event.pk])).status_code == 404
    response = client.post(
        reverse("ratings:rate", args=[rated.event.pk]), {f"p{rated.projects[0].pk}": "satisfied"}
    )
    assert response.status_code == 404
    assert rated.world.plan.title not in client.get(reverse("ratings:index")).content.decode()
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    task = RectificationTask.objects.get()
    assert client.get(reverse("ratings:task_detail", args=[task.pk])).status_code == 404
    assert Rating.objects.filter(deputy=rated.stranger).count() == 0


def test_rectification_through_the_pages(client, rated):
    services.rating_cast(
        acting_user=rated.deputies[0], event=rated.event, marks={rated.projects[0].pk: "unsatisfied"}
    )
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    task = RectificationTask.objects.get()
    login(client, rated.world.reporter)
    assert rated.projects[0].name in client.get(reverse("ratings:task_list")).content.decode()
    photo = SimpleUploadedFile("fixed.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        reverse("ratings:task_report", args=[task.pk]), {"text": "管网已补齐", "files": [photo]}
    )
    assert response.status_code == 302
    report = task.reports.get()
    evidence = report.evidence.get()
    assert client.get(reverse("ratings:evidence", args=[evidence.pk, "thumb"])).status_code == 200
    assert client.get(reverse("ratings:evidence", args=[evidence.pk, "original"])).status_code == 403
    login(client, rated.world.office)
    response = client.post(
        reverse("ratings:report_decide", args=[report.pk]), {"action": "accept", "comment": "同意销号"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


@pytest.fixture
def rated(district):
    return make_rated(district, deputies=3)
