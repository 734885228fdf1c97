"""Official documents after GB/T 9704-2012: the bulletin (月度/季度/年度) and the 督办函, read back with
python-docx and rendered by LibreOffice to PDF (page count, fonts, 版头/文号/落款, no cell past the margin)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from dashboard.scenario import approve, build
from factories import PASSWORD
from minsheng.bulletins.choices import BulletinScope
from minsheng.bulletins.document import _num
from minsheng.bulletins.gongwen import FANGSONG, HEITI, KAITI, XIAOBIAOSONG
from minsheng.bulletins.models import DocumentSettings
from minsheng.bulletins.selectors import period_for
from minsheng.bulletins.services import bulletin_build, document_settings_set
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from parsing.corpus.blind.make import docx_to_pdf

pytestmark = pytest.mark.django_db
ORGAN = "常州市金坛区人民政府督查室"
MM = 72 / 25.4  # points per millimetre


@pytest.fixture
def scenario(district: Any) -> Any:
    scn = build(district)
    items = scn.items()
    approve(scn, items[0], 6, "1", milestones="done")
    approve(scn, items[1], 6, "0.2", problems="征地手续未办结")
    approve(scn, items[2], 6, "0.5")
    document_settings_set(
        acting_user=scn.office,
        plan=scn.plan,
        organ=ORGAN,
        abbreviation="金督",
        addressees="各镇人民政府、街道办事处，区各有关部门",
        copy_to="区委办，区人大办，区政协办",
    )
    return scn


def _doc(scenario: Any, scope: str = BulletinScope.PERIOD) -> Any:
    period = period_for(scenario.plan, "2024-06")
    return Document(
        io.BytesIO(bulletin_build(acting_user=None, plan=scenario.plan, period=period, scope=scope))
    )


def _fonts(paragraph: Any) -> set[str]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs if r.text.strip()}


def test_the_bulletin_has_the_official_parts_and_faces(scenario: Any) -> None:
    doc = _doc(scenario)
    paragraphs = list(doc.paragraphs)
    texts = [p.text for p in paragraphs]
    head = paragraphs[0]
    assert head.text == ORGAN and _fonts(head) == {XIAOBIAOSONG}
    assert head.runs[0].font.color.rgb == RGBColor(0xE6, 0x00, 0x12)  # red 版头
    number = next(p for p in paragraphs if p.text == "金督〔2024〕1号")
    assert 'w:color="E60012"' in number._p.xml  # the red line under the number
    title = next(p for p in paragraphs if p.text.startswith("关于"))
    assert _fonts(title) == {XIAOBIAOSONG} and title.runs[0].font.size.pt == 22  # 二号
    assert "各镇人民政府、街道办事处，区各有关部门：" in texts
    assert _fonts(next(p for p in paragraphs if p.text == "一、总体情况")) == {HEITI}
    level_two = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert _fonts(level_two) == {KAITI}
    body = next(p for p in paragraphs if p.text.startswith("2024年，"))
    assert _fonts(body) == {FANGSONG} and body.runs[0].font.size.pt == 16  # 三号
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    # 落款 and 版记.
    assert texts.count(ORGAN) == 2 and "2024年6月30日" not in texts[:5]
    assert "抄送：区委办，区人大办，区政协办。" in texts
    assert any(t.endswith("印发") and t.startswith(ORGAN) for t in texts)
    section = doc.sections[0]
    margins = [
        round(m.cm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [3.7, 3.5, 2.8, 2.6]
    assert doc.settings.odd_and_even_pages_header_footer
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    assert "— " in section.footer.paragraphs[0].text
    # Light colours in the tables: the 已完成 cell is shaded blue.
    done_cell = next(c for t in doc.tables for r in t.rows for c in r.cells if c.text == "已完成")
    assert 'w:fill="DDEBF7"' in done_cell._tc.xml


def test_font_names_reach_word_and_wps_with_alternatives(scenario: Any) -> None:
    doc = _doc(scenario)
    names = {el.get(qn("w:eastAsia")) for el in doc.element.body.iter(qn("w:rFonts"))}
    assert {XIAOBIAOSONG, FANGSONG, HEITI, KAITI} <= names
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = font_table.blob.decode()
    assert 'w:name="仿宋_GB2312"' in xml and 'w:val="仿宋"' in xml and 'w:val="楷体"' in xml


def test_quarterly_and_yearly_bulletins_come_from_the_monthly_reports(scenario: Any) -> None:
    texts = [p.text for p in _doc(scenario, BulletinScope.QUARTER).paragraphs]
    assert "（2024年第二季度）" in texts
    texts = [p.text for p in _doc(scenario, BulletinScope.YEAR).paragraphs]
    assert "（2024年度）" in texts


def test_counts_are_whole_numbers() -> None:
    assert _num(Decimal("1.93"), "个") == "1" and _num(Decimal("0.46"), "家") == "0"
    assert _num(Decimal("12.50"), "公里") == "12.5" and _num(Decimal("3.333"), "万元") == "3.33"
    assert _num(Decimal("15"), "所") == "15"


def test_only_the_office_sets_the_heading_and_bad_input_is_refused(scenario: Any) -> None:
    with pytest.raises(NotAllowed):
        document_settings_set(
            acting_user=scenario.reviewer, plan=scenario.plan, organ="x", abbreviation="金督"
        )
    with pytest.raises(ValidationFailed):
        document_settings_set(
            acting_user=scenario.office, plan=scenario.plan, organ="x", abbreviation="金督〔2024〕"
        )
    with pytest.raises(ValidationFailed):
        document_settings_set(acting_user=scenario.office, plan=scenario.plan, organ=" ", abbreviation="金督")
    assert DocumentSettings.objects.get(plan=scenario.plan).organ == ORGAN


def test_the_office_sets_the_heading_on_the_bulletins_page(client: Any, scenario: Any) -> None:
    client.login(username=scenario.office.username, password=PASSWORD)
    response = client.post(
        reverse("bulletins:index"),
        {"form": "documents", "plan": scenario.plan.pk, "organ": "金坛区民生办", "abbreviation": "金民"},
    )
    assert response.status_code == 302
    assert DocumentSettings.objects.get(plan=scenario.plan).abbreviation == "金民"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_bulletin_within_the_margins(tmp_path: Path, scenario: Any) -> None:
    period = period_for(scenario.plan, "2024-06")
    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin_build(acting_user=None, plan=scenario.plan, period=period))
    with pdfplumber.open(docx_to_pdf(source)) as pdf:
        assert 2 <= len(pdf.pages) <= 8
        first = pdf.pages[0].extract_text().replace(" ", "")  # pdfplumber spaces digits from 汉字
        assert ORGAN in first and "金督〔2024〕1号" in first
        last = pdf.pages[-1].extract_text().replace(" ", "")
        assert "2024年6月30日" not in first and "印发" in last and "抄送" in last
        texts = "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
        assert "严重滞后" in texts  # the status column holds its word on one line
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        # A CJK face rendered every character (the official one where installed, else a substitute).
        assert any(("CJK" in f or "Zen" in f or "Song" in f or "Kai" in f or "Hei" in f) for f in fonts), (
            fonts
        )
        left, right = 28 * MM, pdf.pages[0].width - 26 * MM
        for page in pdf.pages:
            body = [c for c in page.chars if c["top"] < page.height - 30 * MM]  # leave out the page number
            assert min(c["x0"] for c in body) >= left - 2 * MM, page.page_number
            assert max(c["x1"] for c in body) <= right + 2 * MM, page.page_number  # no cell spills over
            for table in page.find_tables():
                for cell in (c for row in table.rows for c in row.cells if c):
                    x0, top, x1, bottom = cell
                    inside = [
                        c
                        for c in page.chars
                        if top <= c["top"] and c["bottom"] <= bottom and x0 - 1 <= c["x0"] <= x1
                    ]
                    assert all(c["x1"] <= x1 + 1 for c in inside), (page.page_number, cell)
        numbers = " ".join(page.extract_text() for page in pdf.pages)
        assert "— 1 —" in numbers and "— 2 —" in numbers


def _notice(scenario: Any) -> Any:
    from minsheng.supervision.services import notice_issue

    item = scenario.items()[1]
    return notice_issue(
        acting_user=scenario.office,
        item=item,
        reason="征地手续未办结，进度严重滞后于序时。",
        measures="倒排工期，落实专人，每周报送进展。",
        reply_deadline=dt.date(2027, 1, 10),
    )


def test_each_notice_has_its_supervision_letter(client: Any, scenario: Any) -> None:
    notice = _notice(scenario)
    client.login(username=scenario.office.username, password=PASSWORD)
    detail = client.get(reverse("supervision:notice_detail", args=[notice.pk])).content.decode()
    url = reverse("supervision:notice_letter", args=[notice.pk])
    assert url in detail
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts[0] == ORGAN and "金督函〔2024〕1号" in texts and "督办函" in texts
    assert f"{notice.unit.name}：" in texts
    assert any("征地手续未办结" in t for t in texts) and any("2027年1月10日前" in t for t in texts)
    assert "抄送：区委办，区人大办，区政协办。" in texts


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_letter_on_one_page(tmp_path: Path, scenario: Any) -> None:
    from minsheng.bulletins.letters import notice_docx

    source = tmp_path / "letter.docx"
    source.write_bytes(notice_docx(_notice(scenario)))
    with pdfplumber.open(docx_to_pdf(source)) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text().replace(" ", "")
        assert ORGAN in text and "督办函" in text and "印发" in text
