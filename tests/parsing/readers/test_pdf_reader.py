"""The PDF reader: tables across pages, wrapped lines, paragraphs, scans and protected files."""

from __future__ import annotations

import io

import pytest
from builders import CJK_FONT, grid_mismatches, jintan_pdf, load_gold, png_bytes, table_grid

from minsheng.parsing import limits
from minsheng.parsing.blocks import Cell, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import read_bytes
from minsheng.parsing.readers.pdf import _drop_running_lines, _join_pages, _wraps, join_wrapped_texts

needs_font = pytest.mark.skipif(not CJK_FONT.exists(), reason=f"no CJK font at {CJK_FONT} to draw test PDFs")


@pytest.fixture(scope="module")
def jintan() -> bytes:
    try:
        return jintan_pdf()[0]
    except RuntimeError as exc:
        pytest.skip(str(exc))


def _fpdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=11)
    return pdf


def test_jintan_table_over_several_pages_is_one_table(jintan):
    document = read_bytes(jintan, "jintan.pdf")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert [p.text for p in paragraphs] == ["附件", "2024年常州市金坛区民生实事项目清单"]
    assert paragraphs[0].location == "page 1"
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0].texts == ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    # wrapped lines joined, one unit per line kept, merges across rows and pages restored
    assert grid_mismatches(rows[1:], table_grid(load_gold())) == []
    assert rows[-1].location.startswith("page ")


@needs_font
def test_paragraph_list_with_wrapped_lines():
    pdf = _fpdf()
    pdf.add_page()
    entries = [
        "一、教育类",
        "1.新建学校。" + "优化教育布局，改善办学条件，推动城乡教育资源提质扩容。" * 3 + "责任单位：区教育局",
        "2.改造操场。责任单位：区教育局",
    ]
    for entry in entries:
        pdf.multi_cell(120, 7, entry, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "- 1 -", align="C")  # a page number, not content
    document = read_bytes(bytes(pdf.output()), "list.pdf")
    assert [b.text for b in document.blocks] == entries
    assert {b.location for b in document.blocks} == {"page 1"}


@needs_font
def test_scanned_pdf_is_refused_saying_ocr_is_not_supported(tmp_path):
    image = tmp_path / "scan.png"
    image.write_bytes(png_bytes())
    pdf = _fpdf()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    with pytest.raises(ParseError) as caught:
        read_bytes(bytes(pdf.output()), "扫描件.pdf")
    assert "scan" in caught.value.reason
    assert "OCR is not supported" in caught.value.reason


@needs_font
def test_password_protected_pdf_is_refused():
    pdf = _fpdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(0, 10, "序号 项目名称")
    with pytest.raises(ParseError, match="password-protected"):
        read_bytes(bytes(pdf.output()), "加密.pdf")


@needs_font
def test_page_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PAGES", 2)
    pdf = _fpdf()
    for n in range(3):
        pdf.add_page()
        pdf.cell(0, 10, f"第{n + 1}页")
    with pytest.raises(ParseError, match="3 pages, more than the limit of 2"):
        read_bytes(bytes(pdf.output()), "长.pdf")


def test_damaged_pdf_is_a_clear_error():
    with pytest.raises(ParseError) as caught:
        read_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "坏.pdf")
    assert caught.value.file == "坏.pdf"


@pytest.mark.parametrize(
    ("previous", "line", "full", "names_only", "wraps"),
    [
        ("优化教育布局，改善办学条件，推动城乡", "教育资源提质扩容。", True, False, True),
        ("新增城镇就业1.5万个以上。", "加强职业技能培训。", False, False, False),
        ("区教育局", "区财政局", True, True, False),  # a narrow cell filled by one unit name
        ("各镇（街道）", "金坛建设", True, True, False),
        ("常州市金坛区住房和城乡", "建设局", True, True, True),
        ("对全县70所", "中小学校教室照明改造", True, True, True),  # a count, not a name
        ("所", "中", True, True, True),  # one character is no name (a very narrow column)
        ("优学金沙", "（常有优学）", True, True, False),
        ("佛山市生态环境局", "顺德分局", True, True, True),  # a branch named by its place only
        ("区资源规划局", "金坛公安分局", True, True, False),  # a whole unit name
        ("区安委办", "消防救援大队", True, True, False),
        ("区民政局、团", "区委、总工会", True, True, True),  # one character after 、 is no name
        ("（常有优", "学）", False, True, True),  # an open bracket continues
        ("惠及学生3500", "余名。", False, False, False),
        ("全年新增", "。", False, False, True),  # a line never starts with closing punctuation
        ("持续改善育人环境，提供更安全", "2.改造操场", True, False, False),  # a new entry
    ],
)
def test_line_wrap_decisions(previous, line, full, names_only, wraps):
    assert _wraps(previous, line, full=full, names_only=names_only) is wraps


def test_join_of_a_cell_cut_by_a_page_break():
    assert join_wrapped_texts("惠及学生", "4.4万余名。") == "惠及学生4.4万余名。"
    assert join_wrapped_texts("区民政局\n团区委", "总工会") == "区民政局\n团区委\n总工会"


def _table(location: str, *rows: list[str | tuple[str, bool]]) -> Table:
    def cell(value):
        return Cell(*value) if isinstance(value, tuple) else Cell(value)

    return Table(rows=[Row(cells=[cell(v) for v in r], location=location) for r in rows], location=location)


def test_tables_continued_on_the_next_page_are_joined():
    header = ["序号", "项目名称", "主要内容", "责任单位"]
    page1 = _table("page 1, table 1", header, ["1", "优学金沙", "新建学校3所，惠及学生", "区教育局"])
    page2 = _table(
        "page 2, table 1",
        header,
        ["", "", "3500余名。", ""],  # the rest of the cut row
        ["", "", "改造操场2个。", ""],  # the project's merged cells go on with empty parts
        [("", True), ("", True), "新建食堂1个。", ("", True)],
        ["2", "健康金沙", "新建医院1所。", "区卫健局"],
    )
    [table] = _join_pages([page1, page2])
    assert [r.texts for r in table.rows] == [
        header,
        ["1", "优学金沙", "新建学校3所，惠及学生3500余名。", "区教育局"],
        ["1", "优学金沙", "改造操场2个。", "区教育局"],
        ["1", "优学金沙", "新建食堂1个。", "区教育局"],
        ["2", "健康金沙", "新建医院1所。", "区卫健局"],
    ]
    assert all(c.continued for r in table.rows[2:4] for c in (r.cells[0], r.cells[1], r.cells[3]))


def test_a_row_cut_after_a_full_stop_is_joined_when_its_empty_unit_cell_gives_it_away():
    """Every other row names its units; the row at the top of page 2 leaves them empty, so it is the
    rest of the row above even though that stops at a full stop (a cell of two paragraphs)."""
    header = ["序号", "项目名称", "主要内容", "责任单位"]
    page1 = _table(
        "page 1, table 1",
        header,
        ["1", "优学金沙", "新建学校3所。", "区教育局"],
        ["", "", "改造操场2个。", "区体育局"],
        ["", "", "不负所托，缓解带娃难。", "团区委"],
    )
    page2 = _table("page 2, table 1", header, ["", "", "开展暑托班35场以上。", ""])
    [table] = _join_pages([page1, page2])
    assert table.rows[-1].texts[2:] == ["不负所托，缓解带娃难。开展暑托班35场以上。", "团区委"]
    assert len(table.rows) == 4


def test_a_new_row_after_a_full_stop_stays_when_rows_often_leave_units_empty():
    header = ["序号", "项目名称", "主要内容", "责任单位"]
    page1 = _table(
        "page 1, table 1",
        header,
        ["1", "优学金沙", "新建学校3所。", "区教育局"],
        ["", "", "改造操场2个。", ""],  # units written once per project
        ["2", "健康金沙", "新建医院1所。", "区卫健局"],
    )
    page2 = _table("page 2, table 1", header, ["", "", "新增床位100张。", ""])
    [table] = _join_pages([page1, page2])
    assert len(table.rows) == 5


def test_running_header_does_not_split_a_table():
    header = ["序号", "项目名称", "主要内容"]
    title = Paragraph(text="2024年民生实事项目清单", location="page 1")
    pages = [
        [title, _table("page 1, table 1", header, ["1", "优学金沙", "新建学校3所。"])],
        [
            Paragraph(text="2024年民生实事项目清单", location="page 2"),
            _table("page 2, table 1", header, ["2", "健康金沙", "新建医院1所。"]),
        ],
    ]
    blocks = _join_pages([b for page in _drop_running_lines(pages) for b in page])
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    assert [r.texts[0] for r in blocks[1].rows] == ["序号", "1", "2"]


def test_same_line_at_the_foot_of_one_page_and_the_head_of_another_is_content():
    pages = [
        [Paragraph("1.新建学校3所。", "page 1"), Paragraph("责任单位：区教育局", "page 1")],
        [Paragraph("2.改造操场2个。", "page 2"), Paragraph("责任单位：区财政局", "page 2")],
        [Paragraph("责任单位：区教育局", "page 3"), Paragraph("3.新建医院1所。", "page 3")],
    ]
    assert _drop_running_lines(pages) == pages


def test_tables_of_different_width_are_not_joined():
    page1 = _table("page 1, table 1", ["序号", "项目名称"], ["1", "优学金沙"])
    page2 = _table("page 2, table 1", ["a", "b", "c"])
    assert len(_join_pages([page1, page2])) == 2


def test_bytes_that_only_start_like_a_pdf():
    with pytest.raises(ParseError):
        read_bytes(b"%PDF-" + io.BytesIO(b"\x00" * 64).read(), "x.pdf")
