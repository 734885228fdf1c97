"""Generated progress bulletins (进展通报), kept so the office can download them again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.bulletins.choices import BulletinState


class Bulletin(models.Model):
    """进展通报: a Word bulletin of one plan for one period, written in the background."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="bulletins"
    )
    period = models.ForeignKey(
        "progress.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="bulletins"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BulletinState.choices, default=BulletinState.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="bulletins/%Y/", blank=True, max_length=200)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.period}"

    @property
    def filename(self) -> str:
        return f"{self.plan.title}-进展通报-{self.period}.docx"
