"""What readers hand to the layout step: a document as a sequence of paragraphs and tables.

Every reader (text, docx, xlsx, pdf, html) turns its format into a `Document`; `layout.py` turns a
`Document` into a `Plan` without knowing which format it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """A line or paragraph of running text. `location` e.g. "line 12", "paragraph 4", "page 2"."""

    text: str
    location: str = ""


@dataclass
class Cell:
    """A table cell. `continued` is True when the cell is the lower part of a vertically merged cell
    (its text is then the merged cell's text, repeated)."""

    text: str
    continued: bool = False


@dataclass
class Row:
    cells: list[Cell]
    location: str = ""  # e.g. "table 1, row 3" or "sheet 清单, row 7"

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    location: str = ""  # e.g. "table 1"


Block = Paragraph | Table


@dataclass
class Document:
    """A document as readers see it. `name` is the file name used in errors and warnings."""

    blocks: list[Block] = field(default_factory=list)
    name: str = "<text>"
    truncated_hint: bool = False  # a reader saw the text stop mid-way (e.g. a cut-off page)
