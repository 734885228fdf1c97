"""A red light reaches the lead unit and the office once per change; notifications also go to the units'
DingTalk / WeCom group robots, tested against a real HTTP server on localhost."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from factories import UserFactory
from minsheng.alerts.lights import lights_refresh
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.notifications import webhooks
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.models import Notification
from minsheng.notifications.services import notify, red_lights_notify, unit_webhook_set
from progress.factories import World

pytestmark = pytest.mark.django_db


def _reds(user: Any) -> int:
    return Notification.objects.filter(user=user, kind=NotificationKind.RED_LIGHT).count()


def test_a_red_light_is_announced_once_per_change(world: World) -> None:
    item = world.item.pk
    red_lights_notify(plan_id=world.plan.pk, statuses={item: "severe"})
    assert _reds(world.reporter) == 1 and _reds(world.office) == 1
    assert _reds(world.partner_reporter) == 0 and _reds(world.leader) == 0
    red_lights_notify(plan_id=world.plan.pk, statuses={item: "severe"})  # rebuilt, still red: nothing new
    assert _reds(world.reporter) == 1
    red_lights_notify(plan_id=world.plan.pk, statuses={item: "lagging"})
    red_lights_notify(plan_id=world.plan.pk, statuses={item: "severe"})  # fell back to red: a new change
    assert _reds(world.reporter) == 2 and _reds(world.office) == 2
    note = Notification.objects.filter(user=world.reporter, kind=NotificationKind.RED_LIGHT).first()
    assert note is not None and f"/progress/items/{item}/" in note.link


def test_storing_the_lights_announces_the_red_ones(world: World) -> None:
    # The 2024 plan seen in December 2026 with nothing reported: the item is severely lagging.
    lights_refresh([world.plan.pk])
    assert _reds(world.reporter) == 1 and _reds(world.office) == 1
    lights_refresh([world.plan.pk])
    assert _reds(world.reporter) == 1


class _Robot(BaseHTTPRequestHandler):
    """A fake group robot: records each request, answers like DingTalk/WeCom (errcode 0 or an error)."""

    received: list[dict[str, Any]] = []
    answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).received.append(
            {
                "path": self.path,
                "body": json.loads(self.rfile.read(length)),
                "type": self.headers["Content-Type"],
            }
        )
        data = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def robot() -> Iterator[str]:
    _Robot.received = []
    _Robot.answer = {"errcode": 0, "errmsg": "ok"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_notifications_reach_the_units_robots(
    world: World, robot: str, django_capture_on_commit_callbacks: Any
) -> None:
    unit_webhook_set(
        acting_user=world.office,
        unit=world.lead,
        kind="dingtalk",
        url=f"{robot}/robot/send?access_token=abc",
        secret="SEC123",
    )
    unit_webhook_set(
        acting_user=world.office, unit=world.lead, kind="wecom", url=f"{robot}/cgi-bin/webhook/send?key=k"
    )
    colleague = UserFactory(role="reporter", unit=world.lead, region=world.plan.region)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[world.reporter, colleague],
            kind=NotificationKind.OTHER,
            text="请于5日前填报",
            link="/progress/",
        )
    assert len(_Robot.received) == 2  # once per robot, not once per person
    ding = next(r for r in _Robot.received if r["path"].startswith("/robot/send"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding["path"]).query)
    stamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SEC123", f"{stamp}\nSEC123".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"][0] == expected and query["access_token"][0] == "abc"
    assert ding["body"] == {"msgtype": "text", "text": {"content": "请于5日前填报\n/progress/"}}
    wecom = next(r for r in _Robot.received if r["path"].startswith("/cgi-bin"))
    assert "sign" not in wecom["path"] and wecom["body"]["text"]["content"].startswith("请于5日前填报")
    assert wecom["type"].startswith("application/json")


def test_a_refusing_or_absent_robot_never_breaks_the_action(robot: str) -> None:
    _Robot.answer = {"errcode": 310000, "errmsg": "sign not match"}
    refused = webhooks.post(kind="dingtalk", url=f"{robot}/robot/send", secret="x", text="t")
    assert not refused.ok and "sign not match" in refused.detail
    absent = webhooks.post(kind="wecom", url="http://127.0.0.1:9/nothing", secret="", text="t")
    assert not absent.ok


def test_robots_of_other_units_and_inactive_robots_get_nothing(
    world: World, robot: str, django_capture_on_commit_callbacks: Any
) -> None:
    unit_webhook_set(acting_user=world.office, unit=world.other, kind="wecom", url=f"{robot}/other")
    unit_webhook_set(
        acting_user=world.office, unit=world.lead, kind="wecom", url=f"{robot}/off", active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[world.reporter], kind=NotificationKind.OTHER, text="x")
    assert _Robot.received == []


def test_setting_a_robot_is_checked_and_audited_without_the_secret(world: World) -> None:
    with pytest.raises(ValidationFailed):
        unit_webhook_set(acting_user=world.office, unit=world.lead, kind="wecom", url="ftp://example.org/x")
    with pytest.raises(ValidationFailed):
        unit_webhook_set(acting_user=world.office, unit=world.lead, kind="sms", url="https://example.org/x")
    with pytest.raises(NotAllowed):
        unit_webhook_set(
            acting_user=world.reporter, unit=world.lead, kind="wecom", url="https://example.org/x"
        )
    hook = unit_webhook_set(
        acting_user=world.office,
        unit=world.lead,
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SECabc",
    )
    again = unit_webhook_set(
        acting_user=world.office,
        unit=world.lead,
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=u",
        secret="SECabc",
    )
    assert again.pk == hook.pk  # one robot per kind and unit
    text = json.dumps([e.after for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert "SECabc" not in text and "access_token=u" in text
