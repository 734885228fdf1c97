"""Abstract base models shared by the apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that remembers when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """幂等键: an API client's `Idempotency-Key` and the answer it got, so a replay gets the same answer.

    `scope` is a hash of the credentials (token or session), so keys of different clients never meet;
    `status` stays empty while the first request runs. Rows older than a day are dropped.
    """

    scope = models.CharField(_("scope"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
