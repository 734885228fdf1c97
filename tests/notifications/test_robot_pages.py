"""The office sets a unit's DingTalk / WeCom robot on a page: https to the robots' hosts only, the secret
never shown back (kept when left empty), the token masked on pages and in the audit trail; units of another
district answer 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factories import RegionFactory, UnitFactory, UserFactory
from minsheng.audit.models import AuditEvent
from minsheng.notifications.models import UnitWebhook
from minsheng.notifications.webhooks import masked_url
from progress.factories import World

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"
DING = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"


def office_client(world: World) -> Client:
    client = Client()
    client.force_login(world.office)
    return client


def post(client: Client, unit: Any, **data: Any) -> Any:
    body = {"kind": "dingtalk", "url": DING, "secret": "", "active": "on", **data}
    return client.post(reverse("notifications:robot_edit", args=[unit.pk]), body)


def test_the_office_sets_a_robot_and_the_secret_is_never_shown_back(world: World) -> None:
    client = office_client(world)
    assert post(client, world.lead, secret="SECsecret-value-42").status_code == 302
    hook = UnitWebhook.objects.get(unit=world.lead)
    assert (hook.url, hook.secret, hook.active) == (DING, "SECsecret-value-42", True)
    for url in (
        reverse("notifications:robot_list"),
        reverse("notifications:robot_edit", args=[world.lead.pk]),
    ):
        html = client.get(url).content.decode()
        assert "SECsecret-value-42" not in html and TOKEN not in html, url
        assert "access_token=0123…" in html
    audit = json.dumps([(e.before, e.after) for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert "SECsecret-value-42" not in audit and TOKEN not in audit and "access_token=0123…" in audit


def test_an_empty_secret_keeps_the_stored_one_and_clearing_removes_it(world: World) -> None:
    client = office_client(world)
    post(client, world.lead, secret="SECfirst")
    post(client, world.lead, url=DING.replace(TOKEN, "zz" + TOKEN))  # changed address, secret left empty
    hook = UnitWebhook.objects.get(unit=world.lead)
    assert hook.secret == "SECfirst" and "zz" in hook.url
    post(client, world.lead, clear_secret="on")
    assert UnitWebhook.objects.get(unit=world.lead).secret == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://oapi.dingtalk.com/robot/send?access_token=x",  # not https
        "https://evil.example/robot/send?access_token=x",  # not a robot host
        "https://oapi.dingtalk.com.evil.example/robot/send",  # look-alike host
        "ftp://oapi.dingtalk.com/x",
        "javascript:alert(1)",
    ],
)
def test_only_https_to_the_robot_hosts(world: World, url: str) -> None:
    response = post(office_client(world), world.lead, url=url)
    assert response.status_code == 200 and response.context["form"].errors
    assert not UnitWebhook.objects.exists() and not AuditEvent.objects.filter(object_type__contains="webhook")


def test_wecom_host_is_allowed(world: World) -> None:
    url = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}"
    assert post(office_client(world), world.lead, kind="wecom", url=url).status_code == 302
    assert masked_url(url).endswith("key=0123…")


def test_other_roles_and_other_districts_are_refused(world: World, district: Any) -> None:
    liyang = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    foreign_unit = UnitFactory(name="溧阳市住建局", region=liyang)
    client = office_client(world)
    assert client.get(reverse("notifications:robot_edit", args=[foreign_unit.pk])).status_code == 404
    assert post(client, foreign_unit).status_code == 404
    assert foreign_unit.name not in client.get(reverse("notifications:robot_list")).content.decode()
    other_office = Client()
    other_office.force_login(UserFactory(username="ly_office", role="office", region=liyang))
    assert post(other_office, world.lead).status_code == 404
    reporter = Client()
    reporter.force_login(world.reporter)
    assert reporter.get(reverse("notifications:robot_list")).status_code == 403
    assert post(reporter, world.lead).status_code == 403
    assert not UnitWebhook.objects.exists()
