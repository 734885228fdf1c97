"""The import step of the plan's "what next" strip (core.nav): the list is in, from which file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.core.nav import StepState
from minsheng.interchange.policies import can_import
from minsheng.plans.models import Plan


def import_state(plan: Plan, user: Any) -> StepState:
    """A plan on the page has been imported; the office may import a corrected list again."""
    detail = plan.source_name or _("imported")
    return StepState(True, detail, reverse("interchange:import_upload") if can_import(user) else None)
