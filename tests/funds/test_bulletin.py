"""The bulletin's funds paragraph: money as of the period's end, and the items paying behind schedule."""

from __future__ import annotations

import io

import pytest
from docx import Document

from minsheng.bulletins.document import bulletin_docx
from minsheng.bulletins.selectors import bulletin_data
from minsheng.funds.services import planned_funds_set, report_funds_save
from minsheng.progress.services import report_approve, report_submit
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_bulletin_has_the_funds_paragraph(world: World) -> None:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "1000"})
    report = filled_report(world, world.item, world.period(6))
    report_funds_save(acting_user=world.reporter, report=report, in_place="400", paid="100")
    report_submit(acting_user=world.reporter, report=report, confirmed=True)
    report_approve(acting_user=world.reviewer, report=report)
    text = text_of(bulletin_docx(bulletin_data(world.plan, world.period(6))))
    # 30 June: 181 of 365 days → 49.6 % due; 10 % paid is 39.6 points behind → severe (threshold 30).
    assert (
        "资金方面，1个项目计划投资1000万元，已到位400万元（占40.0%），已支付100万元（占10.0%，序时应支付49.6%）"
        in text
    )
    assert "严重滞后" in text and "10.0%/49.6%" in text


def test_no_money_no_paragraph(world: World) -> None:
    text = text_of(bulletin_docx(bulletin_data(world.plan, world.period(1))))
    assert "资金方面" not in text
