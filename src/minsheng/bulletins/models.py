"""Generated progress bulletins (进展通报), kept so the office can download them again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.bulletins.choices import BulletinScope, BulletinState


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
    scope = models.CharField(
        _("covers"), max_length=10, choices=BulletinScope.choices, default=BulletinScope.PERIOD
    )
    number = models.PositiveIntegerField(
        _("issue number"), default=0, help_text=_("The issue number (第N期) within the plan.")
    )
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


class DocumentSettings(models.Model):
    """How a plan's official documents (公文) are headed and signed: the issuing organ (发文机关) and its
    abbreviation for the document number (发文字号 such as 金督〔2024〕3号), the addressees (主送机关) and
    the copy list (抄送)."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="document_settings"
    )
    organ = models.CharField(_("issuing organ"), max_length=100)
    abbreviation = models.CharField(_("organ abbreviation for document numbers"), max_length=20)
    addressees = models.CharField(_("addressees"), max_length=200, blank=True)
    copy_to = models.CharField(_("copy to"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return self.organ
