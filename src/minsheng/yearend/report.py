"""The annual completion report to the people's congress (民生实事项目年度完成情况报告) as a 公文 .docx, in
the bulletin's official layout (`bulletins.gongwen`: 版头 with 文号, 小标宋 title, 仿宋 body, 落款, 版记).

Per project and item: what was promised, what was achieved, the final result, the reasons for a
shortfall (the ending's reason, else the last counted report's 存在问题), the carry-over, and the money
planned and paid (万元, from `funds`, frozen with the final result).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.status import Status, status_colour
from minsheng.bulletins.choices import BulletinScope
from minsheng.bulletins.document import OP_ZH, status_zh
from minsheng.bulletins.document import _num as figure
from minsheng.bulletins.gongwen import Gongwen, chinese_date
from minsheng.bulletins.models import Bulletin
from minsheng.bulletins.services import heading_for
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.selectors import region_display_name
from minsheng.plans.models import Plan
from minsheng.progress.choices import OutcomeKind
from minsheng.yearend.models import YearClose
from minsheng.yearend.selectors import ItemLine, completion_lines, unfinished

ENDING_ZH: dict[str, str] = {
    OutcomeKind.DONE: "已完成（验收）",
    OutcomeKind.ADJUSTED: "调整后完成",
    OutcomeKind.TERMINATED: "终止",
}
_CN_DIGITS = "一二三四五六七八九十"


def _value(raw: Any, unit: str) -> str:
    return "—" if raw is None else f"{figure(Decimal(str(raw)), unit)}{unit}"


def promised(line: ItemLine) -> str:
    parts = [f"{t['quote']}（{OP_ZH.get(t['op'], '')}{_value(t['value'], t['unit'])}）" for t in line.targets]
    parts += [m["quote"] for m in line.milestones]
    return "\n".join(parts) or line.item.text


def achieved(line: ItemLine) -> str:
    parts = [f"完成{_value(t.get('reached'), t['unit'])}" for t in line.targets]
    parts += [
        f"{m['quote']}：{'已完成' if m.get('state') == 'done' else '推进中' if m.get('state') else '未开始'}"
        for m in line.milestones
    ]
    text = "\n".join(parts)
    if line.targets or line.milestones:
        text += f"\n完成率{line.completion * 100:.1f}%"
    return text or "—"


def money(line: ItemLine) -> str:
    """计划投资 and 已支付 (万元) frozen at the close; — for an item without planned money."""
    funds = (line.result.values or {}).get("funds")
    if not funds:
        return "—"
    return f"计划{_wan(funds['planned'])}\n到位{_wan(funds['in_place'])}\n已支付{_wan(funds['paid'])}"


def _wan(raw: Any) -> str:
    return f"{figure(Decimal(str(raw)))}万元"


def outcome(line: ItemLine) -> str:
    word = status_zh(line.result.status)
    if line.result.ending:
        word = ENDING_ZH.get(line.result.ending, word)
    return word + ("（已更正）" if line.result.corrected else "")


def shortfall(line: ItemLine) -> str:
    """Reasons and carry-over of an unfinished or terminated item; empty for a done one."""
    result = line.result
    if Status(result.status) == Status.DONE:
        return ""
    reasons = result.ending_reason or result.problems or "未说明原因"
    text = f"原因：{reasons}"
    if line.carried is not None:
        text += f"\n结转至{line.carried.item.project.plan.year}年（{line.carried.item.project.plan.title}）"
    return text


def _document_number(plan: Plan) -> int:
    """The next number in the plan's documents (after its bulletins)."""
    top = Bulletin.objects.filter(plan=plan).aggregate(top=Max("number"))["top"] or 0
    return top + 1


def completion_report_docx(plan: Plan, issued_on: dt.date | None = None) -> bytes:
    """The closed year's completion report as .docx bytes; raises ValidationFailed while it is open."""
    close = YearClose.objects.filter(plan=plan).first()
    if close is None:
        raise ValidationFailed(
            _("Close the year first: the completion report shows the frozen final results.")
        )
    issued_on = issued_on or timezone.localdate()
    lines = completion_lines(plan)
    region = region_display_name(plan.region)
    heading = heading_for(plan, number=_document_number(plan), scope=BulletinScope.YEAR, issued_on=issued_on)
    items = [line for project in lines for line in project.items]
    counts: dict[str, int] = {}
    for line in items:
        counts[line.result.status] = counts.get(line.result.status, 0) + 1
    left = [line for line in items if unfinished(line.result)]
    carried = [line for line in left if line.carried is not None]

    doc = Gongwen()
    doc.head(heading.organ, heading.number)
    doc.title(f"关于{plan.year}年民生实事项目完成情况的报告", f"（{plan.year}年度）")
    doc.addressees(f"{region}人民代表大会常务委员会")
    doc.body(
        f"{plan.year}年，{region}共实施民生实事项目{len(lines)}大类{len(items)}项。"
        f"以{chinese_date(close.reading_on)}为年终认定日，已完成{counts.get(Status.DONE, 0)}项，"
        f"终止{counts.get(Status.TERMINATED, 0)}项，未完成{len(left)}项"
        + (f"，其中{len(carried)}项结转至{plan.year + 1}年继续实施" if carried else "")
        + "。现将完成情况报告如下。"
    )
    funded: list[dict[str, str]] = [
        f for f in ((line.result.values or {}).get("funds") for line in items) if f
    ]
    if funded:
        total = {k: sum((Decimal(f[k]) for f in funded), Decimal(0)) for k in ("planned", "in_place", "paid")}
        doc.body(
            f"{len(funded)}项有计划投资，共计{_wan(total['planned'])}，"
            f"到位{_wan(total['in_place'])}，已支付{_wan(total['paid'])}。"
        )
    doc.heading("一、分项目完成情况")
    rows, colours = [], []
    for project in lines:
        for line in project.items:
            rows.append(
                [
                    f"{project.project.no}. {project.project.name}",
                    promised(line),
                    achieved(line),
                    money(line),
                    outcome(line),
                    shortfall(line) or "—",
                ]
            )
            colours.append((4, status_colour(line.result.status)))
    doc.table(
        ["项目", "承诺目标", "完成情况", "资金", "结果", "未完成原因及结转"],
        rows,
        [2.2, 3.6, 2.8, 2.2, 1.6, 3.2],
        colours=colours,
    )
    doc.heading("二、未完成项目及原因")
    if left:
        for n, line in enumerate(left, start=1):
            number = _CN_DIGITS[n - 1] if n <= len(_CN_DIGITS) else str(n)
            doc.heading(f"（{number}）{line.item.project.name}", level=2)
            doc.body(f"{line.item.text}{outcome(line)}。{shortfall(line).replace(chr(10), '；')}。")
    else:
        doc.body("所有项目均已完成。")
    doc.heading("三、结转安排")
    if carried:
        doc.body(
            f"{len(carried)}项未完成项目结转至{plan.year + 1}年，按剩余目标继续实施，"
            "实施情况在下一年度民生实事项目中跟踪公开。"
        )
    else:
        doc.body("无结转项目。")
    corrected = [line for line in items if line.result.corrected]
    if corrected:
        doc.body(f"年度关账后，{len(corrected)}项结果经记录更正，本报告按更正后结果统计。")
    doc.signature(heading.organ, issued_on)
    doc.record(copy_to=heading.copy_to, printer=heading.organ, day=issued_on)
    return doc.bytes()


def report_filename(plan: Plan) -> str:
    return f"{plan.title}-年度完成情况报告.docx"
