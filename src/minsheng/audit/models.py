"""The audit trail (审计日志)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.audit.chain import CONTENT_FIELDS, GENESIS
from minsheng.audit.choices import Action, Outcome


class AuditEvent(models.Model):
    """审计记录: one change or sensitive action, written by a service in the same transaction."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # PROTECT: the trail is append-only, so a user with history is deactivated, never deleted.
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=45, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The hash chain (audit.chain): this row's hash covers the previous row's hash and this row's content.
    prev_hash = models.CharField(_("previous hash"), max_length=64, default="", editable=False)
    hash = models.CharField(_("hash"), max_length=64, default="", editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["plan", "time"], name="audit_plan_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def chain_row(self) -> dict[str, Any]:
        """The content the chain hashes (audit.chain.CONTENT_FIELDS)."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


class AuditChainHead(models.Model):
    """The end of the chain: one row, locked by every writer so the chain has a single order."""

    last_id = models.BigIntegerField(_("last event id"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.last_id} {self.last_hash[:12]}"


class AuditAnchor(models.Model):
    """归档锚点: where the chain starts after `audit-archive` removed the rows before it.

    Archived rows are in a gzip JSONL file whose SHA-256 is kept here and in the archive's manifest.
    """

    created = models.DateTimeField(_("created"), default=timezone.now)
    through_id = models.BigIntegerField(_("archived through event id"))
    last_hash = models.CharField(_("last archived hash"), max_length=64)
    rows = models.PositiveIntegerField(_("rows archived"))
    file_name = models.CharField(_("archive file"), max_length=255)
    sha256 = models.CharField(_("archive SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("audit archive anchor")
        verbose_name_plural = _("audit archive anchors")
        ordering = ["through_id"]

    def __str__(self) -> str:
        return f"{self.file_name} ≤ {self.through_id}"
