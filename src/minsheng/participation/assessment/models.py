"""Unit assessment (考核): the office's weights for a plan and each lead unit's computed score."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.models import TimeStampedModel
from minsheng.participation.assessment.choices import Part

WEIGHT_FIELDS = {part: f"{part}_weight" for part in Part.values}


def _weight(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=0, validators=[MaxValueValidator(100)])


class Assessment(TimeStampedModel):
    """考核方案: a plan's weights (they add up to 100) and when the scores were last computed."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assessment"
    )
    on_time_weight = _weight(_("weight: on-time reporting"))
    completion_weight = _weight(_("weight: completion against schedule"))
    supervision_weight = _weight(_("weight: supervision notices"))
    satisfaction_weight = _weight(_("weight: deputies' satisfaction"))
    rectification_weight = _weight(_("weight: rectification"))
    weights_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("weights set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_on = models.DateField(_("figures as of"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit assessment")
        verbose_name_plural = _("unit assessments")
        constraints = [
            models.CheckConstraint(
                # The weights add up to 100 (one weight is 100 less the others).
                condition=models.Q(
                    on_time_weight=100
                    - models.F("completion_weight")
                    - models.F("supervision_weight")
                    - models.F("satisfaction_weight")
                    - models.F("rectification_weight")
                ),
                name="assessment_weights_sum_100",
                violation_error_message=_("The weights must add up to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {_('assessment')}"

    @property
    def weights(self) -> dict[str, int]:
        """Part → weight."""
        return {part: getattr(self, field) for part, field in WEIGHT_FIELDS.items()}

    @property
    def weight_rows(self) -> list[tuple[str, int]]:
        """(part label, weight) in order, for pages."""
        return [(str(label), getattr(self, WEIGHT_FIELDS[part])) for part, label in Part.choices]


class UnitScore(models.Model):
    """考核得分: one lead unit's parts (0–100, empty when the part does not apply), total and rank."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessment_scores"
    )
    on_time = models.DecimalField(_("on-time reporting"), max_digits=5, decimal_places=1, null=True)
    completion = models.DecimalField(
        _("completion against schedule"), max_digits=5, decimal_places=1, null=True
    )
    supervision = models.DecimalField(_("supervision notices"), max_digits=5, decimal_places=1, null=True)
    satisfaction = models.DecimalField(_("deputies' satisfaction"), max_digits=5, decimal_places=1, null=True)
    rectification = models.DecimalField(_("rectification"), max_digits=5, decimal_places=1, null=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("rank"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["assessment", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "unit"], name="assessment_one_score_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.total}"

    def part(self, name: str) -> object:
        return getattr(self, name)
