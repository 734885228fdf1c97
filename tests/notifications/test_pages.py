"""The notifications page, the unread count in the navigation, and the notifications API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from minsheng.notifications.models import Notification
from minsheng.notifications.services import notify
from progress.factories import World

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_unread_count_list_and_open(world: World) -> None:
    notify(users=[world.reporter], kind="due", text="1月进度请于25日前报送", link="/plans/", email=False)
    notify(users=[world.reporter], kind="notice", text="督办通知", link="https://evil.example/", email=False)
    notify(users=[world.reviewer], kind="notice", text="别人的通知", email=False)
    client = signed_in(world.reporter)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1月进度请于25日前报送" in html and "别人的通知" not in html
    assert '<span class="badge">2<' in html

    first, second = Notification.objects.filter(user=world.reporter).order_by("pk")
    opened = client.post(f"/notifications/{first.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == "/plans/"
    # A link off the site is not followed.
    assert client.post(f"/notifications/{second.pk}/open/")["Location"] == "/notifications/"
    assert Notification.objects.filter(user=world.reporter, read_at__isnull=True).count() == 0
    assert '<span class="badge">' not in client.get("/notifications/").content.decode()

    other = Notification.objects.get(user=world.reviewer)
    assert client.post(f"/notifications/{other.pk}/open/").status_code == 404
    assert client.get(f"/notifications/{first.pk}/open/").status_code == 405


def test_mark_all_read_and_idempotent_keys(world: World) -> None:
    for _ in range(2):
        notify(users=[world.reporter], kind="due", text="提醒", key="remind:1:due", email=False)
    notify(users=[world.reporter], kind="other", text="另一条", email=False)
    assert Notification.objects.filter(user=world.reporter).count() == 2
    client = signed_in(world.reporter)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_notifications_api(world: World) -> None:
    notify(users=[world.reporter], kind="due", text="提醒", email=False)
    notify(users=[world.reviewer], kind="due", text="别人的", email=False)
    client = signed_in(world.reporter)
    listed = client.get("/api/notifications/").json()["results"]
    assert [n["text"] for n in listed] == ["提醒"]
    read = client.post(f"/api/notifications/{listed[0]['id']}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    other = Notification.objects.get(user=world.reviewer)
    assert client.post(f"/api/notifications/{other.pk}/read/").status_code == 404


def test_the_badge_comes_with_the_signed_in_user_and_asks_nothing_more(world: World) -> None:
    """The unread count is read in the user's own query (`accounts.backends.user_field_register`): no page
    counts notifications for the navigation, and each request sees the count as it is then."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify(users=[world.reviewer], kind="due", text="一", email=False)
    notify(users=[world.reviewer], kind="due", text="二", email=False)
    notify(users=[world.reporter], kind="due", text="别人的", email=False)
    client = signed_in(world.reviewer)
    client.get("/progress/review/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/progress/review/").content.decode()
    assert '<span class="badge">2<' in html
    counted = [q["sql"] for q in queries if '"notifications_notification"' in q["sql"]]
    assert len(counted) == 1 and counted[0].startswith('SELECT "accounts_user"."id"')  # the user's query
    Notification.objects.filter(user=world.reviewer).order_by("pk").first().delete()
    assert '<span class="badge">1<' in client.get("/progress/review/").content.decode()
    Notification.objects.filter(user=world.reviewer).update(read_at="2024-05-01T00:00:00Z")
    assert '<span class="badge">' not in client.get("/progress/review/").content.decode()
