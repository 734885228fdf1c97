"""The plan as .docx/.xlsx in the official attachment layout, read back with python-docx, openpyxl and the
project's own parser."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from minsheng.audit.choices import Action
from minsheng.audit.models import AuditEvent
from minsheng.demo.services import demo_regions
from minsheng.interchange.exporters.plan_docx import plan_docx
from minsheng.interchange.exporters.plan_xlsx import plan_xlsx
from minsheng.interchange.services import plan_import
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import parse_bytes, parse_file

GOLD = Path(__file__).resolve().parents[1] / "parsing" / "corpus" / "shared" / "gold"

pytestmark = pytest.mark.django_db


def import_gold(name: str = "jintan-2024.json"):
    parsed = ParsedPlan.from_dict(json.loads((GOLD / name).read_text(encoding="utf-8")))
    region = demo_regions()
    return plan_import(
        acting_user=None, parsed=parsed, region=region, year=parsed.year or 2024, source_name=name
    ).plan


def shape(plan: ParsedPlan) -> list[tuple]:
    """What a round trip must keep: projects, names, aliases, items and their units."""
    return [
        (
            p.no,
            p.name,
            p.alias or None,
            p.starred,
            [(i.text, list(i.lead_units), list(i.partner_units)) for i in p.items],
        )
        for p in plan.projects
    ]


def test_docx_has_official_layout():
    plan = import_gold()
    doc = Document(io.BytesIO(plan_docx(plan)))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:2] == ["附件", "2024年常州市金坛区民生实事项目清单"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    # Project 1 has three items: its 序号 and 项目名称 cells are one merged cell over three rows.
    states = []
    for row in table.rows[1:5]:
        marks = [tc.tcPr.find(qn("w:vMerge")) for tc in row._tr.tc_lst[:2]]
        states.append(["-" if m is None else m.get(qn("w:val"), "continue") for m in marks])
    assert states == [["restart"] * 2, ["continue"] * 2, ["continue"] * 2, ["restart"] * 2]
    assert table.rows[1].cells[1].text == "优学金沙\n（常有优学）"
    assert table.rows[1].cells[4].text == "各镇（街道）\n金坛建设"  # one unit per line
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 29.7 and round(section.page_height.cm, 1) == 21.0
    fonts = {el.get(qn("w:eastAsia")) for el in doc.element.body.iter(qn("w:rFonts"))}
    assert {"黑体", "仿宋_GB2312"} <= fonts
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml


def test_xlsx_has_official_layout():
    plan = import_gold()
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    ws = book.active
    assert ws["A1"].value == "附件"
    assert ws["A2"].value == "2024年常州市金坛区民生实事项目清单"
    assert [c.value for c in ws[3]] == ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A4:A6" in merged and "B4:B6" in merged
    assert ws["B4"].font.name == "仿宋_GB2312" and ws["A3"].font.name == "黑体"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # 9 = A4


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("gold", ["jintan-2024.json", "05-huaianqu-2024.json", "06-ninghai-2022.json"])
def test_round_trip_through_the_parser(fmt, gold):
    plan = import_gold(gold)
    data = plan_docx(plan) if fmt == "docx" else plan_xlsx(plan)
    expected = ParsedPlan.from_dict(json.loads((GOLD / gold).read_text(encoding="utf-8")))
    back = parse_bytes(data, f"plan.{fmt}")
    assert back.title == plan.title
    assert shape(back) == shape(expected)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json", "csv"])
def test_export_command_writes_each_format(tmp_path, fmt):
    plan = import_gold()
    out = tmp_path / f"plan.{fmt}"
    call_command("export", str(plan.pk), "--format", fmt, "-o", str(out))
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["title"] == plan.title
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert rows[0]["project_name"] == "优学金沙" and rows[0]["target_unit"] == "名"
    else:
        assert len(parse_file(out).projects) == plan.projects.count()
    assert AuditEvent.objects.filter(action=Action.EXPORT, plan=plan, after__format=fmt).count() == 1


def test_export_command_refuses_binary_to_stdout():
    plan = import_gold()
    with pytest.raises(CommandError, match="needs -o FILE"):
        call_command("export", str(plan.pk), "--format", "docx")
