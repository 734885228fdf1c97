"""Deputies during the year: inspections (视察) and questions (询问) to a unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.participation.uploads import StoredFile


class Inspection(models.Model):
    """视察: a deputy's visit to a plan's items, with findings and photos.

    Internal (office, reviewers, leaders, deputies of the region, the items' units) until the office marks
    it public; then the portal item page shows its findings and clean photos.
    """

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="inspections"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    visited_on = models.DateField(_("date of the inspection"))
    items = models.ManyToManyField(
        "plans.Item", verbose_name=_("items inspected"), related_name="inspections"
    )
    findings = models.TextField(_("findings"))
    public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} · {self.deputy}"


class InspectionPhoto(StoredFile):
    """A photo (or document) of an inspection: original for the office, a copy without EXIF for others."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection", "pk"]


class Question(models.Model):
    """询问: a deputy's question about an item to one of its units, answered by that unit's reporter."""

    item = models.ForeignKey(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="questions"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(_("question"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "answered_at"], name="inspections_question_open_idx")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
