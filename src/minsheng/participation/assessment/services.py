"""Set a plan's assessment weights and compute its unit scores. Each call is one audited transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.selectors import light_day
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.participation.assessment import scoring
from minsheng.participation.assessment.choices import Part
from minsheng.participation.assessment.models import WEIGHT_FIELDS, Assessment, UnitScore
from minsheng.participation.assessment.policies import can_manage_assessment
from minsheng.participation.assessment.selectors import unit_figures
from minsheng.plans.choices import PlanStatus

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.plans.models import Plan


def _check(acting_user: User | None, plan: Plan) -> None:
    # `acting_user=None` is the operator at the command line (the demo, scripts).
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationFailed(_("Only a published list is assessed."))
    if acting_user is not None and not can_manage_assessment(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of the list's region assesses its units."))


def _clean_weights(weights: Mapping[str, Any]) -> dict[str, int]:
    clean: dict[str, int] = {}
    labels = dict(Part.choices)
    for part in Part.values:
        raw = weights.get(part, 0)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= 100:
            raise ValidationFailed(
                _("The weight of “%(part)s” must be a whole number from 0 to 100.") % {"part": labels[part]},
                field=part,
            )
        clean[part] = value
    if sum(clean.values()) != 100:
        raise ValidationFailed(
            _("The weights add up to %(sum)d; they must add up to 100.") % {"sum": sum(clean.values())}
        )
    return clean


@transaction.atomic
def assessment_weights_set(*, acting_user: User | None, plan: Plan, weights: Mapping[str, Any]) -> Assessment:
    """Set the weights of the five parts (adding up to 100); changed weights drop scores computed before."""
    _check(acting_user, plan)
    clean = _clean_weights(weights)
    assessment = Assessment.objects.select_for_update().filter(plan=plan).first()
    before = assessment.weights if assessment else None
    if assessment is None:
        assessment = Assessment(plan=plan)
    for part, value in clean.items():
        setattr(assessment, WEIGHT_FIELDS[part], value)
    assessment.weights_set_by = acting_user
    if before != clean and assessment.computed_at is not None:
        assessment.scores.all().delete()
        assessment.computed_at = assessment.computed_on = None
    assessment.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE if before else Action.CREATE,
        obj=assessment,
        plan=plan,
        before={"weights": before} if before else None,
        after={"weights": clean},
        message="assessment weights set",
    )
    return assessment


@transaction.atomic
def assessment_compute(*, acting_user: User | None, plan: Plan, today: dt.date | None = None) -> Assessment:
    """Compute and store every lead unit's parts, total and rank from the figures as of `today`."""
    _check(acting_user, plan)
    assessment = Assessment.objects.select_for_update().filter(plan=plan).first()
    if assessment is None:
        raise ValidationFailed(_("Set the weights before computing the scores."))
    # A past year is assessed as it stood on 31 December (its lights' final reading).
    today = light_day(plan, today or timezone.localdate())
    units, figures = unit_figures(plan, today)
    weights = assessment.weights
    computed: dict[int, tuple[dict[str, Any], Any]] = {}
    for unit_id, fig in figures.items():
        part_scores = scoring.parts(fig)
        computed[unit_id] = (part_scores, scoring.total(part_scores, weights))
    ranks = scoring.ranks({u: t for u, (_p, t) in computed.items()})
    assessment.scores.all().delete()
    UnitScore.objects.bulk_create(
        UnitScore(
            assessment=assessment,
            unit=units[unit_id],
            total=total,
            rank=ranks[unit_id],
            figures=figures[unit_id].as_json(),
            **part_scores,
        )
        for unit_id, (part_scores, total) in computed.items()
    )
    assessment.computed_at = timezone.now()
    assessment.computed_on = today
    assessment.computed_by = acting_user
    assessment.save(update_fields=["computed_at", "computed_on", "computed_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=assessment,
        plan=plan,
        after={
            "as_of": today.isoformat(),
            "weights": weights,
            "totals": {units[u].name: str(t) for u, (_p, t) in sorted(computed.items())},
        },
        message="unit scores computed",
    )
    return assessment
