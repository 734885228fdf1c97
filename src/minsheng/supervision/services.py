"""Issue, answer, close and return supervision notices (督办). Each call is one audited transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.services import notify
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import group_members
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit
from minsheng.supervision.choices import NoticeStatus
from minsheng.supervision.models import NoticeReply, SupervisionNotice
from minsheng.supervision.policies import can_decide_notice, can_issue_notice, can_reply_notice
from minsheng.supervision.selectors import item_needs_supervision

if TYPE_CHECKING:
    from minsheng.orgs.models import Unit


def _state(notice: SupervisionNotice) -> dict[str, Any]:
    return {
        "item": notice.item_id,
        "unit": notice.unit_id,
        "reason": notice.reason,
        "measures": notice.measures,
        "reply_deadline": notice.reply_deadline.isoformat(),
        "status": notice.status,
        "decision_comment": notice.decision_comment,
    }


def _required_text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(_("%(label)s is required.") % {"label": label}, field=field)
    return text


def unit_reporters(unit: Unit) -> list[User]:
    """Active reporters of `unit`, or of the towns and streets a group word stands for."""
    units = [unit.pk]
    if unit.kind == UnitKind.GROUP:
        units += list(group_members(unit).values_list("pk", flat=True))
    return list(User.objects.filter(unit_id__in=units, groups__name=Role.REPORTER, is_active=True).distinct())


def _link(notice: SupervisionNotice) -> str:
    return reverse("supervision:notice_detail", args=[notice.pk])


# How long an identical notice from the same person counts as the same submission.
REPLAY_WINDOW = dt.timedelta(minutes=10)


@transaction.atomic
def notice_issue(
    *,
    acting_user: User,
    item: Item,
    reason: str,
    measures: str,
    reply_deadline: dt.date,
    unit: Unit | None = None,
    today: dt.date | None = None,
) -> SupervisionNotice:
    """Issue a notice to a lead unit of a lagging item; its reporters are notified.

    `unit` defaults to the item's first lead unit and must be one of its lead units.
    """
    if not can_issue_notice(acting_user, item):
        raise NotAllowed(_("Only reviewers and the supervision office issue supervision notices."))
    reason = _required_text(reason, "reason", _("The reason"))
    measures = _required_text(measures, "measures", _("The required measures"))
    today = today or timezone.localdate()
    if reply_deadline is None or reply_deadline < today:
        raise ValidationFailed(_("The reply deadline cannot be in the past."), field="reply_deadline")
    leads = ItemUnit.objects.filter(item=item, role=UnitRole.LEAD).select_related("unit").order_by("position")
    lead_units = [iu.unit for iu in leads]
    if not lead_units:
        raise ValidationFailed(_("This item has no lead unit to address the notice to."), field="unit")
    if unit is None:
        unit = lead_units[0]
    elif unit.pk not in {u.pk for u in lead_units}:
        raise ValidationFailed(_("A notice goes to a lead unit of the item."), field="unit")
    # A double post of the form (a double click, a replay) finds the notice it already made: the item's
    # row lock makes the second wait for the first, then see it.
    Item.objects.select_for_update().filter(pk=item.pk).order_by().first()
    same = (
        SupervisionNotice.objects.filter(
            item=item,
            unit=unit,
            issued_by=acting_user,
            reason=reason,
            measures=measures,
            reply_deadline=reply_deadline,
            status=NoticeStatus.ISSUED,
            created_at__gte=timezone.now() - REPLAY_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if same is not None:
        same.replayed = True  # type: ignore[attr-defined]
        return same
    if not item_needs_supervision(item, today=today):
        raise Conflict(_("Only a lagging item or one with an overdue report gets a supervision notice."))
    notice = SupervisionNotice.objects.create(
        item=item,
        unit=unit,
        reason=reason,
        measures=measures,
        reply_deadline=reply_deadline,
        issued_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=notice,
        plan=item.project.plan,
        after=_state(notice),
        message="supervision notice issued",
    )
    notify(
        users=unit_reporters(unit),
        kind=NotificationKind.NOTICE,
        text=_("Supervision notice on “%(item)s”: reply by %(date)s.")
        % {"item": str(item), "date": reply_deadline.isoformat()},
        link=_link(notice),
    )
    return notice


def _locked_notice(notice: SupervisionNotice) -> SupervisionNotice:
    """The notice read again under a row lock, with its plan and unit."""
    return (
        SupervisionNotice.objects.select_for_update()
        .select_related("item__project__plan", "unit")
        .get(pk=notice.pk)
    )


@transaction.atomic
def notice_reply(*, acting_user: User, notice: SupervisionNotice, text: str) -> NoticeReply:
    """The lead unit answers with its rectification; the issuer is notified."""
    notice = _locked_notice(notice)
    if not can_reply_notice(acting_user, notice):
        raise NotAllowed(_("Only a reporter of the unit addressed replies to this notice."))
    if notice.status not in (NoticeStatus.ISSUED, NoticeStatus.RETURNED):
        raise Conflict(
            _("This notice is %(status)s; it takes no reply now.") % {"status": notice.get_status_display()}
        )
    text = _required_text(text, "text", _("The rectification"))
    before = _state(notice)
    unit = acting_user.unit
    if unit is None:  # can_reply_notice already requires a unit; this keeps the type exact
        raise NotAllowed(_("Only a reporter of the unit addressed replies to this notice."))
    reply = NoticeReply.objects.create(notice=notice, unit=unit, text=text, author=acting_user)
    notice.status = NoticeStatus.REPLIED
    notice.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=notice,
        plan=notice.item.project.plan,
        before=before,
        after={**_state(notice), "reply": text},
        message="supervision notice replied",
    )
    notify(
        users=[notice.issued_by],
        kind=NotificationKind.NOTICE,
        text=_("%(unit)s replied to the supervision notice on “%(item)s”.")
        % {"unit": str(unit), "item": str(notice.item)},
        link=_link(notice),
    )
    return reply


def _decide(
    *, acting_user: User, notice: SupervisionNotice, status: NoticeStatus, comment: str, message: str
) -> SupervisionNotice:
    notice = _locked_notice(notice)
    if not can_decide_notice(acting_user, notice):
        raise NotAllowed(_("Only reviewers and the supervision office close or return notices."))
    if notice.status != NoticeStatus.REPLIED:
        raise Conflict(
            _("This notice is %(status)s; only a replied notice can be closed or returned.")
            % {"status": notice.get_status_display()}
        )
    before = _state(notice)
    notice.status = status
    notice.decision_comment = comment.strip()
    notice.closed_at = timezone.now() if status == NoticeStatus.CLOSED else None
    notice.save(update_fields=["status", "decision_comment", "closed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=notice,
        plan=notice.item.project.plan,
        before=before,
        after=_state(notice),
        message=message,
    )
    notify(
        users=unit_reporters(notice.unit),
        kind=NotificationKind.NOTICE,
        text=_("The supervision notice on “%(item)s” is %(status)s.")
        % {"item": str(notice.item), "status": notice.get_status_display()},
        link=_link(notice),
    )
    return notice


@transaction.atomic
def notice_close(*, acting_user: User, notice: SupervisionNotice, comment: str = "") -> SupervisionNotice:
    """办结销号: the reviewer accepts the rectification and closes the notice."""
    return _decide(
        acting_user=acting_user,
        notice=notice,
        status=NoticeStatus.CLOSED,
        comment=comment,
        message="supervision notice closed",
    )


@transaction.atomic
def notice_return(*, acting_user: User, notice: SupervisionNotice, comment: str) -> SupervisionNotice:
    """The reviewer finds the rectification insufficient and asks for more, saying why."""
    comment = _required_text(comment, "comment", _("A comment saying what is missing"))
    return _decide(
        acting_user=acting_user,
        notice=notice,
        status=NoticeStatus.RETURNED,
        comment=comment,
        message="supervision notice returned",
    )
