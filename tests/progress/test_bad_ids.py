"""Wrong, stale or foreign ids on the reporting and review pages get a message or the product's 404 page,
never a debug page, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD
from progress.factories import World

pytestmark = pytest.mark.django_db


def _office(client: Any, world: World) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.office.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "query", ["?plan=abc", "?plan=999999", "?plan=1&period=abc", "?period=-1", "?plan=%00"]
)
def test_inbox_filters(client: Any, world: World, query: str) -> None:
    response = _office(client, world).get(reverse("progress:inbox") + query)
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("target", ["abc", "999999", "", "1.5"])
def test_schedule_form_with_a_bad_target(client: Any, world: World, target: str) -> None:
    url = reverse("progress:settings", args=[world.plan.pk])
    response = _office(client, world).post(url, {"form": "schedule", "target": target, "monthly": "1,2"})
    assert response.status_code in (302, 404)


def test_decisions_on_missing_reports_and_foreign_periods(client: Any, world: World) -> None:
    _office(client, world)
    assert client.post(reverse("progress:decide", args=[999999]), {"action": "approve"}).status_code == 404
    missing = reverse("progress:report", args=[world.item.pk, 999999])
    assert client.get(missing).status_code == 404
    bad_close = reverse("progress:period_close", args=[world.plan.pk, 999999])
    assert client.post(bad_close).status_code == 404
    assert client.post(reverse("progress:periods_close_due", args=[999999])).status_code == 404


@pytest.mark.parametrize("version", ["abc", "-3", "99999999999999999999"])
def test_decide_with_a_garbage_version_is_a_message(client: Any, world: World, version: str) -> None:
    from minsheng.progress import services
    from progress.factories import filled_report

    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.reviewer.username, password=PASSWORD)
    response = client.post(
        reverse("progress:decide", args=[report.pk]), {"action": "return", "version": version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"  # no comment: refused with a message, nothing changed


def test_bulletin_and_dashboard_filters(client: Any, world: World) -> None:
    _office(client, world)
    for url in (
        reverse("bulletins:index") + "?plan=abc",
        reverse("bulletins:index") + "?plan=999999",
        reverse("dashboard:overview") + "?plan=999999",
        reverse("dashboard:items") + "?plan=abc&project=x&unit=y&status=purple",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
    response = client.post(
        reverse("bulletins:index"), {"plan": world.plan.pk, "period": "999999", "scope": "decade"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
