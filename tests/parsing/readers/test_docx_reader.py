"""The .docx reader: order of blocks, merged cells, numbering, split tables, damaged files."""

from __future__ import annotations

import io
import zipfile

import pytest
from builders import (
    build_docx,
    encrypted_office,
    grid_mismatches,
    letter_docx,
    load_gold,
    table_grid,
    truncated,
)
from docx import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from minsheng.parsing.blocks import Paragraph, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import read_bytes
from minsheng.parsing.readers.docx import chinese_number, format_number


def _save(word) -> bytes:
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_jintan_table_with_vertical_merges():
    document = read_bytes(build_docx(), "jintan.docx")
    paragraphs = [b for b in document.blocks if isinstance(b, Paragraph)]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [p.text for p in paragraphs] == ["附件", "2024年常州市金坛区民生实事项目清单"]
    assert len(tables) == 1
    assert tables[0].rows[0].texts == ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
    assert grid_mismatches(tables[0].rows[1:], table_grid(load_gold())) == []
    assert tables[0].rows[2].location == "table 1, row 3"
    assert document.blocks.index(tables[0]) == 2  # after the two paragraphs: document order


def test_table_split_by_hand_with_repeated_header_and_auto_numbers_is_one_table():
    document = read_bytes(build_docx(split_after=15, auto_number=True), "jintan.docx")
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert sum(r.texts[0] == "序号" for r in rows) == 1
    # the 序号 column is Word's automatic numbering: resolved to the numbers a reader sees
    assert [r.cells[0].text for r in rows[1:] if not r.cells[0].continued] == [str(n) for n in range(1, 11)]
    assert grid_mismatches(rows[1:], table_grid(load_gold())) == []


def test_tables_with_a_heading_between_stay_apart():
    word = WordDocument()
    for heading in ("一、教育类", "二、卫生类"):
        word.add_paragraph(heading)
        table = word.add_table(rows=2, cols=3)
        for c, text in enumerate(["序号", "项目名称", "责任单位"]):
            table.cell(0, c).text = text
        for c, text in enumerate(["1", "新建学校", "区教育局"]):
            table.cell(1, c).text = text
    document = read_bytes(_save(word), "two.docx")
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph", "Table"]
    assert document.blocks[3].location == "table 2"


def test_one_cell_frame_around_the_list_is_not_a_table():
    word = WordDocument()
    frame = word.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "2024年民生实事项目清单"
    inner = frame.add_table(rows=2, cols=2)
    for c, text in enumerate(["序号", "项目名称"]):
        inner.cell(0, c).text = text
    for c, text in enumerate(["1", "新建学校"]):
        inner.cell(1, c).text = text
    blocks = read_bytes(_save(word), "frame.docx").blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    assert [r.texts for r in blocks[1].rows] == [["序号", "项目名称"], ["1", "新建学校"]]


def test_horizontally_merged_cell_is_counted_once():
    word = WordDocument()
    table = word.add_table(rows=3, cols=4)
    for c, text in enumerate(["序号", "项目名称", "主要内容", "责任单位"]):
        table.cell(0, c).text = text
    merged = table.cell(1, 0).merge(table.cell(1, 3))
    merged.text = "一、教育类"
    for c, text in enumerate(["1", "新建学校", "新建学校2所", "区教育局"]):
        table.cell(2, c).text = text
    rows = read_bytes(_save(word), "h.docx").blocks[0].rows
    assert rows[1].texts == ["一、教育类"]
    assert rows[2].texts == ["1", "新建学校", "新建学校2所", "区教育局"]


def _numbering(word, abstract_id: int, levels: list[tuple[str, str]]) -> str:
    """Add a list definition with (numFmt, lvlText) per level; return its numId."""
    numbering = word.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    existing = numbering.find(abstract.tag.replace("abstractNum", "num"))
    if existing is not None:
        existing.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{abstract_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return str(abstract_id)


def _numbered(word, text: str, num_id: str, level: int = 0) -> None:
    paragraph = word.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def test_list_written_as_numbered_paragraphs_gets_its_markers():
    word = WordDocument()
    headings = _numbering(word, 41, [("chineseCounting", "%1、"), ("decimal", "（%2）")])
    entries = _numbering(word, 42, [("decimal", "%1.")])
    _numbered(word, "教育类", headings)
    _numbered(word, "新建学校。责任单位：区教育局", headings, level=1)
    _numbered(word, "改造操场。责任单位：区教育局", headings, level=1)
    _numbered(word, "卫生类", headings)
    _numbered(word, "新建医院。", headings, level=1)
    word.add_paragraph("")
    _numbered(word, "第一项", entries)
    _numbered(word, "第二项", entries)
    texts = [b.text for b in read_bytes(_save(word), "list.docx").blocks]
    assert texts == [
        "一、教育类",
        "（1）新建学校。责任单位：区教育局",
        "（2）改造操场。责任单位：区教育局",
        "二、卫生类",
        "（1）新建医院。",  # the sub-level restarts under a new heading
        "1.第一项",
        "2.第二项",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (3, "chineseCounting", "三"),
        (12, "chineseCountingThousand", "十二"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (4, "chineseLegalSimplified", "肆"),
        (3, "upperLetter", "C"),
        (28, "lowerLetter", "bb"),
        (9, "upperRoman", "IX"),
        (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"),
        (7, "decimal", "7"),
    ],
)
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 110, 1001)] == ["一", "十", "十一", "一百一十", "一千零一"]


def test_tracked_changes_count_as_accepted_and_field_codes_are_hidden():
    word = WordDocument()
    paragraph = word.add_paragraph("新建学校")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>3所</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>2所</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:instrText>PAGE</w:instrText></w:r>"))
    paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:tab/><w:t>。</w:t><w:br/><w:t>下一行</w:t></w:r>"))
    [block] = read_bytes(_save(word), "t.docx").blocks
    assert block.text == "新建学校3所\t。\n下一行"


def test_macro_enabled_document_is_read():
    data = build_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            dst.writestr(info, content)
    document = read_bytes(out.getvalue(), "清单.docm")
    assert any(isinstance(b, Table) for b in document.blocks)


def test_letter_is_read_as_paragraphs():
    document = read_bytes(letter_docx(), "通知.docx")
    assert all(isinstance(b, Paragraph) for b in document.blocks)
    assert document.blocks[0].location == "paragraph 1"


def test_empty_document_is_refused():
    with pytest.raises(ParseError, match="no text"):
        read_bytes(_save(WordDocument()), "空白.docx")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_docx_is_a_clear_error(keep):
    with pytest.raises(ParseError) as caught:
        read_bytes(truncated(build_docx(), keep), "清单.docx")
    assert caught.value.file == "清单.docx"
    assert "damaged" in caught.value.reason


def test_password_protected_docx_is_a_clear_error():
    with pytest.raises(ParseError, match="password-protected"):
        read_bytes(encrypted_office(), "加密清单.docx")


def test_document_part_that_is_not_xml_is_a_clear_error():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(build_docx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, b"<w:document><w:body>" if info.filename == "word/document.xml" else content)
    with pytest.raises(ParseError, match="Word document"):
        read_bytes(out.getvalue(), "坏.docx")
