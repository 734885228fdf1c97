"""The progress bulletin (进展通报) as a 公文 after GB/T 9704-2012 (bulletins.gongwen): red 版头 with the
issuing organ and 文号, 小标宋 title, 仿宋 body, 黑体/楷体 headings, light colours in the tables, 落款 and
抄送/印发. Plain paragraphs and tables only, so the office can edit it in Word or WPS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from minsheng.alerts.status import Status, status_colour
from minsheng.bulletins.choices import BulletinScope
from minsheng.bulletins.gongwen import Gongwen
from minsheng.bulletins.selectors import BulletinData, ItemLine
from minsheng.funds.bulletin import bulletin_funds
from minsheng.progress.choices import Cycle

# Always Chinese: the bulletin is an official document, whatever language the office's browser uses.
STATUS_ZH = {
    Status.DONE: "已完成",
    Status.ON_TRACK: "正常推进",
    Status.LAGGING: "滞后",
    Status.SEVERE: "严重滞后",
    Status.NOT_STARTED: "未开始",
    Status.TERMINATED: "终止",
    Status.UNMEASURED: "无量化指标",
}
OP_ZH = {"=": "", ">=": "≥", "<=": "≤", "~": "约"}
# Units of things counted one by one: a count is shown as a whole number (完成15个, never 完成1.93个).
COUNT_UNITS = frozenset("个所家座处户台辆套间张只条项人次名批栋幢部块口眼")


def status_zh(value: str) -> str:
    """The Chinese word for a status value (unknown values as they are)."""
    try:
        return STATUS_ZH[Status(value)]
    except ValueError:
        return value


def _num(value: Decimal | None, unit: str = "") -> str:
    """A figure as written in a 公文: counts of things whole (rounded down: 1.93 个 done is 1 个), other
    quantities with at most two decimals."""
    if value is None:
        return "—"
    if unit and unit[-1] in COUNT_UNITS:
        value = value.quantize(Decimal(1), rounding=ROUND_DOWN)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def period_title(data: BulletinData, scope: str = BulletinScope.PERIOD) -> str:
    """（2024年6月）, （2024年第二季度） or （2024年度）."""
    start = data.period.start
    end = data.period.end
    if scope == BulletinScope.YEAR:
        return f"（{start.year}年度）"
    cycle = getattr(getattr(data.plan, "reporting_settings", None), "cycle", Cycle.MONTHLY)
    if scope == BulletinScope.QUARTER or cycle == Cycle.QUARTERLY or end.month != start.month:
        quarter = "一二三四"[(end.month - 1) // 3]
        return f"（{end.year}年第{quarter}季度）"
    return f"（{start.year}年{start.month}月）"


def _targets(item: ItemLine) -> str:
    if not item.targets:
        return "—"
    return "\n".join(
        f"{t.quote}：目标{OP_ZH.get(t.op, '')}{_num(t.value, t.unit)}{t.unit}，"
        f"完成{_num(t.reached, t.unit)}{t.unit if t.reached is not None else ''}"
        for t in item.targets
    )


def summary(data: BulletinData) -> str:
    """The opening paragraph with the figures."""
    c = data.counts
    total = len(data.items)
    text = (
        f"{data.plan.year}年，{data.region}共实施民生实事项目{len(data.projects)}大类{total}项。"
        f"截至{data.on.month}月{data.on.day}日，已完成{c.get(Status.DONE, 0)}项，"
        f"正常推进{c.get(Status.ON_TRACK, 0)}项，滞后{c.get(Status.LAGGING, 0)}项，"
        f"严重滞后{c.get(Status.SEVERE, 0)}项，未开始{c.get(Status.NOT_STARTED, 0)}项"
    )
    if c.get(Status.TERMINATED):
        text += f"，终止{c[Status.TERMINATED]}项"
    text += f"；总体完成率{_pct(data.completion)}，序时进度{_pct(data.expected)}。"
    late = sum(u.late for u in data.ranking)
    missing = sum(u.missing for u in data.ranking)
    if late or missing:
        text += f"本期逾期报送{late}项，未报送{missing}项。"
    return text


@dataclass(frozen=True)
class Heading:
    """How the document is headed and signed (bulletins.models.DocumentSettings, or defaults)."""

    organ: str
    number: str
    addressees: str = ""
    copy_to: str = ""
    issued_on: dt.date | None = None
    scope: str = BulletinScope.PERIOD


def default_heading(data: BulletinData, number: int = 1) -> Heading:
    """The region's 民生实事 office as the organ when the plan's settings name none."""
    return Heading(organ=f"{data.region}民生实事项目推进办公室", number=f"第{number}期")


def _light(status: str) -> str:
    try:
        return status_colour(status)
    except ValueError:
        return "grey"


def bulletin_docx(data: BulletinData, heading: Heading | None = None) -> bytes:
    """The bulletin as .docx bytes."""
    heading = heading or default_heading(data)
    issued_on = heading.issued_on or data.on
    doc = Gongwen()
    doc.head(heading.organ, heading.number)
    doc.title(f"关于{data.plan.year}年民生实事项目进展情况的通报", period_title(data, heading.scope))
    doc.addressees(heading.addressees)

    doc.heading("一、总体情况")
    doc.body(summary(data))
    bulletin_funds(doc, data)  # 资金: planned, in place, paid (funds.bulletin)

    doc.heading("二、各项目推进情况")
    for project in data.projects:
        doc.heading(f"（{_zh_number(project.no)}）{project.name}", level=2)
        doc.table(
            ["序号", "主要内容", "责任单位", "目标与完成", "状态"],
            [
                [str(n), item.text, "\n".join(item.lead_units), _targets(item), status_zh(item.status)]
                for n, item in enumerate(project.items, start=1)
            ],
            [1.4, 5.1, 2.5, 4.2, 2.4],
            colours=[(4, _light(item.status)) for item in project.items],
        )

    doc.heading("三、滞后及严重滞后项目")
    behind = sorted(data.behind, key=lambda i: (i.status != Status.SEVERE, -(i.expected - i.completion)))
    if behind:
        doc.table(
            ["项目内容", "责任单位", "配合单位", "完成率/序时", "状态", "原因"],
            [
                [
                    item.text,
                    "\n".join(item.lead_units),
                    "\n".join(item.partner_units),
                    f"{_pct(item.completion)}/{_pct(item.expected)}",
                    status_zh(item.status),
                    item.problems or ("未按期报送进度" if item.report_overdue else "—"),
                ]
                for item in behind
            ],
            [3.8, 2.1, 2.1, 2.4, 2.4, 2.8],
            colours=[(4, _light(item.status)) for item in behind],
        )
    else:
        doc.body("本期无滞后项目。")

    doc.heading("四、逾期报送单位")
    if data.late_units:
        doc.body(
            "；".join(f"{u.name}（逾期{u.late}项、未报送{u.missing}项）" for u in data.late_units) + "。"
        )
    else:
        doc.body("本期各责任单位均按时报送。")

    doc.heading("五、责任单位排名")
    doc.table(
        ["名次", "责任单位", "牵头项目数", "按时报送", "平均完成率"],
        [
            [str(n), u.name, str(u.items), f"{u.on_time}/{u.items}", _pct(u.completion)]
            for n, u in enumerate(data.ranking, start=1)
        ],
        [1.4, 5.2, 3.0, 3.0, 3.0],
    )
    doc.heading("六、下步要求")
    doc.body(
        "各责任单位要对照序时进度，加快推进滞后项目，按时、如实报送进展情况；"
        "严重滞后项目的责任单位须于下期报送整改措施。"
    )
    doc.signature(heading.organ, issued_on)
    doc.record(copy_to=heading.copy_to, printer=heading.organ, day=issued_on)
    return doc.bytes()


def _zh_number(n: int) -> str:
    """一 … 九十九 for heading numbers."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])
