"""The annual completion report to the people's congress (.docx): the bulletin's 公文 layout, per
project promised and achieved, the final result, reasons for shortfalls, carry-over."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from minsheng.bulletins.services import document_settings_set
from minsheng.core.exceptions import ValidationFailed
from minsheng.funds.services import planned_funds_set, report_funds_save
from minsheng.progress.models import ProgressReport
from minsheng.yearend.report import completion_report_docx
from minsheng.yearend.services import carry_over, year_close, year_end_date_set
from progress.factories import filled_report
from yearend.helpers import lagging

pytestmark = pytest.mark.django_db


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _closed(world):
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "1000", "local": "200"})
    draft = filled_report(world, world.item, world.period(3), "8")
    report_funds_save(acting_user=world.reporter, report=draft, in_place="900", paid="650.5")
    report = lagging(world)
    ProgressReport.objects.filter(pk=report.pk).update(problems="受征地拆迁影响，开工推迟。")
    year_end_date_set(acting_user=world.office, plan=world.plan, on=dt.date(2025, 1, 20))
    year_close(acting_user=world.office, plan=world.plan)
    carry_over(acting_user=world.office, plan=world.plan)


def test_the_report_reads_like_an_official_document(world):
    document_settings_set(
        acting_user=world.office,
        plan=world.plan,
        organ="金坛区民生实事项目推进办公室",
        abbreviation="金民办",
        addressees="各镇（街道）",
        copy_to="区委办，区政府办",
    )
    _closed(world)
    doc = Document(io.BytesIO(completion_report_docx(world.plan, issued_on=dt.date(2025, 1, 22))))
    text = _text(doc)
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == "金坛区民生实事项目推进办公室"  # the red organ mark
    assert paragraphs[1] == "金民办〔2024〕1号"
    assert "关于2024年民生实事项目完成情况的报告" in paragraphs
    assert "常州市金坛区人民代表大会常务委员会：" in paragraphs
    assert "以2025年1月20日为年终认定日，已完成0项，终止0项，未完成1项，其中1项结转至2025年继续实施" in text
    assert "1项有计划投资，共计1200万元，到位900万元，已支付650.5万元。" in text
    header = [cell.text for cell in doc.tables[0].rows[0].cells]
    assert header == ["项目", "承诺目标", "完成情况", "资金", "结果", "未完成原因及结转"]
    row = [cell.text for cell in doc.tables[0].rows[1].cells]
    assert row[0] == "1. 安居金坛"
    assert "改造老旧小区管网20公里（≥20公里）" in row[1]
    assert "完成8公里" in row[2] and "体育馆建成投用：推进中" in row[2]
    assert row[3] == "计划1200万元\n到位900万元\n已支付650.5万元"
    assert row[4] == "严重滞后"
    assert "原因：受征地拆迁影响，开工推迟。" in row[5] and "结转至2025年" in row[5]
    assert "2025年1月22日" in paragraphs  # 落款
    assert "抄送：区委办，区政府办。" in text
    red = doc.paragraphs[0].runs[0].font.color.rgb
    assert str(red) == "E60012"


def test_no_report_while_the_year_is_open(world):
    with pytest.raises(ValidationFailed, match="Close the year first"):
        completion_report_docx(world.plan)


def test_download_from_the_year_end_page(client, world):
    _closed(world)
    url = reverse("yearend:report", args=[world.plan.pk])
    for user in (world.office, world.deputy, world.leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        Document(io.BytesIO(b"".join(response.streaming_content)))
    client.force_login(world.reporter)
    assert client.get(url).status_code == 403
