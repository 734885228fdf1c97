"""The text reader: decoding, and tables flattened to text turned back into rows."""

from __future__ import annotations

import codecs

import pytest

from minsheng.parsing import ParseError
from minsheng.parsing.blocks import Paragraph, Table
from minsheng.parsing.readers.text import decode_text, document_from_text

LIST = "2024年新河县民生实事项目清单\n1.新建学校2所。\n"


@pytest.mark.parametrize(
    "data",
    [
        LIST.encode("utf-8"),
        codecs.BOM_UTF8 + LIST.encode("utf-8"),
        LIST.encode("utf-16"),  # with its BOM
        LIST.encode("gbk"),
        LIST.encode("gb18030"),
    ],
)
def test_decode_text_reads_the_usual_encodings(data: bytes) -> None:
    assert decode_text(data, "list.txt") == LIST


def test_decode_text_reads_traditional_characters_in_gb18030() -> None:
    text = "責任單位：縣教育局"
    assert decode_text(text.encode("gb18030"), "x.txt") == text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4])
def test_decode_text_refuses_binary_data_saying_so(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        decode_text(data, "photo.png")
    assert info.value.file == "photo.png"
    assert "binary" in info.value.reason


def test_decode_text_refuses_undecodable_bytes_with_the_offset() -> None:
    with pytest.raises(ParseError) as info:
        decode_text("清单".encode() + b"\xff\xff\xff\xfe\x80", "bad.txt")
    assert info.value.location.startswith("byte ")


def test_plain_lines_become_paragraphs_with_line_numbers_for_crlf_and_lf() -> None:
    for newline in ("\n", "\r\n", "\r"):
        doc = document_from_text(newline.join(["标题", "", "1.第一项。", "2.第二项。"]), name="a.txt")
        assert [(b.text, b.location) for b in doc.blocks if isinstance(b, Paragraph)] == [
            ("标题", "line 1"),
            ("1.第一项。", "line 3"),
            ("2.第二项。", "line 4"),
        ]
        assert doc.name == "a.txt"


def test_tab_cells_make_rows_and_untabbed_lines_continue_the_cell() -> None:
    text = (
        "\t序号\n\t项目名称\n\t责任单位\n\n\t1\n\t优学金沙\n（常有优学）\n\t区教育局\n\n\t\n\t\n\t区卫健局\n"
    )
    doc = document_from_text(text)
    (table,) = doc.blocks
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [
        ["序号", "项目名称", "责任单位"],
        ["1", "优学金沙\n（常有优学）", "区教育局"],
        ["", "", "区卫健局"],
    ]
    assert table.rows[1].location == "line 5"


def test_pipe_rows_including_markdown_tables_with_a_separator_row() -> None:
    text = "清单\n| 序号 | 项目名称 | 责任单位 |\n| --- | --- | --- |\n| 1 | 就业帮扶 | 区人社局 |\n\n后记"
    doc = document_from_text(text)
    assert isinstance(doc.blocks[0], Paragraph)
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [["序号", "项目名称", "责任单位"], ["1", "就业帮扶", "区人社局"]]
    assert isinstance(doc.blocks[2], Paragraph) and doc.blocks[2].text == "后记"


def test_bare_pipe_rows_keep_their_empty_cells() -> None:
    doc = document_from_text("序號 | 項目名稱 | 責任單位 | |\n1 | 工程★ | 縣教育局 | |\n")
    (table,) = doc.blocks
    assert isinstance(table, Table)
    assert table.rows[1].texts == ["1", "工程★", "縣教育局", "", ""]


def test_tab_separated_rows_from_a_spreadsheet() -> None:
    doc = document_from_text("2024年清单\n序号\t项目名称\t责任单位\n1\t少年宫\t县教育局\n")
    assert isinstance(doc.blocks[0], Paragraph)
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert table.rows[1].texts == ["1", "少年宫", "县教育局"]


def test_one_cell_per_line_table_with_header_cells_broken_over_lines() -> None:
    cells = [
        "序号", "项目名称", "项目建设规模及内容", "建设起\n止年限", "总投资\n(万元)", "资金", "来源", "责任", "单位",
        "1", "城市用气", "提升工程", "对28个小区进行改造,安装燃气安全装置13000套,让更多市民用上天然气。",
        "2023.01-2023.12", "1200", "国企投资", "城投集团",
        "2", "山塘水库综合整治工程", "完成6座小型水库加固改造,消除安全隐患,提升蓄水灌溉能力。",
        "2023.01-2023.12", "4600", "政府投资", "水利局",
    ]  # fmt: skip
    doc = document_from_text("附件\n\n" + "\n\n".join(cells) + "\n")
    table = doc.blocks[1]
    assert isinstance(table, Table)
    header = [t.replace("\n", "") for t in table.rows[0].texts]
    assert header == [
        "序号",
        "项目名称",
        "项目建设规模及内容",
        "建设起止年限",
        "总投资(万元)",
        "资金来源",
        "责任单位",
    ]
    assert table.rows[1].texts[:2] == ["1", "城市用气\n提升工程"]
    assert table.rows[1].texts[-1] == "城投集团"
    assert table.rows[2].texts[1] == "山塘水库综合整治工程"
    assert len(table.rows) == 3


def test_lines_that_only_look_like_a_header_stay_paragraphs() -> None:
    doc = document_from_text("序号\n\n这是一段很长的说明文字，并不是表格的表头，也不会被当成表格来读。\n")
    assert all(isinstance(b, Paragraph) for b in doc.blocks)


def test_one_cell_per_line_table_without_blank_lines_after_a_title() -> None:
    text = "2023年民生实事项目计划表\n序号\n项目名称\n建设内容\n责任\n单位\n1\n城市用气\n提升工程\n安装燃气安全装置13000套。\n城投集团\n2\n山塘整治\n完成6座小型水库加固改造。\n水利局\n"
    doc = document_from_text(text)
    assert isinstance(doc.blocks[0], Paragraph)
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [
        ["序号", "项目名称", "建设内容", "责任\n单位"],
        ["1", "城市用气\n提升工程", "安装燃气安全装置13000套。", "城投集团"],
        ["2", "山塘整治", "完成6座小型水库加固改造。", "水利局"],
    ]
