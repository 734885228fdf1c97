"""In-app notifications (站内通知)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.notifications.choices import NotificationKind, WebhookKind


class Notification(models.Model):
    """站内通知: one message to one person, read or not.

    `key` makes a notification idempotent: a second one with the same (user, key) is not created, so a
    reminder run twice on the same day sends nothing new.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("de-duplication key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notifications_unique_user_key",
                violation_error_message=_("This person already has this notification."),
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_read_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class UnitWebhook(TimeStampedModel):
    """群机器人: a DingTalk (钉钉) or WeCom (企业微信) group robot of a unit.

    Every notification addressed to the unit's people is also posted once to the unit's active robots, so
    street and community staff read it where they work. DingTalk robots with 加签 need the `secret`.
    """

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=WebhookKind.choices)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot webhook")
        verbose_name_plural = _("group robot webhooks")
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class ItemLightSeen(models.Model):
    """The last light of an item that notifications saw, so a red light (严重滞后) is announced once per
    change: when an item turns red, not each time the stored lights are rebuilt."""

    item = models.OneToOneField(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="light_seen"
    )
    status = models.CharField(_("status"), max_length=20)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("light seen by notifications")
        verbose_name_plural = _("lights seen by notifications")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"
