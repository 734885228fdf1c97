"""The plan's own steps on the "what next" strip (core.nav): check the imported list, then publish it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.core.nav import StepState
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, Plan


def check_state(plan: Plan, user: Any) -> StepState:
    """Checked when every item has a lead unit (without one nobody can report on it)."""
    orphans = Item.objects.filter(project__plan=plan).exclude(item_units__role=UnitRole.LEAD).count()
    href = reverse("plans:plan_detail", args=[plan.pk])
    if orphans:
        return StepState(False, _("%d item(s) without a lead unit") % orphans, href)
    return StepState(True, _("every item has a lead unit"), href)


def publish_state(plan: Plan, user: Any) -> StepState:
    if plan.status == PlanStatus.PUBLISHED:
        return StepState(True, _("published"))
    return StepState(False, _("draft: only the office sees it"))
