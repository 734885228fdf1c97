"""Supervision notices (督办函) and replies (整改回复)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.supervision.choices import NoticeStatus


class SupervisionNotice(TimeStampedModel):
    """督办函: a reviewer's demand that the lead unit of a lagging item catch up, with a reply deadline."""

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="notices"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="notices",
        help_text=_("The lead unit that must reply."),
    )
    reason = models.TextField(
        _("reason"), help_text=_("What is wrong: the lag, the missing report, the complaint.")
    )
    measures = models.TextField(_("required measures"))
    reply_deadline = models.DateField(_("reply deadline"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="notices_issued",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    decision_comment = models.TextField(_("reviewer's comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "reply_deadline"], name="supervision_status_due_idx"),
            models.Index(fields=["unit", "status"], name="supervision_unit_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_status_display()})"


class NoticeReply(models.Model):
    """整改回复: the lead unit's account of its rectification."""

    notice = models.ForeignKey(
        SupervisionNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="replies"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="notice_replies"
    )
    text = models.TextField(_("rectification"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="notice_replies",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice reply")
        verbose_name_plural = _("notice replies")
        ordering = ["notice", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
