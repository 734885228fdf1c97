"""The printable A4 民生码 sign (.docx): title, lead unit, targets and progress as of a date, the QR code."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from minsheng.interchange.exporters.docx_style import FANGSONG, HEITI, page_setup, set_font
from minsheng.sites.qr import qr_png
from minsheng.sites.selectors import SignData


def _number(value: object) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def sign_docx(data: SignData, url: str) -> bytes:
    """One A4 page: 民生实事 heading, the project, lead unit, targets promised → reached, the code."""
    doc = Document()
    page_setup(doc)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(heading.add_run(_("Livelihood project")), HEITI, 26, bold=True)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(sub.add_run(data.title), FANGSONG, 14)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(data.subtitle), HEITI, 20, bold=True)
    if data.place:
        place = doc.add_paragraph()
        place.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(place.add_run(_("Site: %s") % data.place), FANGSONG, 16)
    lead = doc.add_paragraph()
    set_font(lead.add_run(_("Lead unit: ")), HEITI, 16)
    set_font(lead.add_run("、".join(data.lead_units) or "—"), FANGSONG, 16)
    if data.targets:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Target"), _("Promised"), _("Reached")), strict=True):
            set_font(cell.paragraphs[0].add_run(text), HEITI, 14)
        for quote, value, unit, reached in data.targets:
            cells = table.add_row().cells
            set_font(cells[0].paragraphs[0].add_run(quote), FANGSONG, 14)
            set_font(cells[1].paragraphs[0].add_run(f"{_number(value)} {unit}".strip()), FANGSONG, 14)
            shown = f"{_number(reached)} {unit}".strip() if reached is not None else _("not reported yet")
            set_font(cells[2].paragraphs[0].add_run(shown), FANGSONG, 14)
    as_of = doc.add_paragraph()
    set_font(as_of.add_run(_("Progress as of %s (approved reports).") % data.on.isoformat()), FANGSONG, 14)
    code = doc.add_paragraph()
    code.alignment = WD_ALIGN_PARAGRAPH.CENTER
    code.add_run().add_picture(io.BytesIO(qr_png(url)), width=Cm(6))
    hint = doc.add_paragraph()
    hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(hint.add_run(_("Scan the code to follow the progress: %s") % url), FANGSONG, 12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
