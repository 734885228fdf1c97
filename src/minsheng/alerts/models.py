"""Stored lights (灯情汇总): each item's light and each project's, lead unit's and plan's roll-up, kept
current when something that changes them happens, so pages read one table instead of recomputing.

The rows are derived data: `alerts.lights.lights_refresh` rebuilds a plan's rows from approved values
(`alerts.selectors.item_statuses`) and `minsheng lights` rebuilds them all; rebuilding gives the same rows
as the incremental updates (tested on the demo).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LightKind(models.TextChoices):
    ITEM = "item", _("item")
    PROJECT = "project", _("project")
    UNIT = "unit", _("lead unit")
    PLAN = "plan", _("plan")


class Light(models.Model):
    """One stored light: an item's (`key` = item id) or a group's roll-up (project, lead unit, plan)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lights"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=LightKind.choices)
    key = models.PositiveBigIntegerField(_("key"), help_text=_("Item, project, unit or plan id."))
    on = models.DateField(_("as of"), help_text=_("The day the light was computed for."))
    status = models.CharField(_("status"), max_length=20)
    completion = models.FloatField(_("completion"))
    expected = models.FloatField(_("expected by schedule"))
    reference_expected = models.FloatField(_("reference expected"))
    total = models.PositiveIntegerField(_("items"), default=1)
    counts = models.JSONField(_("items per status"), default=dict, blank=True)
    values = models.JSONField(_("parts"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("stored light")
        verbose_name_plural = _("stored lights")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="alerts_light_unique"),
        ]
        indexes = [models.Index(fields=["kind", "key"], name="alerts_light_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.status}"
