"""Build the Jintan 2024 list as .docx, .xlsx, .pdf and .html from its GOLD structure.

The documents are laid out the way district offices publish them: a 附件 line and the title above one
table 序号 / 项目名称 / 主要内容 / 责任单位 / 配合单位, with the project's number and name merged down
its rows and a unit cell merged down consecutive items that share it. The merges are real (python-docx
`cell.merge`, openpyxl `merge_cells`, HTML rowspan), so the readers are tested on the structure Word and
Excel actually write.
"""

from __future__ import annotations

import functools
import html as html_lib
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus" / "shared"
GOLD_PATH = CORPUS / "gold" / "jintan-2024.json"
TEXT_PATH = CORPUS / "docs" / "jintan-2024.txt"
HEADER = ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
COLUMN_CM = [1.2, 2.6, 8.6, 2.6, 2.8]  # widths as offices set them: the content column is the wide one
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def load_gold() -> dict[str, Any]:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@dataclass
class Span:
    """A cell of the logical table: its lines, and how many rows it covers (1 = not merged)."""

    lines: list[str]
    rows: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def table_grid(gold: dict[str, Any]) -> list[list[Span | None]]:
    """The list as a grid of data rows (no header). A merged cell is a `Span` with rows > 1 in its top
    row and None in the rows it covers. Number and name are merged over the project's items; a unit
    cell is merged over consecutive items of the project that have the same, non-empty, units."""
    grid: list[list[Span | None]] = []
    for project in gold["projects"]:
        items = project["items"]
        first = len(grid)
        for item in items:
            grid.append([None, None, Span([item["text"]]), None, None])
        name_lines = [project["name"]] + ([f"（{project['alias']}）"] if project.get("alias") else [])
        grid[first][0] = Span([str(project["no"])], rows=len(items))
        grid[first][1] = Span(name_lines, rows=len(items))
        for column, key in ((3, "lead_units"), (4, "partner_units")):
            index = 0
            while index < len(items):
                end = index + 1
                units = items[index][key]
                while units and end < len(items) and items[end][key] == units:
                    end += 1
                grid[first + index][column] = Span(list(units), rows=end - index)
                index = end
    return grid


def title_lines(gold: dict[str, Any]) -> list[str]:
    return ["附件", gold["title"]]


# --- .docx ----------------------------------------------------------------------------------------


def build_docx(
    gold: dict[str, Any] | None = None,
    *,
    split_after: int | None = None,
    auto_number: bool = False,
    header_repeats: bool = True,
) -> bytes:
    """The list as a Word table with real vertical merges.

    `split_after`: end the table after that many data rows and continue in a second table that
    repeats the header row (a table split across pages by hand). `auto_number`: the 序号 column uses
    Word's automatic numbering instead of typed numbers.
    """
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    gold = gold or load_gold()
    grid = table_grid(gold)
    word = Document()
    for line in title_lines(gold):
        word.add_paragraph(line)
    parts = [grid] if split_after is None else [grid[:split_after], grid[split_after:]]
    num_id = _add_decimal_numbering(word) if auto_number else None
    for part in parts:
        table = word.add_table(rows=len(part) + 1, cols=len(HEADER))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in enumerate(COLUMN_CM):
            table.columns[column].width = Cm(width)
            for cell in table.columns[column].cells:
                cell.width = Cm(width)
        for column, label in enumerate(HEADER):
            table.cell(0, column).text = label
        if header_repeats:
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            marker = OxmlElement("w:tblHeader")
            marker.set(qn("w:val"), "true")
            tr_pr.append(marker)
        for r, row in enumerate(part, start=1):
            for c, span in enumerate(row):
                if span is None:
                    continue
                rows = min(span.rows, len(part) - r + 1)
                cell = table.cell(r, c)
                if rows > 1:
                    cell = cell.merge(table.cell(r + rows - 1, c))
                if c == 0 and num_id is not None:
                    _number_paragraph(cell.paragraphs[0], num_id)
                    continue
                _write_lines(cell, span.lines)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _write_lines(cell: Any, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def _add_decimal_numbering(word: Any) -> str:
    """Add a numbering definition "%1" (decimal) to the document and return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = word.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/><w:lvlJc w:val="center"/></w:lvl></w:abstractNum>'
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(num.tag)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _number_paragraph(paragraph: Any, num_id: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


# --- .xlsx ----------------------------------------------------------------------------------------


def build_xlsx(
    gold: dict[str, Any] | None = None, *, order: list[int] | None = None, notes_sheet: bool = True
) -> bytes:
    """The list as a workbook: an unrelated first sheet, then sheet 清单 with a merged title row, a blank
    spacer row, the header, merged cells and a blank spacer row between two projects.

    `order`: the column order as indices into HEADER (the header is found by its labels)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    gold = gold or load_gold()
    grid = table_grid(gold)
    order = order or list(range(len(HEADER)))
    book = Workbook()
    if notes_sheet:
        notes = book.active
        notes.title = "填表说明"
        notes["A1"] = "请各责任单位于每月5日前报送进展情况。"
        notes["A2"] = "联系人：张三，电话：0519-12345678"
        sheet = book.create_sheet("清单")
    else:
        sheet = book.active
        sheet.title = "清单"
    sheet.cell(row=1, column=1, value=title_lines(gold)[0])
    sheet.cell(row=2, column=1, value=title_lines(gold)[1])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    header_row = 4  # row 3 is a blank spacer
    for position, index in enumerate(order, start=1):
        sheet.cell(row=header_row, column=position, value=HEADER[index])
    row_no = header_row + 1
    middle = len(gold["projects"]) // 2
    grid_row = 0
    for p_index, project in enumerate(gold["projects"]):
        if p_index == middle:
            row_no += 1  # blank spacer row between two projects
        for _ in project["items"]:
            for position, index in enumerate(order, start=1):
                span = grid[grid_row][index]
                if span is None:
                    continue
                value: Any = span.text
                if index == 0:
                    value = int(span.text)
                cell = sheet.cell(row=row_no, column=position, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if span.rows > 1:
                    sheet.merge_cells(
                        start_row=row_no,
                        start_column=position,
                        end_row=row_no + span.rows - 1,
                        end_column=position,
                    )
            row_no += 1
            grid_row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- .html ----------------------------------------------------------------------------------------


def build_html(gold: dict[str, Any] | None = None) -> bytes:
    """The list as a published page: site navigation, header, a script, the table with rowspan, a footer.
    Encoded in GBK as many government sites are."""
    gold = gold or load_gold()
    grid = table_grid(gold)

    def cell_html(span: Span) -> str:
        body = "<br/>".join(html_lib.escape(line) for line in span.lines)
        rowspan = f' rowspan="{span.rows}"' if span.rows > 1 else ""
        return f"<td{rowspan}>{body}</td>"

    rows = ["<tr>" + "".join(f"<th>{label}</th>" for label in HEADER) + "</tr>"]
    for row in grid:
        rows.append("<tr>" + "".join(cell_html(span) for span in row if span is not None) + "</tr>")
    title = html_lib.escape(gold["title"])
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_金坛区人民政府</title>
<style>td {{ border: 1px solid #000; }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码 1、2、3");</script>
</head><body>
<header><div class="logo">金坛区人民政府</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>1. 政策文件</li></ul></nav>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article">
<h1>{title}</h1>
<p class="info">发布时间：2024-02-20　来源：区政府办</p>
<div class="TRS_Editor">
<p>附件</p>
<p style="text-align:center">{title}</p>
<table border="1" cellspacing="0">
{chr(10).join(rows)}
</table>
</div></div>
<footer><p>版权所有：金坛区人民政府　苏ICP备12345678号</p></footer>
<script>console.log("1、2、3")</script>
</body></html>"""
    return page.encode("gbk")


# --- .pdf -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def jintan_pdf() -> tuple[bytes, str]:
    """`build_pdf()` made once per test session (LibreOffice takes seconds)."""
    return build_pdf()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def build_pdf(gold: dict[str, Any] | None = None) -> tuple[bytes, str]:
    """The list as a text-based PDF: LibreOffice converting the .docx when it is installed, else fpdf2
    drawing the table with the CJK font. Returns (pdf bytes, how it was made); raises RuntimeError when
    neither is available (the caller skips with that reason)."""
    gold = gold or load_gold()
    office = soffice()
    if office:
        return _pdf_from_docx(office, build_docx(gold)), "LibreOffice from the .docx"
    if CJK_FONT.exists():
        return _pdf_with_fpdf(gold), "fpdf2"
    raise RuntimeError(f"no LibreOffice (soffice) and no CJK font at {CJK_FONT} to build a PDF")


def _pdf_from_docx(office: str, docx_bytes: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="minsheng-pdf-") as tmp:
        source = Path(tmp) / "jintan.docx"
        source.write_bytes(docx_bytes)
        return _blind_make().docx_to_pdf(source, office).read_bytes()


@functools.cache
def _blind_make() -> Any:
    """The blind corpus maker (a script, not a package), for its one LibreOffice conversion."""
    from score_corpora import load_module

    return load_module("blind_make", CORPUS.parent / "blind" / "make.py")


def _pdf_with_fpdf(gold: dict[str, Any]) -> bytes:
    from fpdf import FPDF, FontFace

    grid = table_grid(gold)
    pdf = FPDF(orientation="landscape")
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=9)
    pdf.add_page()
    for line in title_lines(gold):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    plain = FontFace(emphasis="")
    with pdf.table(
        col_widths=(10, 25, 150, 30, 35), line_height=5, repeat_headings=1, headings_style=plain
    ) as table:
        table.row(HEADER)
        for grid_row in grid:
            row = table.row()
            for span in grid_row:
                if span is not None:
                    row.cell(span.text, rowspan=span.rows)
    return bytes(pdf.output())


def grid_mismatches(rows: list[Any], grid: list[list[Span | None]]) -> list[str]:
    """Differences between a reader's data rows and the grid: text per cell, `continued` exactly on
    the cells under a merge. Empty list when they agree."""
    problems = []
    if len(rows) != len(grid):
        problems.append(f"{len(rows)} data rows, expected {len(grid)}")
    for row, expected in zip(rows, grid, strict=False):
        if len(row.cells) != len(expected):
            problems.append(f"{row.location}: {len(row.cells)} cells, expected {len(expected)}")
            continue
        for column, (cell, span) in enumerate(zip(row.cells, expected, strict=True)):
            if span is not None:
                if cell.continued or cell.text != span.text:
                    problems.append(
                        f"{row.location} col {column}: {cell.text!r} (continued={cell.continued})"
                    )
            elif not cell.continued:
                problems.append(f"{row.location} col {column}: not marked continued")
    return problems


# --- files that are not lists ---------------------------------------------------------------------


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def letter_docx() -> bytes:
    """An ordinary Word letter: paragraphs, no list."""
    from docx import Document

    word = Document()
    for line in (
        "关于召开2024年第一季度工作例会的通知",
        "各科室：",
        "经研究，定于2024年3月5日上午9时在三楼会议室召开第一季度工作例会，请各科室负责人准时参加。",
        "特此通知。",
        "区政府办公室",
        "2024年2月28日",
    ):
        word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def staff_xlsx() -> bytes:
    """A spreadsheet with a table that is not a list of projects (no 项目/内容/单位 columns)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "通讯录"
    sheet.append(["姓名", "性别", "电话", "科室"])
    sheet.append(["张三", "男", "13800000000", "办公室"])
    sheet.append(["李四", "女", "13900000000", "财务科"])
    book.create_sheet("Sheet2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encrypted_office() -> bytes:
    """What Word writes for a password-protected .docx: not a zip but an OLE2 compound file holding
    the streams EncryptionInfo and EncryptedPackage. Header and directory entries are laid out as in
    the format (MS-CFB); the encrypted payload itself is random."""
    import random
    import struct

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = struct.pack("<H", 0x3E)  # minor version
    header[26:28] = struct.pack("<H", 3)  # major version 3: 512-byte sectors
    header[28:30] = b"\xfe\xff"  # little-endian
    header[30:32] = struct.pack("<H", 9)
    header[32:34] = struct.pack("<H", 6)
    directory = bytearray()
    for index, name in enumerate(["Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]):
        entry = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded))
        entry[66] = 5 if index == 0 else 2
        directory += entry
    payload = random.Random(7).randbytes(4096)
    return bytes(header) + bytes(directory) + payload


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def zip_bomb(member_mb: int = 24) -> bytes:
    """A .docx-shaped zip whose document part inflates ~1000 times (zeros compress that well)."""
    import zipfile

    out = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w") as member:
            for _ in range(member_mb):
                member.write(chunk)
    return out.getvalue()


# --- any document in another format ---------------------------------------------------------------


def docx_from_document(document: Any) -> bytes:
    """A `Document` (e.g. the text reader's) written as Word: paragraphs as paragraphs, tables as
    ruled tables with one Word paragraph per line of a cell."""
    from docx import Document
    from docx.shared import Mm

    from minsheng.parsing.blocks import Paragraph

    word = Document()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph(block.text)
            continue
        width = max(len(r.cells) for r in block.rows)
        if width > 6:  # wide tables are printed on A3 landscape, as offices do
            section = word.sections[0]
            section.page_width, section.page_height = Mm(420), Mm(297)
            section.left_margin = section.right_margin = Mm(15)
        table = word.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row.cells):
                if cell.continued and r > 0:  # a vertically merged cell, as Word writes it
                    table.cell(r - 1, c).merge(table.cell(r, c))
                else:
                    _write_lines(table.cell(r, c), cell.text.split("\n"))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def html_from_document(document: Any) -> bytes:
    """A `Document` written as a web page with site navigation around it."""
    from minsheng.parsing.blocks import Paragraph

    parts = ["<nav><a href='/'>首页</a> 1. 政务公开</nav>"]
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{html_lib.escape(block.text)}</p>")
            continue
        rows = []
        for r, row in enumerate(block.rows):
            cells = []
            for c, cell in enumerate(row.cells):
                if cell.continued and r > 0:
                    continue  # covered by the rowspan of the cell above
                span = 1
                while (
                    r + span < len(block.rows)
                    and c < len(block.rows[r + span].cells)
                    and block.rows[r + span].cells[c].continued
                ):
                    span += 1
                lines = "<br>".join(html_lib.escape(x) for x in cell.text.split("\n"))
                cells.append(f"<td rowspan='{span}'>{lines}</td>" if span > 1 else f"<td>{lines}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("<table border='1'>" + "".join(rows) + "</table>")
    page = "<html><head><meta charset='utf-8'><script>var x = '2、3';</script></head><body>{}</body></html>"
    return page.format("\n".join(parts)).encode("utf-8")


def pdf_from_docx(docx_bytes: bytes) -> bytes:
    """LibreOffice's PDF of a .docx; RuntimeError when LibreOffice is not installed."""
    office = soffice()
    if not office:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    return _pdf_from_docx(office, docx_bytes)
