"""The progress bulletin (进展通报) as a Word document in the official look: 黑体 title, 仿宋 body, A4,
page numbers in the footer. Plain paragraphs and tables only, so the office can edit it in Word."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from minsheng.alerts.status import Status
from minsheng.bulletins.selectors import BulletinData, ItemLine
from minsheng.interchange.exporters.docx_style import (
    FANGSONG,
    HEITI,
    add_page_number_footer,
    page_setup,
    repeat_as_header,
    set_font,
    write_lines,
)
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
TABLE_PT = 10.5
BODY_PT = 16


def status_zh(value: str) -> str:
    """The Chinese word for a status value (unknown values as they are)."""
    try:
        return STATUS_ZH[Status(value)]
    except ValueError:
        return value


def _num(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def period_title(data: BulletinData) -> str:
    """（2024年6月） or （2024年第二季度）."""
    start = data.period.start
    cycle = getattr(getattr(data.plan, "reporting_settings", None), "cycle", Cycle.MONTHLY)
    if cycle == Cycle.QUARTERLY or data.period.end.month != start.month:
        quarter = "一二三四"[(start.month - 1) // 3]
        return f"（{start.year}年第{quarter}季度）"
    return f"（{start.year}年{start.month}月）"


def _heading(doc: DocxDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    set_font(paragraph.add_run(text), HEITI, BODY_PT)


def _body(doc: DocxDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    set_font(paragraph.add_run(text), FANGSONG, BODY_PT)


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table; `widths` in cm add up to the 15.6 cm between the margins."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    repeat_as_header(table.rows[0])
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        write_lines(cell, label, HEITI, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            write_lines(cell, value, FANGSONG, TABLE_PT)
    # Word reads the cell widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _targets(item: ItemLine) -> str:
    if not item.targets:
        return "—"
    return "\n".join(
        f"{t.quote}：目标{OP_ZH.get(t.op, '')}{_num(t.value)}{t.unit}，完成{_num(t.reached)}{t.unit if t.reached is not None else ''}"
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


def bulletin_docx(data: BulletinData) -> bytes:
    doc = Document()
    page_setup(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(f"{data.region}民生实事项目进展通报"), HEITI, 22)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(sub.add_run(period_title(data)), FANGSONG, BODY_PT)

    _heading(doc, "一、总体情况")
    _body(doc, summary(data))

    _heading(doc, "二、各项目推进情况")
    for project in data.projects:
        paragraph = doc.add_paragraph()
        set_font(paragraph.add_run(f"{project.no}. {project.name}"), HEITI, 14)
        _table(
            doc,
            ["序号", "主要内容", "责任单位", "目标与完成", "状态"],
            [
                [
                    str(n),
                    item.text,
                    "\n".join(item.lead_units),
                    _targets(item),
                    status_zh(item.status),
                ]
                for n, item in enumerate(project.items, start=1)
            ],
            [1.3, 5.9, 2.4, 4.1, 1.9],
        )

    _heading(doc, "三、滞后及严重滞后项目")
    behind = sorted(data.behind, key=lambda i: (i.status != Status.SEVERE, -(i.expected - i.completion)))
    if behind:
        _table(
            doc,
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
            [4.6, 2.2, 2.2, 2.2, 1.6, 2.8],
        )
    else:
        _body(doc, "本期无滞后项目。")

    _heading(doc, "四、逾期报送单位")
    if data.late_units:
        _body(
            doc,
            "；".join(f"{u.name}（逾期{u.late}项、未报送{u.missing}项）" for u in data.late_units) + "。",
        )
    else:
        _body(doc, "本期各责任单位均按时报送。")

    _heading(doc, "五、责任单位排名")
    _table(
        doc,
        ["名次", "责任单位", "牵头项目数", "按时报送", "平均完成率"],
        [
            [str(n), u.name, str(u.items), f"{u.on_time}/{u.items}", _pct(u.completion)]
            for n, u in enumerate(data.ranking, start=1)
        ],
        [1.4, 5.0, 3.0, 3.0, 3.2],
    )
    _heading(doc, "六、下步要求")
    _body(
        doc,
        "各责任单位要对照序时进度，加快推进滞后项目，按时、如实报送进展情况；"
        "严重滞后项目的责任单位须于下期报送整改措施。",
    )
    add_page_number_footer(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
