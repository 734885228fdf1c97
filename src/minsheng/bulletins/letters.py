"""The 督办函 (supervision letter) of a notice as a 公文 (bulletins.gongwen): 版头 with the plan's issuing
organ and 文号, the addressed lead unit, the item and its light, the problem, the required measures and
the reply deadline, 落款 and 抄送 (the leader in charge is copied where the plan's settings say so)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.bulletins.gongwen import Gongwen, chinese_date, document_number
from minsheng.bulletins.models import DocumentSettings
from minsheng.orgs.selectors import region_display_name


def notice_number(notice: Any) -> int:
    """The notice's serial within its plan and year: 1 for the first notice issued."""
    from minsheng.supervision.models import SupervisionNotice

    plan_id = notice.item.project.plan_id
    return SupervisionNotice.objects.filter(item__project__plan_id=plan_id, pk__lte=notice.pk).count()


def notice_docx(notice: Any) -> bytes:
    """The letter as .docx bytes."""
    plan = notice.item.project.plan
    conf = DocumentSettings.objects.filter(plan=plan).first()
    organ = conf.organ if conf else f"{region_display_name(plan.region)}民生实事项目推进办公室"
    serial = notice_number(notice)
    # Letters (函) have their own series: 金督函〔2024〕3号.
    number = document_number(f"{conf.abbreviation}函" if conf else "督办函", plan.year, serial)
    issued_on = timezone.localtime(notice.created_at).date()
    item = notice.item
    doc = Gongwen()
    doc.head(organ, number)
    doc.title("督办函", gap=False)  # a letter keeps to one page: no blank lines around its title and 落款
    doc.addressees(notice.unit.name)
    doc.body(
        f"根据{plan.year}年民生实事项目推进情况，你单位牵头的“{item.project.no}. {item.project.name}”"
        f"中“{item.text}”推进滞后，现予督办。"
    )
    doc.heading("一、存在问题")
    doc.body(notice.reason)
    doc.heading("二、整改要求")
    doc.body(notice.measures)
    doc.heading("三、办理时限")
    doc.body(f"请于{chinese_date(notice.reply_deadline)}前将整改措施及进展情况书面报送{organ}。")
    doc.signature(organ, issued_on, gap=False)
    doc.record(copy_to=conf.copy_to if conf else "", printer=organ, day=issued_on)
    return doc.bytes()


@transaction.atomic
def notice_letter_export(*, acting_user: Any, notice: Any) -> bytes:
    """The 督办函 of `notice`, its download recorded (callers check `can_view_notice`)."""
    content = notice_docx(notice)
    audit_record(
        actor=acting_user,
        action=Action.EXPORT,
        obj=notice,
        plan=notice.item.project.plan,
        after={"format": "督办函"},
    )
    return content
