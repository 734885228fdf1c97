"""Write bulletins: directly (the `bulletin` command) or in the background (the page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.bulletins.choices import BulletinState
from minsheng.bulletins.document import bulletin_docx
from minsheng.bulletins.models import Bulletin
from minsheng.bulletins.policies import can_make_bulletin
from minsheng.bulletins.selectors import bulletin_data
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.plans.models import Plan
from minsheng.progress.models import Period

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def _check(acting_user: User | None, plan: Plan, period: Period) -> None:
    if acting_user is not None and not can_make_bulletin(acting_user, plan):
        raise NotAllowed(
            _("Only the supervision office, reviewers and leaders of the region write bulletins.")
        )
    if period.plan_id != plan.pk:
        raise ValidationFailed(_("This period belongs to another plan."), field="period")


@transaction.atomic
def bulletin_build(*, acting_user: User | None, plan: Plan, period: Period) -> bytes:
    """The bulletin's .docx bytes, written now; the export is recorded."""
    _check(acting_user, plan, period)
    content = bulletin_docx(bulletin_data(plan, period))
    audit_record(
        actor=acting_user,
        action=Action.EXPORT,
        obj=plan,
        plan=plan,
        after={"format": "bulletin", "period": str(period)},
    )
    return content


@transaction.atomic
def bulletin_request(*, acting_user: User | None, plan: Plan, period: Period) -> Bulletin:
    """Queue a bulletin; the task writes it after this transaction commits."""
    from minsheng.bulletins.tasks import generate_bulletin

    _check(acting_user, plan, period)
    bulletin = Bulletin.objects.create(plan=plan, period=period, requested_by=acting_user)
    audit_record(
        actor=acting_user, action=Action.CREATE, obj=bulletin, plan=plan, after={"period": str(period)}
    )
    transaction.on_commit(lambda: generate_bulletin.enqueue(bulletin.pk))
    return bulletin


def bulletin_generate(*, bulletin_id: int) -> Bulletin:
    """Write a queued bulletin, recording progress so the page can show it; a failure is kept, not raised."""
    bulletin = Bulletin.objects.select_related("plan", "period").get(pk=bulletin_id)
    if bulletin.state == BulletinState.DONE:
        return bulletin
    _step(bulletin, BulletinState.RUNNING, 10)
    try:
        data = bulletin_data(bulletin.plan, bulletin.period)
        _step(bulletin, BulletinState.RUNNING, 60)
        content = bulletin_docx(data)
        with transaction.atomic():
            bulletin.file.save("bulletin.docx", ContentFile(content), save=False)
            bulletin.state = BulletinState.DONE
            bulletin.progress = 100
            bulletin.finished_at = timezone.now()
            bulletin.save(update_fields=["file", "state", "progress", "finished_at"])
            audit_record(
                actor=bulletin.requested_by,
                action=Action.EXPORT,
                obj=bulletin.plan,
                plan=bulletin.plan,
                after={"format": "bulletin", "period": str(bulletin.period)},
            )
    except Exception as exc:  # the page shows what went wrong; the worker stays up
        bulletin.state = BulletinState.FAILED
        bulletin.error = f"{type(exc).__name__}: {exc}"
        bulletin.finished_at = timezone.now()
        bulletin.save(update_fields=["state", "error", "finished_at"])
    return bulletin


def _step(bulletin: Bulletin, state: str, progress: int) -> None:
    bulletin.state = state
    bulletin.progress = progress
    bulletin.save(update_fields=["state", "progress"])
