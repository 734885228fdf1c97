"""Official documents (公文) laid out after GB/T 9704-2012 (党政机关公文格式), for bulletins and 督办函.

- Page: A4, top margin 37 mm, left 28 mm, text block 156 × 225 mm (bottom 35 mm, right 26 mm); body
  三号 (16 pt) 仿宋_GB2312 on a fixed 28.95 pt line (22 lines a page).
- 版头: the issuing organ's mark in red 方正小标宋简体, the document number (发文字号, `金督〔2024〕3号`)
  in 仿宋, then a red line the width of the text block.
- 主体: title 二号 (22 pt) 小标宋 centred; addressees flush left; headings `一、` 黑体 and `（一）` 楷体_GB2312;
  tables 四号/五号 with the header row repeated; the signature (organ and date) right-aligned four
  characters in from the margin.
- 版记: `抄送：…。` and `…印发` between thin lines at the foot; page numbers `— 1 —` in 宋体 四号,
  odd pages right, even pages left.

Fonts are written into every run as East Asian names (`w:rFonts w:eastAsia`), so Word and WPS on a
government PC use the standard faces; the font table gives each an `altName` (仿宋, 楷体, 黑体, 宋体) for
machines without the GB2312 names, and a server rendering to PDF substitutes what fontconfig finds.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from minsheng.interchange.exporters import docx_style

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
# What a machine without the first name should use (font table altName).
ALT_NAMES = {XIAOBIAOSONG: "宋体", FANGSONG: "仿宋", KAITI: "楷体", HEITI: "SimHei", SONGTI: "SimSun"}

ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22.0, 16.0, 14.0, 12.0, 10.5
LINE_PT = 28.95  # 22 lines in the 225 mm text block
RED = RGBColor(0xE6, 0x00, 0x12)
TEXT_WIDTH_CM = 15.6

# Light colours in tables: a pale fill (prints well in black and white too) and a dark word colour, one
# pair per light colour (alerts.status.status_colour).
LIGHT_FILL = {"green": "E2F0D9", "yellow": "FFF2CC", "red": "F8D7DA", "blue": "DDEBF7", "grey": "EDEDED"}
LIGHT_INK = {"green": "1E7A34", "yellow": "8A5A00", "red": "B3261E", "blue": "1D4F91", "grey": "5F6368"}


def chinese_date(day: dt.date) -> str:
    """`2024年7月5日`: Arabic digits, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(abbreviation: str, year: int, number: int) -> str:
    """发文字号 `金督〔2024〕3号` (六角括号, no leading zeros, no 第)."""
    return f"{abbreviation}〔{year}〕{number}号"


def set_font(
    run: Run, name: str, size_pt: float, *, bold: bool = False, colour: RGBColor | None = None
) -> Run:
    """A run in `name` for Chinese and Latin text alike (w:eastAsia written, which Word uses for 汉字)."""
    docx_style.set_font(run, name, size_pt, bold=bold)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _border(paragraph: Paragraph, side: str, *, colour: str, size_eighths: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _shade(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _field(paragraph: Paragraph, code: str, font: str, size: float) -> None:
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None)):
        run = set_font(paragraph.add_run(), font, size)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run("1"), font, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    set_font(paragraph.add_run(), font, size)._element.append(end)


class Gongwen:
    """A 公文 being written, part by part: `head`, `title`, `addressees`, `heading`, `body`, `table`,
    `signature`, `record`, then `bytes()`."""

    def __init__(self) -> None:
        self.doc: DocxDocument = Document()
        self._page()
        self._font_table()

    # ------------------------------------------------------------ page and fonts
    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.8)  # the page number about 7 mm below the text block
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(SANHAO)
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FANGSONG)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT)
        self._page_numbers()

    def _page_numbers(self) -> None:
        """`— 1 —` in 宋体 四号: odd pages right with one character's space, even pages left."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align, indent in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.alignment = align
            if indent == "right":
                paragraph.paragraph_format.right_indent = Pt(SIHAO)
            else:
                paragraph.paragraph_format.left_indent = Pt(SIHAO)
            set_font(paragraph.add_run("— "), SONGTI, SIHAO)
            _field(paragraph, "PAGE", SONGTI, SIHAO)
            set_font(paragraph.add_run(" —"), SONGTI, SIHAO)

    def _font_table(self) -> None:
        """Declare the standard faces with an alternative name and the GB2312 character set."""
        part = next(
            (rel.target_part for rel in self.doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
            None,
        )
        if part is None:
            return
        xml_part = hasattr(part, "_element")
        root = part._element if xml_part else etree.fromstring(part.blob)
        for name, alt in ALT_NAMES.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto")):
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                font.append(child)
            root.append(font)
        if not xml_part:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _paragraph(
        self, *, align: WD_PARAGRAPH_ALIGNMENT | None = None, indent_first: bool = False
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent_first:
            paragraph.paragraph_format.first_line_indent = Pt(SANHAO * 2)
        return paragraph

    # ------------------------------------------------------------ 版头
    def head(self, organ: str, number: str) -> None:
        """The organ's mark in red 小标宋, the document number, the red separator line."""
        mark = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
        mark.paragraph_format.line_spacing = Pt(48)
        size = 36.0 if len(organ) <= 12 else max(22.0, 36.0 * 12 / len(organ))
        set_font(mark.add_run(organ), XIAOBIAOSONG, size, colour=RED)
        mark.paragraph_format.space_after = Pt(SANHAO)
        number_line = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
        set_font(number_line.add_run(number), FANGSONG, SANHAO)
        _border(number_line, "bottom", colour="E60012", size_eighths=18)
        self._paragraph()

    # ------------------------------------------------------------ 主体
    def title(self, text: str, subtitle: str = "", *, gap: bool = True) -> None:
        paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.line_spacing = Pt(36)
        set_font(paragraph.add_run(text), XIAOBIAOSONG, ERHAO)
        if subtitle:
            sub = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            set_font(sub.add_run(subtitle), KAITI, SANHAO)
        if gap:
            self._paragraph()

    def addressees(self, text: str) -> None:
        if text:
            set_font(self._paragraph().add_run(text.rstrip("：:") + "："), FANGSONG, SANHAO)

    def heading(self, text: str, level: int = 1) -> None:
        """`一、` in 黑体, `（一）` in 楷体_GB2312; both indented like the body."""
        paragraph = self._paragraph(indent_first=True)
        set_font(paragraph.add_run(text), HEITI if level == 1 else KAITI, SANHAO)

    def body(self, text: str) -> None:
        set_font(self._paragraph(indent_first=True).add_run(text), FANGSONG, SANHAO)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_cm: Sequence[float],
        *,
        colours: Sequence[tuple[int, str] | None] | None = None,
        size: float = WUHAO,
    ) -> Table:
        """A bordered table filling the text block, header row repeated on each page; `colours[i]` =
        (column, light colour) shades that cell of row i."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, label, HEITI, size, align=WD_ALIGN_PARAGRAPH.CENTER)
        for n, values in enumerate(rows):
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                self._cell(cell, value, FANGSONG, size)
            mark = colours[n] if colours and n < len(colours) else None
            if mark is not None:
                column, colour = mark
                _shade(cells[column], LIGHT_FILL.get(colour, LIGHT_FILL["grey"]))
                for paragraph in cells[column].paragraphs:
                    for run in paragraph.runs:
                        run.font.color.rgb = RGBColor.from_string(LIGHT_INK.get(colour, LIGHT_INK["grey"]))
                        run.font.bold = True
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
        self._paragraph()
        return table

    @staticmethod
    def _cell(
        cell: object, text: str, font: str, size: float, *, align: WD_PARAGRAPH_ALIGNMENT | None = None
    ) -> None:
        lines = text.split("\n") if text else [""]
        first = cell.paragraphs[0]  # type: ignore[attr-defined]
        for i, line in enumerate(lines):
            paragraph = first if i == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
            fmt = paragraph.paragraph_format
            fmt.line_spacing = 1.0  # single, not the body's exact 28.95 pt (which clips small type)
            fmt.first_line_indent = Pt(0)
            if align is not None:
                paragraph.alignment = align
            if line:
                set_font(paragraph.add_run(line), font, size)

    def signature(self, organ: str, day: dt.date, *, gap: bool = True) -> None:
        """落款: the organ and the date, right-aligned four characters in from the margin."""
        if gap:
            self._paragraph()
        for text in (organ, chinese_date(day)):
            paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(SANHAO * 4)
            set_font(paragraph.add_run(text), FANGSONG, SANHAO)

    # ------------------------------------------------------------ 版记
    def record(self, *, copy_to: str, printer: str, day: dt.date) -> None:
        """抄送 and 印发 between thin lines, in 四号 仿宋, at the end of the document."""
        lines = []
        if copy_to:
            lines.append(f"抄送：{copy_to.rstrip('。')}。")
        lines.append(f"{printer}\u3000\u3000{chinese_date(day)}印发")
        for n, text in enumerate(lines):
            paragraph = self._paragraph()
            paragraph.paragraph_format.left_indent = Pt(SIHAO)
            paragraph.paragraph_format.right_indent = Pt(SIHAO)
            if n == 0:
                _border(paragraph, "top", colour="000000", size_eighths=8)
            _border(paragraph, "bottom", colour="000000", size_eighths=8 if n < len(lines) - 1 else 12)
            set_font(paragraph.add_run(text), FANGSONG, SIHAO)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
