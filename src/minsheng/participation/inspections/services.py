"""Record inspections (视察), publish them, ask and answer questions (询问). One audited transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.services import notify
from minsheng.participation import uploads
from minsheng.participation.inspections import policies
from minsheng.participation.inspections.models import Inspection, InspectionPhoto, Question
from minsheng.plans.models import Item, ItemUnit, Plan
from minsheng.supervision.services import unit_reporters

MAX_TEXT = 10_000


def _text(value: str | None, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(missing, field=field)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("The text is longer than %d characters.") % MAX_TEXT, field=field)
    return text


def _state(inspection: Inspection, items: list[int]) -> dict[str, Any]:
    return {
        "plan": inspection.plan_id,
        "visited_on": inspection.visited_on.isoformat(),
        "items": items,
        "findings": inspection.findings,
        "public": inspection.public,
    }


@transaction.atomic
def inspection_record(
    *,
    acting_user: User,
    plan: Plan,
    visited_on: dt.date,
    items: Iterable[Item | int],
    findings: str,
    photos: Iterable[Any] = (),
    today: dt.date | None = None,
) -> Inspection:
    """A deputy records a visit: the date (not in the future), the plan's items seen, findings, photos.

    Photos go through progress's evidence checks; a refused file stores nothing (no row, no file).
    """
    if not policies.can_record_inspection(acting_user, plan):
        raise NotAllowed(_("Only deputies of the plan's region record inspections of a published plan."))
    if visited_on is None or visited_on > (today or timezone.localdate()):
        raise ValidationFailed(_("The date of the inspection cannot be in the future."), field="visited_on")
    ids = {i.pk if isinstance(i, Item) else int(i) for i in items}
    if not ids:
        raise ValidationFailed(_("Choose at least one item that was inspected."), field="items")
    found = set(Item.objects.filter(pk__in=ids, project__plan=plan).values_list("pk", flat=True))
    if found != ids:
        raise ValidationFailed(_("Only items of this plan can be inspected."), field="items")
    findings = _text(findings, "findings", _("Write down the findings of the inspection."))
    checked = uploads.check_uploads(photos)
    stored: list[InspectionPhoto] = []
    try:
        inspection = Inspection.objects.create(
            plan=plan, deputy=acting_user, visited_on=visited_on, findings=findings
        )
        inspection.items.set(sorted(ids))
        for name, data, processed in checked:
            photo = InspectionPhoto(inspection=inspection)
            stored.append(photo)
            uploads.store(photo, name, data, processed)
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            obj=inspection,
            plan=plan,
            after={**_state(inspection, sorted(ids)), "photos": [p.sha256 for p in stored]},
            message="deputy recorded an inspection",
        )
    except BaseException:
        uploads.remove_files(stored)
        raise
    return inspection


@transaction.atomic
def inspection_set_public(*, acting_user: User | None, inspection: Inspection, public: bool) -> Inspection:
    """The office shows (or hides) an inspection's findings and clean photos on the public item pages."""
    inspection = Inspection.objects.select_for_update().select_related("plan__region").get(pk=inspection.pk)
    if acting_user is not None and not policies.can_mark_public(acting_user, inspection):
        raise NotAllowed(_("Only the supervision office publishes inspections."))
    if inspection.public == public:
        return inspection
    items = sorted(inspection.items.values_list("pk", flat=True))
    before = _state(inspection, items)
    inspection.public = public
    inspection.save(update_fields=["public"])
    audit_record(
        actor=acting_user,
        action=Action.PUBLISH if public else Action.UPDATE,
        obj=inspection,
        plan=inspection.plan,
        before=before,
        after=_state(inspection, items),
        message="inspection made public" if public else "inspection withdrawn from the portal",
    )
    changes_bump_on_commit()  # the portal's cached item pages show public inspections
    return inspection


def _question_link(question: Question) -> str:
    return reverse("inspections:question_detail", args=[question.pk])


@transaction.atomic
def question_ask(*, acting_user: User, item: Item, unit: Any, text: str) -> Question:
    """A deputy asks a unit of the item (lead or partner) a question; the unit's reporters are notified."""
    if not policies.can_ask(acting_user, item):
        raise NotAllowed(_("Only deputies of the plan's region ask questions on its items."))
    if unit is None or not ItemUnit.objects.filter(item=item, unit=unit).exists():
        raise ValidationFailed(_("A question goes to a lead or partner unit of the item."), field="unit")
    text = _text(text, "text", _("Write the question."))
    question = Question.objects.create(item=item, unit=unit, deputy=acting_user, text=text)
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=question,
        plan=item.project.plan,
        after={"item": item.pk, "unit": unit.pk, "text": text},
        message="deputy asked a question",
    )
    notify(
        users=unit_reporters(unit),
        kind=NotificationKind.OTHER,
        text=_("A deputy asks about “%(item)s”: please answer.") % {"item": str(item)[:60]},
        link=_question_link(question),
    )
    return question


@transaction.atomic
def question_answer(*, acting_user: User, question: Question, text: str) -> Question:
    """The unit's reporter answers, once; the deputy is notified."""
    question = (
        Question.objects.select_for_update().select_related("item__project__plan", "unit").get(pk=question.pk)
    )
    if not policies.can_answer(acting_user, question):
        raise NotAllowed(_("Only a reporter of the unit addressed answers this question."))
    if question.answered:
        raise Conflict(_("This question has already been answered."))
    text = _text(text, "answer", _("Write the answer."))
    question.answer = text
    question.answered_by = acting_user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=question,
        plan=question.item.project.plan,
        before={"answer": ""},
        after={"answer": text},
        message="unit answered a deputy's question",
    )
    notify(
        users=[question.deputy],
        kind=NotificationKind.OTHER,
        text=_("%(unit)s answered your question on “%(item)s”.")
        % {"unit": question.unit, "item": str(question.item)[:60]},
        link=_question_link(question),
    )
    return question
