"""Layout 1: the list is a table (序号 / 项目名称 / 主要内容 / 责任单位 / 配合单位 and synonyms).

The header row is found by its labels, in any column order; a second header row of sub-labels
(`2022年工作计划` over `投资` / `形象进度`) is folded into the columns. Rows whose 序号 and 项目名称
are empty continue the project above (vertically merged cells); rows that repeat the header (page
breaks) are skipped; a row with a single heading-like cell is a category heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.parsing.blocks import Row, Table
from minsheng.parsing.layout.columns import STRUCTURAL, column_key, extra_key, extra_value, label_form
from minsheng.parsing.layout.names import category_name, clean_name, entry_name, split_title
from minsheng.parsing.model import Item, ParseWarning, Project
from minsheng.parsing.normalize import compact, fold, marker_number
from minsheng.parsing.units import looks_like_unit, split_units


@dataclass
class Column:
    key: str  # structural key or extra key
    label: str
    kind: str  # expected content: num, name, text, unit, period, short


@dataclass
class TableResult:
    projects: list[Project] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    truncated: bool = False
    title_lines: list[str] = field(default_factory=list)  # rows above the header (a title row)
    has_unit_columns: bool = False


def column_kind(key: str) -> str:
    """The kind of content a column of this key holds: num, name, text, unit, period or short."""
    if key == "no":
        return "num"
    if key in ("name", "text"):
        return key
    if key in ("lead", "partner", "policy_unit"):
        return "unit"
    if key.endswith(("investment", "investment_wanyuan", "pct")):
        return "num"
    if key in ("build_period", "deadline"):
        return "period"
    return "short"


def header_index(table: Table) -> int | None:
    """The first row with at least two known labels, one of them a name or content column."""
    for idx, row in enumerate(table.rows[:15]):
        keys = [column_key(t) for t in row.texts]
        known = [k for k in keys if k]
        if len(set(known)) >= 2 and ("name" in known or "text" in known):
            return idx
    return None


def _is_sub_header(row: Row) -> bool:
    texts = [t for t in row.texts if t.strip()]
    if not texts or re.fullmatch(r"\d+", fold(texts[0]).strip()):
        return False
    return sum(1 for t in texts if column_key(t)) >= max(2, (len(texts) + 1) // 2)


def _kind_group(key: str | None) -> str:
    if key and "investment" in key:
        return "money"
    return key or "other"


def _columns(header: Row, sub: Row | None) -> list[Column]:
    labels = [t.strip() for t in header.texts]
    if sub is None:
        return [_column(label) for label in labels]
    subs = [t.strip() for t in sub.texts]
    aligned = all(
        not s or not labels[i] or (i > 0 and labels[i] == labels[i - 1])
        for i, s in enumerate(subs)
        if i < len(labels)
    )
    if aligned and any(subs):
        out = []
        for i, label in enumerate(labels):
            s = subs[i] if i < len(subs) else ""
            out.append(_column(label, s) if s else _column(label))
        return out
    # Flattened text: the sub-labels are listed from the left; they belong, in order, to the
    # group labels (plans, progress stages). A sub-label whose kind repeats starts the next group.
    parents = [i for i, label in enumerate(labels) if column_key(label) in ("annual_plan", "progress")]
    groups: list[list[str]] = []
    for s in (s for s in subs if s):
        kinds = {_kind_group(column_key(x)) for x in groups[-1]} if groups else set()
        if not groups or (_kind_group(column_key(s)) in kinds and len(groups) < len(parents)):
            groups.append([])
        groups[-1].append(s)
    if len(groups) != len(parents):
        return [_column(label) for label in labels]
    out = []
    for i, label in enumerate(labels):
        if i in parents:
            out.extend(_column(label, s) for s in groups[parents.index(i)])
        else:
            out.append(_column(label))
    return out


def _unique_structural(columns: list[Column]) -> list[Column]:
    """A second column with the same structural key (建设内容 and 目标任务 both content) is kept as an
    extra column, so the first one alone gives the item text."""
    seen: set[str] = set()
    out = []
    for col in columns:
        if col.key in STRUCTURAL and col.key in seen:
            col = Column(_slug(col.label), col.label, "short")
        seen.add(col.key)
        out.append(col)
    return out


def _column(label: str, sub: str | None = None) -> Column:
    if sub is None:
        key = column_key(label)
        if key in STRUCTURAL:
            return Column(key, label, column_kind(key))  # type: ignore[arg-type]
        ek = extra_key(label) or (_slug(label) if label else "")
        return Column(ek, label, column_kind(ek))
    sub_key = extra_key(sub) or column_key(sub) or _slug(sub)
    parent_key = column_key(label)
    year = re.search(r"(?:19|20)\d{2}", fold(label))
    if parent_key == "annual_plan":
        base = sub_key.replace("total_", "")
        key = f"plan_{year.group(0)}_{base}" if year else f"plan_{base}"
    else:
        key = sub_key
    return Column(key, f"{label}/{sub}", column_kind(sub_key))


def _slug(label: str) -> str:
    return "column_" + re.sub(r"\W+", "_", label_form(label)).strip("_") if label.strip() else ""


# --- cell content kinds, for aligning rows that have fewer or more cells than the header --------

_NUM = re.compile(r"^[-+]?\d+(\.\d+)?%?$")
_PERIOD = re.compile(
    r"^(19|20)\d{2}([.\-/年]\d{1,2}月?)?(\s*[-—~至到]\s*((19|20)\d{2})?([.\-/年]?\d{1,2}月?)?)?(年底|年内|年)?$"
)


_EMPTY_MARKS = {"/", "-", "--", "无"}


# A short cell saying when (`12月底前`, `9月投入使用`, `年底前`): a deadline, not a unit or a name.
_WHEN = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})月|年底|年内|年末|[上下]半年|季度")


def cell_kind(text: str) -> str:
    """The kind of content a cell holds: empty, period, num, text, unit or short."""
    t = fold(compact(text)).replace(",", "")
    if not t or t in _EMPTY_MARKS:
        return "empty"
    if _PERIOD.match(t) or (len(t) <= 12 and _WHEN.search(t)):
        return "period"
    if _NUM.match(t):
        return "num"
    if len(t) > 30 or "。" in t:
        return "text"
    units = split_units(text)
    if units and all(looks_like_unit(u) for u in units):
        return "unit"
    return "short"


_COST = {
    ("num", "num"): 0.0,
    ("period", "period"): 0.0,
    ("num", "period"): 0.3,
    ("period", "num"): 0.6,
    ("name", "short"): 0.0,
    ("name", "text"): 0.4,
    ("name", "unit"): 0.6,
    ("text", "text"): 0.0,
    ("text", "short"): 0.5,
    ("text", "name"): 0.5,
    ("unit", "unit"): 0.0,
    ("unit", "short"): 0.4,
    ("short", "short"): 0.0,
    ("short", "unit"): 0.4,
    ("short", "text"): 0.6,
    ("short", "period"): 0.6,
    ("short", "num"): 0.6,
}


def _align(columns: list[Column], cells: list[str]) -> list[str]:
    """Map a row's cells onto the columns when their counts differ: a small edit-distance alignment
    on content kinds (a missing money column, an extra broken cell). Returns one text per column."""
    kinds = [cell_kind(c) for c in cells]
    n, m = len(columns), len(cells)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == inf:
                continue
            if i < n and j < m:
                k = kinds[j]
                step = 0.2 if k == "empty" else _COST.get((columns[i].kind, k), 2.0)
                if c + step < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = c + step, "match"
            skip = (1.5 if columns[i].key in STRUCTURAL else 1.0) if i < n else 0.0
            if i < n and c + skip < cost[i + 1][j]:  # a column without a cell
                cost[i + 1][j], back[i + 1][j] = c + skip, "skip_col"
            if j < m:
                step = 0.1 if kinds[j] == "empty" else 1.5
                if c + step < cost[i][j + 1]:
                    cost[i][j + 1], back[i][j + 1] = c + step, "skip_cell"
    out = [""] * n
    i, j = n, m
    while i > 0 or j > 0:
        move = back[i][j]
        if move == "match":
            out[i - 1] = cells[j - 1]
            i, j = i - 1, j - 1
        elif move == "skip_col":
            i -= 1
        else:
            j -= 1
    return out


def _trim(texts: list[str]) -> list[str]:
    end = len(texts)
    while end > 0 and not texts[end - 1].strip():
        end -= 1
    return texts[:end]


def _fit(columns: list[Column], row: Row) -> tuple[list[str], list[bool]]:
    texts = row.texts
    continued = [c.continued for c in row.cells]
    if len(texts) == len(columns):
        return texts, continued
    trimmed = _trim(texts)
    if len(trimmed) <= len(columns) and len(_trim([c.label for c in columns])) == len(trimmed):
        pad = len(columns) - len(trimmed)
        return trimmed + [""] * pad, continued[: len(trimmed)] + [False] * pad
    if any(continued):
        continued = continued + [False] * (len(columns) - len(continued))
        return (texts + [""] * len(columns))[: len(columns)], continued[: len(columns)]
    return _align(columns, trimmed), [False] * len(columns)


_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+[、.,]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[类部分项])"
)


def parse_table(table: Table, *, start_no: int = 1, previous: Project | None = None) -> TableResult | None:
    """The projects of one table, or None when the table has no recognisable header. `previous` is
    the last project of the table this one continues (a page break): leading continuation rows are
    its items."""
    result = TableResult()
    h = header_index(table)
    if h is None:
        return None
    header = table.rows[h]
    result.title_lines = [t for row in table.rows[:h] for t in row.texts if t.strip()]
    sub = table.rows[h + 1] if h + 1 < len(table.rows) and _is_sub_header(table.rows[h + 1]) else None
    columns = _unique_structural(_columns(header, sub))
    keys = [c.key for c in columns]
    if "text" not in keys and "name" not in keys:
        return None
    result.has_unit_columns = "lead" in keys or "partner" in keys
    header_forms = [label_form(t) for t in header.texts]
    body = table.rows[h + 2 if sub else h + 1 :]
    current: Project | None = previous
    category: str | None = None
    last = previous.items[-1] if previous is not None and previous.items else None
    prev_lead: list[str] = list(last.lead_units) if last else []
    prev_partner: list[str] = list(last.partner_units) if last else []
    next_no = start_no
    expected_cells = len(header.texts) if not sub else None
    for idx, row in enumerate(body):
        texts = row.texts
        if not any(t.strip() for t in texts):
            continue
        if _repeats_header(texts, header_forms):
            continue  # the header repeated at a page break
        distinct = {compact(t) for t in texts if t.strip()}
        if len(distinct) == 1 and _is_category_row(texts, keys):
            category = category_name(_strip_heading_marker(next(iter(distinct))))
            continue
        cells, continued = _fit(columns, row)
        value: dict[str, str] = {}
        cont: dict[str, bool] = {}
        extra: dict[str, str | int | float] = {}
        for col, text, is_cont in zip(columns, cells, continued, strict=False):
            if col.key in STRUCTURAL:
                if col.key not in value or (not value[col.key].strip() and text.strip()):
                    value[col.key] = text
                    cont[col.key] = is_cont
            elif col.key and text.strip():
                extra[col.key] = extra_value(text, numeric=col.kind == "num")
        no_text = value.get("no", "").strip()
        name_text = value.get("name", "").strip()
        if "category" in value and value["category"].strip():
            category = compact(value["category"])
        is_last = idx == len(body) - 1 or all(not any(t.strip() for t in r.texts) for r in body[idx + 1 :])
        if is_last and _looks_cut(row, expected_cells, value, result.has_unit_columns):
            result.truncated = True
            result.warnings.append(
                ParseWarning(
                    location=row.location,
                    code="truncated",
                    message="the document breaks off in this row; it was left out",
                )
            )
            break
        if (
            "text" in keys
            and not compact(value.get("text", ""))
            and not value.get("lead", "").strip()
            and _is_heading_cells(no_text, name_text)
        ):
            category = category_name(
                _strip_heading_marker(f"{no_text}、{name_text}" if no_text else name_text)
            )
            continue  # a category row: 一 | 教育类 | (empty)
        # Without a content column the name cell holds the content: under a merged 序号 it is a further
        # item of the project above, not a new project.
        name_starts = bool(name_text and not cont.get("name") and not ("text" not in keys and cont.get("no")))
        new_project = bool((no_text and not cont.get("no")) or name_starts)
        number = _serial(no_text) if no_text else None
        if number is None and name_text and "no" not in keys:
            number, name_text = _numbered_name(name_text)
        if (
            new_project
            and current is not None
            and (number is None or number == current.no)
            and clean_name(name_text)[0] == current.name
        ):
            new_project = False  # the merged number and name written again on each row
        text = value.get("text", "") if "text" in value else name_text
        if new_project or current is None:
            if number is None:
                number = next_no
            next_no = number + 1
            if name_text:
                name, alias, starred = clean_name(name_text)
            else:  # no name column: the entry-name rule on the content
                title, rest = split_title(text)
                if title is not None:
                    name, alias, starred = clean_name(title)
                    text = rest
                else:
                    name, alias, starred = clean_name(entry_name(text), allow_alias=False)
            current = Project(no=number, name=name, alias=alias, category=category, starred=starred)
            result.projects.append(current)
        lead_raw, partner_raw = value.get("lead", ""), value.get("partner", "")
        if not new_project and not lead_raw.strip() and not partner_raw.strip():
            lead, partner = list(prev_lead), list(prev_partner)
        else:
            lead = split_units(lead_raw) if lead_raw.strip() else (list(prev_lead) if not new_project else [])
            partner = split_units(partner_raw)
        if not compact(text) and current.items:
            continue
        item = Item(
            text=compact(text), lead_units=lead, partner_units=partner, extra=extra, location=row.location
        )
        current.items.append(item)
        prev_lead, prev_partner = lead, partner
    return result


_SERIAL = re.compile(r"^(\d+)(?:\.0+)?[.、,]?$")


def _serial(text: str) -> int | None:
    """The number in a 序号 cell (`1`, `1.`, `1.0` from a spreadsheet, `一`, `（一）`)."""
    t = fold(compact(text)).strip("()")
    m = _SERIAL.match(t)
    if m:
        return int(m.group(1))
    return marker_number(t.rstrip("、.,"))


_NUMBERED_NAME = re.compile(r"^\s*(\d{1,4})\s*[.、]\s*(?!\d)")


def _numbered_name(name: str) -> tuple[int | None, str]:
    """A name that carries its own number when the table has no 序号 column (`1.优学金沙`)."""
    m = _NUMBERED_NAME.match(fold(name))
    if m:
        return int(m.group(1)), name[m.end() :]
    return None, name


def _is_heading_cells(no_text: str, name_text: str) -> bool:
    """序号 in Chinese numerals (`一`, `（一）`) or a name that reads as a heading, with no content."""
    if not no_text and not name_text:
        return False
    chinese_no = (
        bool(no_text)
        and re.fullmatch(r"[(]?[一二三四五六七八九十]+[)、.]?", fold(compact(no_text))) is not None
    )
    heading_name = bool(_HEADING.match(fold(name_text))) or compact(name_text).endswith(("类", "類"))
    return chinese_no or (not no_text and heading_name)


def _repeats_header(texts: list[str], header_forms: list[str]) -> bool:
    """The header again (a page break in Word or PDF): the same labels, or three or more labels and
    no serial number."""
    if any(len(t) > 40 for t in texts):
        return False  # a row with content
    if [label_form(t) for t in texts] == header_forms:
        return True
    return sum(1 for t in texts if column_key(t)) >= 3 and not re.fullmatch(r"\d+", fold(texts[0]).strip())


def _strip_heading_marker(text: str) -> str:
    m = _HEADING.match(fold(text))
    return (text[m.end() :] if m else text).strip().lstrip("、.,，")


def _is_category_row(texts: list[str], keys: list[str]) -> bool:
    """A row holding one heading (`一、教育类`) in the 序号 or 名称 cell, or merged across the row."""
    filled = [i for i, t in enumerate(texts) if t.strip()]
    t = compact(texts[filled[0]])
    if "。" in t or len(t) > 40 or re.fullmatch(r"\d+", fold(t)):
        return False
    spans_row = len(filled) > 1
    in_label_column = filled[0] < len(keys) and keys[filled[0]] in ("no", "name", "category")
    return spans_row or (in_label_column and bool(_HEADING.match(fold(t)) or t.endswith(("类", "類"))))


def _looks_cut(row: Row, expected_cells: int | None, value: dict[str, str], has_units: bool) -> bool:
    """The last row of a table that stops mid-row: fewer cells than the header, or a content cell
    with no lead unit where the table has unit columns."""
    if (
        expected_cells is not None
        and len(row.texts) < expected_cells
        and not any(c.continued for c in row.cells)
    ):
        return True
    return (
        has_units
        and bool(value.get("no", "").strip())
        and not value.get("lead", "").strip()
        and not value.get("text", "").strip()
    )
