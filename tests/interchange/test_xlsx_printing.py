"""The plan's and the progress table's .xlsx print readably: A4 landscape, all columns on the page width,
as many pages down as the rows need, the header repeated, text wrapped (checked by LibreOffice too)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from interchange.test_exporters_plan import import_gold
from minsheng.interchange.exporters.plan_xlsx import plan_xlsx

pytestmark = pytest.mark.django_db


def test_the_plan_sheet_is_set_up_to_print() -> None:
    plan = import_gold()
    ws = load_workbook(io.BytesIO(plan_xlsx(plan))).active
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws["C4"].alignment.wrap_text
    assert ws.column_dimensions["C"].width >= 50


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_30_items_on_several_readable_pages(tmp_path: Path) -> None:
    plan = import_gold()
    source = tmp_path / "plan.xlsx"
    source.write_bytes(plan_xlsx(plan))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with pdfplumber.open(tmp_path / "plan.pdf") as pdf:
        assert len(pdf.pages) >= 2  # not squeezed onto one page
        sizes = [c["size"] for c in pdf.pages[0].chars]
        assert min(sizes) >= 8  # still readable
        for page in pdf.pages:
            assert "序号" in page.extract_text().replace(" ", "")  # the header on every page
