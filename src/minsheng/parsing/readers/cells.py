"""Tables flattened to text one cell per line (a PDF or web table copied column by column).

The header is a run of label chunks starting at 序号; data rows start at serial numbers counting up from
the first one. Within a row the cells are not marked: a unit cell may hold one unit per line, a content
cell may wrap over several lines, and a vertically merged cell (a category printed only on its group's
first row) is simply absent. The row's pieces are therefore assigned to the header's columns by what they
hold (`segment_row`): a small dynamic programme that gives each column a run of consecutive pieces
(possibly none), scoring each piece against the kind of content its column expects.
"""

from __future__ import annotations

import re

from minsheng.parsing.blocks import Cell, Row, Table
from minsheng.parsing.layout.columns import column_key, is_header_label
from minsheng.parsing.layout.tables import cell_kind, column_kind
from minsheng.parsing.normalize import fold
from minsheng.parsing.units import looks_like_unit

__all__ = [
    "Chunk",
    "fit_rows_to_header",
    "is_spaced_header",
    "read_cell_chunks",
    "read_spaced_rows",
    "segment_row",
]


class Chunk:
    """Lines between blank lines: a paragraph run, or one cell of a table written one cell per line."""

    __slots__ = ("lines", "start")

    def __init__(self, start: int, lines: list[str]) -> None:
        self.start = start
        self.lines = lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_SERIAL = re.compile(r"\d{1,4}")


def read_cell_chunks(chunks: list[Chunk], start: int, number: int) -> tuple[Table, int] | None:
    """A table written one cell per chunk, starting at a 序号 chunk followed by more header labels.

    Header fragments broken over chunks (`责任` / `单位`, `当年投资` / `(万元)`) are joined while the
    joined text is a label; data rows start at a serial number and continue with the next ones."""
    header: list[str] = []
    i = start
    n = len(chunks)
    while i < n:
        t = chunks[i].text
        folded = fold(t).replace(" ", "").replace("\n", "")
        if _SERIAL.fullmatch(folded):
            break
        if len(folded) > 24:
            return None
        if header and folded.startswith("(") and folded.endswith(")"):
            header[-1] = f"{header[-1]}\n{t}"  # a unit note: 总投资 / (万元)
        elif header and not is_header_label(header[-1]) and is_header_label(header[-1] + t):
            header[-1] = f"{header[-1]}\n{t}"  # 建设起 / 止年限
        elif header and folded in _LABEL_TAILS and is_header_label(header[-1] + t):
            header[-1] = f"{header[-1]}\n{t}"  # 责任 / 单位
        elif is_header_label(t) or _is_label_start(t):
            header.append(t)
        else:
            return None
        i += 1
    keys = [column_key(h.replace("\n", "")) for h in header]
    if len(header) < 2 or ("name" not in keys and "text" not in keys) or keys[0] != "no":
        return None
    if i >= n:
        return None
    location = f"line {chunks[start].start}"
    table = Table(location=f"table {number} ({location})")
    table.rows.append(Row(cells=[Cell(text=h) for h in header], location=location))
    kinds = [column_kind(k or "") for k in keys]
    ncols = len(header)
    blank_separated = _blank_separated(chunks[start:])
    expected = int(fold(chunks[i].text).strip())
    while i < n and fold(chunks[i].text).strip() == str(expected):
        row_loc = f"line {chunks[i].start}"
        pieces = [chunks[i].text]
        i += 1
        while i < n:
            t = chunks[i].text
            if fold(t).strip() == str(expected + 1) and len(pieces) >= max(2, ncols // 2):
                break
            pieces.extend([""] * _empty_cells_before(chunks, i, blank_separated))
            pieces.append(t)
            i += 1
        rows, _ = _split_rows(_join_unit_fragments(pieces[1:]), kinds[1:], keys[1:])
        for k, cells in enumerate(rows):
            if k == 0:
                row = Row(cells=[Cell(text=pieces[0]), *(Cell(text=t) for t in cells)], location=row_loc)
            else:  # a continuation row: the cells it leaves empty are merged with the row above
                above = table.rows[-1].cells
                row = Row(
                    cells=[
                        Cell(text=above[0].text, continued=True),
                        *(
                            Cell(text=t) if t else Cell(text=above[c + 1].text, continued=True)
                            for c, t in enumerate(cells)
                        ),
                    ],
                    location=row_loc,
                )
            table.rows.append(row)
        expected += 1
    if len(table.rows) < 2:
        return None
    return table, i


def _gap(chunks: list[Chunk], i: int) -> int:
    """Blank lines between chunk i-1 and chunk i."""
    return chunks[i].start - chunks[i - 1].start - len(chunks[i - 1].lines)


def _blank_separated(chunks: list[Chunk]) -> bool:
    """Cells separated by one blank line each (then two or more blank lines mean empty cells)."""
    gaps = [_gap(chunks, i) for i in range(1, min(len(chunks), 60))]
    return bool(gaps) and sum(1 for g in gaps if g == 1) * 2 > len(gaps)


def _empty_cells_before(chunks: list[Chunk], i: int, blank_separated: bool) -> int:
    """Empty cells written as extra blank lines before chunk i (one extra blank line per empty cell)."""
    if not blank_separated:
        return 0
    return max(0, _gap(chunks, i) - 1)


# Second halves of labels broken over lines (责任 / 单位); a fragment like 配合 starts a new label.
_LABEL_TAILS = {
    "单位",
    "部门",
    "来源",
    "年限",
    "止年限",
    "时限",
    "时间",
    "期限",
    "内容",
    "名称",
    "计划",
    "情况",
    "进度",
    "地点",
    "金额",
    "规模",
    "任务",
    "目标",
    "主体",
    "投资",
}


def _is_label_start(text: str) -> bool:
    """A header fragment that begins a label (`建设起`, `责任`, `资金`, `2023年度`)."""
    t = fold(text).replace(" ", "")
    return len(t) <= 8 and not re.search(r"[。,;:]", t)


# Cost of a piece of a given kind in a column of a given kind (lower is better); other pairs cost 2.
_FIT = {
    ("num", "num"): 0.0,
    ("period", "period"): 0.0,
    ("num", "period"): 0.3,
    ("period", "num"): 0.6,
    ("name", "short"): 0.0,
    ("name", "unit"): 0.9,
    ("name", "text"): 0.6,
    ("text", "text"): 0.0,
    ("text", "short"): 0.5,
    ("text", "num"): 0.8,
    ("unit", "unit"): 0.0,
    ("unit", "short"): 0.7,
    ("short", "short"): 0.0,
    ("short", "unit"): 0.6,
    ("short", "text"): 0.4,
    ("short", "period"): 0.3,
    ("short", "num"): 0.3,
}
# A column left without a piece: units and content are rarely missing; a merged category or name is.
_EMPTY_COLUMN = {"unit": 1.0, "text": 1.6, "name": 0.8, "num": 0.5, "period": 0.5, "short": 0.5}
# Each further piece in one column: one unit per line is normal, wrapped content too.
_MORE_PIECES = {"unit": 0.15, "text": 0.35, "name": 0.6}


# A row read as a row followed by a continuation row (a vertically merged 序号 and unit cell): the
# continuation's empty cells are expected, the split itself needs some evidence.
_SPLIT_COST = 1.0
_MARKED_SPLIT_COST = 0.3
_MERGED_EMPTY = 0.2


def _split_rows(
    pieces: list[str], kinds: list[str], keys: list[str | None], *, merged: bool = False
) -> tuple[list[list[str]], float]:
    """The row's cells, or the cells of the row and of the continuation rows that follow it when that
    explains the pieces better (`内容` / `单位` / `时限` / `内容` / `时限`: a second item under merged
    cells), with the cost of the reading. Written empty cells (`""`) before content mark where a
    continuation row starts; the rest of the pieces is read the same way."""
    cells, cost = segment_row(pieces, kinds, keys, merged=merged)
    best: tuple[list[list[str]], float] = ([cells], cost)
    marked = [k for k in range(1, len(pieces)) if pieces[k] and not pieces[k - 1] and any(pieces[: k - 1])]
    if marked:
        splits = [(marked[0], _MARKED_SPLIT_COST)]
    elif cost > _SPLIT_COST:
        splits = [(k, _SPLIT_COST) for k in range(2, len(pieces) - 1)]
    else:
        return best
    for k, split_cost in splits:
        head = pieces[:k]
        while head and not head[-1]:
            head = head[:-1]  # the empty cells belong to the continuation row
        tail = pieces[len(head) :][1:]  # without its merged 序号 cell
        first, first_cost = segment_row(head, kinds, keys, merged=merged)
        if marked:
            rest, rest_cost = _split_rows(tail, kinds, keys, merged=True)
        else:
            second, rest_cost = segment_row(tail, kinds, keys, merged=True)
            rest = [second]
        total = first_cost + rest_cost + split_cost
        if total < best[1] and any(rest[0][c] for c, kind in enumerate(kinds) if kind in ("text", "name")):
            best = ([first, *rest], total)
    return best


def _join_unit_fragments(pieces: list[str]) -> list[str]:
    """A unit name broken over two cells of the flattened text (`區新興產業` / `服務中心`,
    `區綜合行政` / `執法局`): joined when the first part begins like a unit, is no unit on its own, and
    the two together are one."""
    out: list[str] = []
    for piece in pieces:
        if (
            out
            and out[-1]
            and piece
            and _UNIT_PREFIX.match(fold(out[-1]))
            and not re.search(r"[。,，;；:：]", out[-1])
            and not looks_like_unit(out[-1])
            and looks_like_unit(out[-1] + piece)
        ):
            out[-1] += piece
        else:
            out.append(piece)
    return out


_UNIT_PREFIX = re.compile(r"^(?:[区县市镇省乡]|各|街道)")


def segment_row(
    pieces: list[str], kinds: list[str], keys: list[str | None], *, merged: bool = False
) -> tuple[list[str], float]:
    """Assign a row's pieces, in order, to the columns (each column a run of zero or more pieces): the
    cells' texts, pieces of one cell joined by line breaks, and the cost of that reading. `merged`: the
    row continues the one above, so its unit and name cells are expected to be empty."""
    n, m = len(kinds), len(pieces)
    piece_kinds = [cell_kind(p) for p in pieces]
    inf = float("inf")
    # best[c][p]: the cost of giving columns < c the pieces < p; back[c][p]: where column c-1 starts.
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for c in range(n):
        kind = kinds[c]
        empty = _EMPTY_COLUMN.get(kind, 0.5)
        if keys[c] is not None and keys[c] in keys[:c]:
            empty = 0.4  # a second column of the same role (主要任务 beside 全年目标任务): often empty
        elif keys[c] == "category" or (merged and kind in ("unit", "name", "num")):
            empty = _MERGED_EMPTY  # printed only on its group's first row
        elif keys[c] == "partner":
            empty = 0.6
        for p in range(m + 1):
            base = best[c][p]
            if base == inf:
                continue
            if base + empty < best[c + 1][p]:
                best[c + 1][p], back[c + 1][p] = base + empty, p
            cost = base
            for q in range(p, m):
                k = piece_kinds[q]
                step = 0.2 if k == "empty" else _FIT.get((kind, k), 2.0)
                if q > p:
                    step += _MORE_PIECES.get(kind, 1.0)
                cost += step
                if cost < best[c + 1][q + 1]:
                    best[c + 1][q + 1], back[c + 1][q + 1] = cost, p
    cells = [""] * n
    p = m
    for c in range(n, 0, -1):
        start = back[c][p]
        cells[c - 1] = "\n".join(pieces[start:p])
        p = start
    return cells, best[n][m]


# --- one row per line, cells separated by spaces ---------------------------------------------------

_SPACES = re.compile(r"[ \u3000\t]+")


def _tokens(line: str) -> list[str]:
    return [t for t in _SPACES.split(line.strip()) if t]


def is_spaced_header(line: str) -> bool:
    """A header written on one line with spaces between the labels: 序号 first, two more labels."""
    tokens = _tokens(line)
    if len(tokens) < 3 or column_key(tokens[0]) != "no":
        return False
    return sum(1 for t in tokens[1:] if is_header_label(t)) >= 2


def read_spaced_rows(lines: list[str], start: int, number: int) -> tuple[Table, int]:
    """A table with one row per line and single spaces between cells (empty cells simply absent): a
    header broken over lines up to the first serial number, then rows counting up from it. A line
    that does not start with the next serial continues the row above (its last cell wrapped)."""
    header_tokens: list[str] = []
    i = start
    n = len(lines)
    while i < n and not _starts_row(lines[i], None):
        if lines[i].strip():
            header_tokens.extend(_tokens(lines[i]))
        i += 1
    labels: list[str] = []
    for token in header_tokens:
        if labels and not is_header_label(labels[-1]) and is_header_label(labels[-1] + token):
            labels[-1] += token  # `1-7月` / `实际完成情况`
        else:
            labels.append(token)
    location = f"line {start + 1}"
    table = Table(location=f"table {number} ({location})")
    table.rows.append(Row(cells=[Cell(text=label) for label in labels], location=location))
    keys = [column_key(label) for label in labels]
    kinds = [column_kind(k or "") for k in keys]
    expected: int | None = None
    while i < n:
        line = lines[i]
        if not line.strip():
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and expected is not None and _starts_row(lines[j], expected):
                i = j
                continue
            break
        if _starts_row(line, expected):
            tokens = _tokens(line)
            expected = int(fold(tokens[0])) + 1
            cells, _ = segment_row(tokens[1:], kinds[1:], keys[1:])
            table.rows.append(
                Row(cells=[Cell(text=tokens[0]), *(Cell(text=t) for t in cells)], location=f"line {i + 1}")
            )
        elif len(table.rows) > 1 and len(line.strip()) <= 200:
            last = table.rows[-1].cells[-1]
            last.text = f"{last.text}\n{line.strip()}"
        else:
            break
        i += 1
    return table, i


def _starts_row(line: str, expected: int | None) -> bool:
    tokens = _tokens(line)
    if len(tokens) < 2:
        return False
    first = fold(tokens[0])
    return bool(_SERIAL.fullmatch(first)) and (expected is None or int(first) == expected)


def fit_rows_to_header(table: Table) -> None:
    """Fit each data row's cells (a serial first) to the header row's columns by what they hold, for
    tables whose separators do not mark empty cells. Rows without a serial are left as they are."""
    keys = [column_key(c.text) for c in table.rows[0].cells]
    if "no" not in keys[:1]:
        return
    kinds = [column_kind(k or "") for k in keys]
    for row in table.rows[1:]:
        texts = [c.text for c in row.cells]
        if len(texts) == len(keys) or not texts or not _SERIAL.fullmatch(fold(texts[0]).strip()):
            continue
        cells, _ = segment_row(texts[1:], kinds[1:], keys[1:])
        row.cells = [Cell(text=texts[0]), *(Cell(text=t) for t in cells)]
