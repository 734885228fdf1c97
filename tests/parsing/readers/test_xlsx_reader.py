"""The .xlsx reader: finding the list's sheet and header, merged cells, spacer rows, limits."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from builders import HEADER, build_xlsx, grid_mismatches, load_gold, staff_xlsx, table_grid
from openpyxl import Workbook

from minsheng.parsing import limits
from minsheng.parsing.blocks import Paragraph, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import read_bytes
from minsheng.parsing.readers.xlsx import cell_text, looks_like_header


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_jintan_sheet_found_past_a_notes_sheet():
    document = read_bytes(build_xlsx(), "jintan.xlsx")
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    assert [(p.text, p.location) for p in paragraphs] == [
        ("附件", "sheet 清单, row 1"),
        ("2024年常州市金坛区民生实事项目清单", "sheet 清单, row 2"),
    ]
    assert table.rows[0].texts == HEADER
    assert table.rows[0].location == "sheet 清单, row 4"
    # merged cells give the top-left value, continued below; the spacer rows are gone
    assert grid_mismatches(table.rows[1:], table_grid(load_gold())) == []


def test_header_found_by_labels_in_any_column_order():
    order = [2, 4, 0, 3, 1]
    [table] = [b for b in read_bytes(build_xlsx(order=order), "j.xlsx").blocks if isinstance(b, Table)]
    assert table.rows[0].texts == [HEADER[i] for i in order]
    expected = [[row[i] for i in order] for row in table_grid(load_gold())]
    assert grid_mismatches(table.rows[1:], expected) == []


def test_the_sheet_with_the_better_header_wins_and_traditional_labels_count():
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append(["项目", "数量"])
    summary.append(["教育", 3])
    sheet = book.create_sheet("清單")
    sheet.append(["序號", "項目名稱", "主要內容", "責任單位", "配合單位"])
    sheet.append([1, "優學", "新建學校3所", "區教育局", "各鎮"])
    document = read_bytes(_save(book), "繁體.xlsx")
    [table] = document.blocks
    assert table.rows[0].location == "sheet 清單, row 1"
    assert table.rows[1].texts == ["1", "優學", "新建學校3所", "區教育局", "各鎮"]


def test_horizontal_merge_counted_once_and_columns_trimmed():
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["B3"], sheet["C3"], sheet["D3"] = "序号", "项目名称", "主要内容"
    sheet["B4"] = "一、教育类"
    sheet.merge_cells("B4:D4")
    sheet["B5"], sheet["C5"], sheet["D5"] = 1, "新建学校", "新建学校2所"
    [table] = read_bytes(_save(book), "h.xlsx").blocks
    assert [r.texts for r in table.rows] == [
        ["序号", "项目名称", "主要内容"],
        ["一、教育类"],
        ["1", "新建学校", "新建学校2所"],
    ]


def test_header_repeated_for_printing_is_dropped():
    book = Workbook()
    sheet = book.active
    for row in (
        ["序号", "项目名称", "主要内容"],
        [1, "新建学校", "新建学校2所"],
        ["序号", "项目名称", "主要内容"],
        [2, "新建医院", "新建医院1所"],
    ):
        sheet.append(row)
    [table] = read_bytes(_save(book), "p.xlsx").blocks
    assert [r.texts[0] for r in table.rows] == ["序号", "1", "2"]


def test_note_row_under_the_table_is_a_paragraph():
    book = Workbook()
    sheet = book.active
    sheet.title = "清单"
    for row in (
        ["序号", "项目名称", "主要内容"],
        [1, "新建学校", "新建学校2所"],
        [2, "新建医院", "新建医院1所"],
    ):
        sheet.append(row)
    sheet["A5"] = "备注：投资金额为预计数。"
    sheet.merge_cells("A5:C5")
    blocks = read_bytes(_save(book), "n.xlsx").blocks
    assert [type(b).__name__ for b in blocks] == ["Table", "Paragraph"]
    assert [r.texts[0] for r in blocks[0].rows] == ["序号", "1", "2"]
    assert (blocks[1].text, blocks[1].location) == ("备注：投资金额为预计数。", "sheet 清单, row 5")


def test_last_item_inside_merged_cells_is_no_note():
    book = Workbook()
    sheet = book.active
    for row in (
        ["序号", "项目名称", "主要内容"],
        [1, "新建学校", "新建学校2所"],
        [None, None, "改造操场1个"],
    ):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    [table] = read_bytes(_save(book), "m.xlsx").blocks
    assert table.rows[-1].texts == ["1", "新建学校", "改造操场1个"]


def test_last_item_with_blank_cells_is_no_note_but_a_note_line_is():
    book = Workbook()
    sheet = book.active
    for row in (
        ["序号", "项目名称", "主要内容"],
        [1, "新建学校", "新建学校2所"],
        [None, None, "改造操场1个"],
        ["注：以上为计划数。", None, None],
    ):
        sheet.append(row)
    blocks = read_bytes(_save(book), "b.xlsx").blocks
    assert blocks[0].rows[-1].texts == ["", "", "改造操场1个"]
    assert blocks[1].text == "注：以上为计划数。"


def test_spreadsheet_without_list_columns_names_the_sheets():
    with pytest.raises(ParseError) as caught:
        read_bytes(staff_xlsx(), "通讯录.xlsx")
    assert "通讯录、Sheet2" in caught.value.reason
    assert "序号" in caught.value.reason
    assert caught.value.file == "通讯录.xlsx"


def test_cell_limit_is_enforced_with_a_location(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 120)
    with pytest.raises(ParseError) as caught:
        read_bytes(build_xlsx(), "j.xlsx")
    assert "more than 120 table cells" in caught.value.reason
    assert caught.value.location.startswith("sheet ")


def _with_sheet_xml(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = edit(content)
            dst.writestr(info, content)
    return out.getvalue()


def test_merge_over_the_whole_sheet_is_refused_before_loading():
    book = Workbook()
    book.active.append(["序号", "项目名称", "主要内容"])
    bomb = _with_sheet_xml(
        _save(book),
        lambda xml: xml.replace(
            b"</worksheet>",
            b'<mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells></worksheet>',
        ),
    )
    assert len(bomb) < 10_000
    with pytest.raises(ParseError) as caught:
        read_bytes(bomb, "merge.xlsx")
    assert "merged cells cover more than" in caught.value.reason
    assert "A2:XFD1048576" in caught.value.location


def test_declared_dimension_is_not_trusted():
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "主要内容"])
    sheet.append([1, "新建学校", "新建学校2所"])
    data = _with_sheet_xml(_save(book), lambda xml: xml.replace(b'ref="A1:C2"', b'ref="A1:XFD1048576"'))
    [table] = read_bytes(data, "dim.xlsx").blocks
    assert [r.texts for r in table.rows] == [
        ["序号", "项目名称", "主要内容"],
        ["1", "新建学校", "新建学校2所"],
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3.0, "3"),
        (4.5, "4.5"),
        (12, "12"),
        (dt.datetime(2024, 6, 30), "2024-06-30"),  # noqa: DTZ001 - a spreadsheet date has no zone
        (dt.date(2024, 12, 31), "2024-12-31"),
        ("  区教育局 \r\n 区财政局 ", "区教育局\n区财政局"),
    ],
)
def test_cell_values_as_shown(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["序号", "项目名称", "主要内容", "责任单位"], True),
        (["编号", "实事项目", "牵头单位", "协办单位"], True),
        (["序号", "建设内容"], True),
        (["序号", "责任单位"], False),  # no project or content column
        (["姓名", "电话"], False),
        (["根据区委区政府部署，全年实施项目名称如下，责任单位负责推进"], False),  # a sentence, not labels
    ],
)
def test_header_recognition(labels, expected):
    assert looks_like_header(labels) is expected
