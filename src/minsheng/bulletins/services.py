"""Write bulletins: directly (the `bulletin` command) or in the background (the page)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.bulletins.choices import BulletinScope, BulletinState
from minsheng.bulletins.document import Heading, bulletin_docx
from minsheng.bulletins.gongwen import document_number
from minsheng.bulletins.models import Bulletin, DocumentSettings
from minsheng.bulletins.policies import can_make_bulletin, can_set_documents
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


def heading_for(
    plan: Plan, *, number: int, scope: str = BulletinScope.PERIOD, issued_on: dt.date | None = None
) -> Heading:
    """The 版头, 落款 and 版记 of a plan's document number `number`: from the plan's document settings, else
    the region's 民生实事 office with 第N期."""
    conf = DocumentSettings.objects.filter(plan=plan).first()
    if conf is None:
        base = default_heading_for_plan(plan, number)
        return Heading(organ=base.organ, number=base.number, scope=scope, issued_on=issued_on)
    return Heading(
        organ=conf.organ,
        number=document_number(conf.abbreviation, plan.year, number)
        if conf.abbreviation
        else f"第{number}期",
        addressees=conf.addressees,
        copy_to=conf.copy_to,
        issued_on=issued_on,
        scope=scope,
    )


def default_heading_for_plan(plan: Plan, number: int) -> Heading:
    from minsheng.orgs.selectors import region_display_name

    region = region_display_name(plan.region)
    return Heading(organ=f"{region}民生实事项目推进办公室", number=f"第{number}期")


@transaction.atomic
def document_settings_set(
    *,
    acting_user: User | None,
    plan: Plan,
    organ: str,
    abbreviation: str,
    addressees: str = "",
    copy_to: str = "",
) -> DocumentSettings:
    """The plan's issuing organ, its abbreviation for 文号, addressees and copy list (office only)."""
    if acting_user is not None and not can_set_documents(acting_user, plan):
        raise NotAllowed(
            _("Only the supervision office of the plan's region sets how its documents are headed.")
        )
    organ, abbreviation = organ.strip(), abbreviation.strip()
    if not organ:
        raise ValidationFailed(_("Name the issuing organ."), field="organ")
    if not abbreviation or len(abbreviation) > 6 or any(c in abbreviation for c in "〔〕[]【】0123456789"):
        raise ValidationFailed(
            _(
                "The abbreviation is the organ's short name for document numbers, such as 金督 (no year or digits)."
            ),
            field="abbreviation",
        )
    conf = DocumentSettings.objects.select_for_update().filter(plan=plan).first()
    before = None
    if conf is None:
        conf = DocumentSettings(plan=plan)
    else:
        before = {f: getattr(conf, f) for f in ("organ", "abbreviation", "addressees", "copy_to")}
    conf.organ, conf.abbreviation = organ, abbreviation
    conf.addressees, conf.copy_to = addressees.strip(), copy_to.strip()
    conf.save()
    after = {f: getattr(conf, f) for f in ("organ", "abbreviation", "addressees", "copy_to")}
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=conf,
        plan=plan,
        before=before,
        after=after,
    )
    return conf


@transaction.atomic
def bulletin_build(
    *, acting_user: User | None, plan: Plan, period: Period, scope: str = BulletinScope.PERIOD
) -> bytes:
    """The bulletin's .docx bytes, written now; the export is recorded."""
    _check(acting_user, plan, period)
    number = Bulletin.objects.filter(plan=plan).count() + 1
    content = bulletin_docx(
        bulletin_data(plan, period),
        heading_for(plan, number=number, scope=scope, issued_on=timezone.localdate()),
    )
    audit_record(
        actor=acting_user,
        action=Action.EXPORT,
        obj=plan,
        plan=plan,
        after={"format": "bulletin", "period": str(period)},
    )
    return content


@transaction.atomic
def bulletin_request(
    *, acting_user: User | None, plan: Plan, period: Period, scope: str = BulletinScope.PERIOD
) -> Bulletin:
    """Queue a bulletin (numbered 第N期 within the plan); the task writes it after this transaction commits."""
    from minsheng.bulletins.tasks import generate_bulletin

    _check(acting_user, plan, period)
    if scope not in BulletinScope.values:
        raise ValidationFailed(_("Choose what the bulletin covers."), field="scope")
    Plan.objects.select_for_update().filter(
        pk=plan.pk
    ).order_by().first()  # one number per bulletin, in order
    number = (Bulletin.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    bulletin = Bulletin.objects.create(
        plan=plan, period=period, requested_by=acting_user, scope=scope, number=number
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=bulletin,
        plan=plan,
        after={"period": str(period), "scope": scope, "number": number},
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
        issued_on = timezone.localtime(bulletin.requested_at).date()
        heading = heading_for(
            bulletin.plan, number=bulletin.number or 1, scope=bulletin.scope, issued_on=issued_on
        )
        content = bulletin_docx(data, heading)
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
        if bulletin.file.name:  # written before the step that failed: no half-made bulletin is kept
            bulletin.file.storage.delete(bulletin.file.name)
            bulletin.file.name = ""
        bulletin.state = BulletinState.FAILED
        bulletin.error = f"{type(exc).__name__}: {exc}"
        bulletin.finished_at = timezone.now()
        bulletin.save(update_fields=["file", "state", "error", "finished_at"])
    return bulletin


def _step(bulletin: Bulletin, state: str, progress: int) -> None:
    bulletin.state = state
    bulletin.progress = progress
    bulletin.save(update_fields=["state", "progress"])
