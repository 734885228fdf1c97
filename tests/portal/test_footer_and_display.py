"""Portal: the region's 主办单位 footer (set by the office of that region), item pages dated by the latest
approved report (截至), and the large-font, high-contrast mode kept in a cookie without script."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dashboard.scenario import approve, build
from factories import RegionFactory, UserFactory
from minsheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(district: Any) -> Any:
    return build(district)


def test_footer_defaults_to_the_regions_government(client: Client, scenario: Any) -> None:
    html = client.get("/").content.decode()
    assert "主办单位：金坛区人民政府" in html


def test_the_office_sets_the_footer_and_every_page_shows_it(scenario: Any, district: Any) -> None:
    office = UserFactory(username="jt_office", role="office", region=district)
    anonymous = Client()
    anonymous.get("/")  # stored in the page cache with the default footer
    client = Client()
    client.force_login(office)
    url = reverse("orgs:region_portal", args=[district.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organiser": "金坛区人民政府办公室", "note": "苏ICP备00000000号"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="orgs.region", message="portal footer")
    assert event.before == {"portal_organiser": "", "portal_note": ""}
    assert event.after["portal_organiser"] == "金坛区人民政府办公室"
    item = scenario.items()[0]
    for path in (
        "/",
        reverse("portal:plan", args=[scenario.plan.pk]),
        reverse("portal:item", args=[item.pk]),
    ):
        html = anonymous.get(path).content.decode()
        assert "主办单位：金坛区人民政府办公室" in html and "苏ICP备00000000号" in html, path


def test_another_districts_office_cannot_set_it(scenario: Any, district: Any) -> None:
    liyang = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    other = UserFactory(username="ly_office", role="office", region=liyang)
    client = Client()
    client.force_login(other)
    url = reverse("orgs:region_portal", args=[district.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"organiser": "假冒单位", "note": ""}).status_code == 404
    district.refresh_from_db()
    assert district.portal_organiser == ""
    # Its own region works, and the list links only the regions it keeps.
    assert client.get(reverse("orgs:region_portal", args=[liyang.pk])).status_code == 200
    assert (
        reverse("orgs:region_portal", args=[district.pk])
        not in client.get(reverse("orgs:region_list")).content.decode()
    )


def test_too_long_a_name_is_a_form_error(scenario: Any, district: Any) -> None:
    office = UserFactory(username="jt_office", role="office", region=district)
    client = Client()
    client.force_login(office)
    response = client.post(reverse("orgs:region_portal", args=[district.pk]), {"organiser": "长" * 101})
    assert response.status_code == 200 and response.context["form"].errors["organiser"]
    district.refresh_from_db()
    assert district.portal_organiser == ""


def test_item_page_is_dated_by_the_latest_approved_report(client: Client, scenario: Any) -> None:
    item = scenario.items()[0]
    html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "尚无审核通过的填报" in html
    approve(scenario, item, 3, "0.5")
    html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    end = scenario.period(3).end
    assert f"截至 {end:%Y-%m-%d}（最近一次审核通过的填报）" in html
    for target in item.targets.all():
        if target.due_date != end:
            assert f"截至 {target.due_date:%Y-%m-%d}" not in html  # never the deadline


def test_large_text_mode_is_a_cookie_and_a_stylesheet(client: Client, scenario: Any) -> None:
    page = client.get("/").content.decode()
    assert reverse("portal:display_css") in page and "大字号" in page
    assert "<script" not in page.split("display-switch")[1].split("</nav>")[0]
    assert "125%" not in client.get(reverse("portal:display_css")).content.decode()
    switched = client.get(reverse("portal:display") + "?mode=large&next=/public/plans/1/")
    assert switched.status_code == 302 and switched["Location"] == "/public/plans/1/"
    assert client.cookies["minsheng_display"].value == "large"
    css = client.get(reverse("portal:display_css"))
    assert "font-size: 125%" in css.content.decode() and css["Content-Type"].startswith("text/css")
    assert "private" in css["Cache-Control"] and "Cookie" in css["Vary"]
    # The page itself is the same (cached) for everyone; only the stylesheet differs.
    unmasked = re.compile(r"[A-Za-z0-9]{64}")  # the per-visitor CSRF token
    assert unmasked.sub("", client.get("/").content.decode()) == unmasked.sub("", page)
    client.get(reverse("portal:display") + "?mode=standard")
    assert "125%" not in client.get(reverse("portal:display_css")).content.decode()


def test_the_switch_never_redirects_off_site(client: Client) -> None:
    response = client.get(reverse("portal:display") + "?mode=large&next=https://evil.example/")
    assert response["Location"] == "/"


def test_the_switch_speaks_english_too(client: Client, scenario: Any) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in html
    assert "Large text, high contrast" in html and "Issued by: People&#x27;s Government of 金坛区" in html
