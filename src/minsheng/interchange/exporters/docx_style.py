"""Official document look for Word output (公文格式): A4, 仿宋 body, 黑体 headings, page numbers.

python-docx sets only the Latin font name; Chinese text uses the East Asian font (w:eastAsia), so both
are written. Sizes follow the usual 号 scale: 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FANGSONG = "仿宋_GB2312"
FANGSONG_FALLBACK = "仿宋"
HEITI = "黑体"
A4_SHORT_CM = 21.0
A4_LONG_CM = 29.7


def set_font(run: Run, name: str, size_pt: float | None = None, *, bold: bool | None = None) -> Run:
    """Give a run a font for both Latin and Chinese text."""
    run.font.name = name
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold is not None:
        run.font.bold = bold
    return run


def page_setup(doc: DocxDocument, *, landscape: bool = False) -> None:
    """A4 with the margins of government documents; the default style in 仿宋."""
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(A4_LONG_CM), Cm(A4_SHORT_CM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(A4_SHORT_CM), Cm(A4_LONG_CM)
    section.top_margin = Cm(3.7 if not landscape else 2.5)
    section.bottom_margin = Cm(3.5 if not landscape else 2.5)
    section.left_margin = Cm(2.8 if not landscape else 2.5)
    section.right_margin = Cm(2.6 if not landscape else 2.5)
    normal = doc.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(16)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FANGSONG)


def add_page_number_footer(doc: DocxDocument) -> None:
    """Centred page number (— 1 —) in every footer, as a PAGE field Word updates itself."""
    for section in doc.sections:
        paragraph = (
            section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
        )
        paragraph.alignment = 1  # centre
        set_font(paragraph.add_run("— "), FANGSONG, 14)
        _field(paragraph, "PAGE")
        set_font(paragraph.add_run(" —"), FANGSONG, 14)


def _field(paragraph: Paragraph, code: str) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate):
        run = paragraph.add_run()
        set_font(run, FANGSONG, 14)
        run._element.append(element)
    set_font(paragraph.add_run("1"), FANGSONG, 14)  # shown until Word updates the field
    run = paragraph.add_run()
    run._element.append(end)


def repeat_as_header(row: object) -> None:
    """Repeat a table row at the top of every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def write_lines(
    cell: object, text: str, font: str, size_pt: float, *, bold: bool = False, align: int | None = None
) -> None:
    """Fill a table cell with one paragraph per line of `text`."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        if line:
            set_font(paragraph.add_run(line), font, size_pt, bold=bold)
