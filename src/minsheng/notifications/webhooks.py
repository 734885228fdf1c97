"""Post notifications to DingTalk (钉钉) and WeCom (企业微信) group robots.

Both robots take a JSON text message at their webhook address. A DingTalk robot with 加签 (signing)
wants `timestamp` (milliseconds) and `sign` = base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")) in the
query string. A failed post is logged and never breaks the action that sent the notification.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed
from minsheng.notifications.choices import WebhookKind

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Delivery:
    """One post to a robot: where, and what came back (`ok` when the robot answered errcode 0)."""

    url: str
    ok: bool
    detail: str = ""


# Query parameters that carry the robot's token: whoever holds it can post to the group.
TOKEN_PARAMETERS = ("access_token", "key")
_TOKEN_VALUE = re.compile(r"((?:^|&)(?:" + "|".join(TOKEN_PARAMETERS) + r")=)([^&]{0,4})([^&]*)")


def check_address(url: str) -> None:
    """Refuse a robot address that is not https on an allowed robot host (MINSHENG_WEBHOOK_HOSTS)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = {h.lower() for h in settings.MINSHENG_WEBHOOK_HOSTS}
    insecure = {h.lower() for h in settings.MINSHENG_WEBHOOK_INSECURE_HOSTS}
    if host not in allowed | insecure:
        raise ValidationFailed(
            _("Robots may only post to %(hosts)s.") % {"hosts": "、".join(sorted(allowed))}, field="url"
        )
    if parts.scheme != "https" and host not in insecure:
        raise ValidationFailed(_("The webhook address must start with https://."), field="url")


def masked_url(url: str) -> str:
    """`url` with the robot's token shortened to its first 4 characters (pages and the audit trail)."""
    parts = urllib.parse.urlsplit(url)
    query = _TOKEN_VALUE.sub(lambda m: f"{m[1]}{m[2]}…" if m[3] else m[0], parts.query)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` DingTalk checks for a robot with 加签."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """`url` with DingTalk's `timestamp` and `sign` added (unchanged without a secret)."""
    if not secret:
        return url
    stamp = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": stamp, "sign": dingtalk_sign(secret, stamp)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def message_body(text: str, link: str = "") -> bytes:
    """A text message both robots accept: `{"msgtype": "text", "text": {"content": …}}`."""
    content = text + (f"\n{link}" if link else "")
    return json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode()


def post(*, kind: str, url: str, secret: str, text: str, link: str = "") -> Delivery:
    """Send one message to one robot."""
    target = signed_url(url, secret) if kind == WebhookKind.DINGTALK else url
    request = urllib.request.Request(
        target,
        data=message_body(text, link),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode() or "{}")
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        logger.warning("group robot %s: %s", url.split("?")[0], exc)
        return Delivery(url=url, ok=False, detail=str(exc))
    code = answer.get("errcode", 0)
    if code != 0:
        logger.warning("group robot %s refused the message: %s", url.split("?")[0], answer)
        return Delivery(url=url, ok=False, detail=str(answer.get("errmsg", code)))
    return Delivery(url=url, ok=True)


def post_all(hooks: Iterable[tuple[str, str, str]], text: str, link: str = "") -> list[Delivery]:
    """Send the message to each (kind, url, secret)."""
    return [post(kind=kind, url=url, secret=secret, text=text, link=link) for kind, url, secret in hooks]
