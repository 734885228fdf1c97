"""Safe spreadsheet cells (防公式注入): every exported CSV/XLSX text cell goes through here.

A cell starting with = + - @ (or tab, carriage return) is run as a formula by Excel and LibreOffice
(`=HYPERLINK(…)`, DDE). Such text gets a leading apostrophe, which spreadsheets show as plain text
(OWASP "CSV injection"). Reading a sheet back, `restore_cell` removes that apostrophe again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
K = TypeVar("K")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[K, Any]) -> dict[K, Any]:
    """A CSV row (mapping) with every cell made safe."""
    return {key: safe_cell(value) for key, value in row.items()}


def restore_cell(value: Any) -> Any:
    """Undo `safe_cell` on a value read back from a sheet this application wrote."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value[1:2]
        and value[1] in "".join(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def safe_workbook(book: Any) -> Any:
    """Make every text cell of an openpyxl workbook safe, in place, just before it is saved.

    openpyxl stores a string starting with "=" as a formula: after this no cell is a formula.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_cell(cell.value)
    return book
