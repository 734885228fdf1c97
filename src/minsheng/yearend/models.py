"""The year's end (年终): the frozen final result of each item, its corrections, and carry-over links.

The year-end reading date and the closed flag live on `plans.Plan` (`year_end_on`, `year_closed_at`):
`alerts` and `progress`, below this app, read them (docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearClose(models.Model):
    """年度关账: who closed a plan's year, when, and the year-end reading date it used."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="year_close"
    )
    reading_on = models.DateField(_("year-end reading date"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("year close")
        verbose_name_plural = _("year closes")

    def __str__(self) -> str:
        return f"{self.plan} · {self.reading_on}"


class FinalResult(models.Model):
    """年终结果: an item's final result frozen when the year closes (light, completion, values, ending)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="final_results"
    )
    item = models.OneToOneField(
        "plans.Item", verbose_name=_("item"), on_delete=models.CASCADE, related_name="final_result"
    )
    status = models.CharField(_("status"), max_length=20)
    completion = models.DecimalField(_("completion"), max_digits=7, decimal_places=4)
    values = models.JSONField(
        _("values"), default=dict, help_text=_("Targets (promised, reached) and milestones as counted.")
    )
    ending = models.CharField(_("ending"), max_length=12, blank=True)
    ending_reason = models.TextField(_("reason of the ending"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    problems = models.TextField(
        _("problems"), blank=True, help_text=_("存在问题 of the last report counted.")
    )
    corrected = models.BooleanField(_("corrected"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        ordering = ["plan", "item__project__position", "item__project__no", "item__position"]

    def __str__(self) -> str:
        return f"{self.item}: {self.status}"


class FinalCorrection(models.Model):
    """最终结果更正: a recorded change to a closed year's final result, with its reason."""

    result = models.ForeignKey(
        FinalResult, verbose_name=_("final result"), on_delete=models.CASCADE, related_name="corrections"
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("final result correction")
        verbose_name_plural = _("final result corrections")
        ordering = ["result", "corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.reason[:40]}"


class CarryOver(models.Model):
    """结转: an unfinished item carried into the next year's plan, with its remaining targets."""

    origin = models.OneToOneField(
        "plans.Item", verbose_name=_("origin item"), on_delete=models.CASCADE, related_name="carried_into"
    )
    item = models.OneToOneField(
        "plans.Item", verbose_name=_("carried item"), on_delete=models.CASCADE, related_name="carried_from"
    )
    remaining = models.JSONField(
        _("remaining targets"),
        default=list,
        help_text=_("Per origin target: promised, reached, remaining, and the new target's id."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("carried at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carry-over")
        verbose_name_plural = _("carry-overs")
        ordering = ["origin"]

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.item_id}"
