"""Sending a verification code by SMS (短信验证码). No SMS gateway here: the sender is an interface.

`MINSHENG_SMS_SENDER` names the class (dotted path): `LogSender` (the default) writes the message to the
log, `MemorySender` keeps it in `MemorySender.outbox` (tests, like Django's locmem e-mail backend). A real
gateway is one more class with a `send(phone, text)` method.
"""

from __future__ import annotations

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "minsheng.participation.feedback.sms.LogSender"


class SmsSender(Protocol):
    """Sends one text message to a mainland mobile number."""

    def send(self, phone: str, text: str) -> None: ...


class LogSender:
    """Writes the message to the log instead of sending it (the demo, a console)."""

    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)


class MemorySender:
    """Keeps every message in `outbox` as (phone, text); the test double."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySender.outbox.append((phone, text))


def sms_sender() -> SmsSender:
    """The configured sender."""
    return import_string(getattr(settings, "MINSHENG_SMS_SENDER", "") or DEFAULT_SENDER)()
