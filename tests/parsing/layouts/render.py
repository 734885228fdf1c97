"""Render the gold lists back into documents, one per layout family (the metamorphic layout suite).

A gold file (Plan JSON, see shared/spec/plan-json.md) says what a list holds; a *layout family* is one
way districts print such a list: numbered paragraphs with a given marker (`1.` `1、` `(1)` `①` `一是` …),
a number alone on its line, unnumbered lines or inline paragraphs, two-level lists (category headings
over continuously numbered entries, project headings over `(一)` sub-items), tables flattened to text in
every shape the corpus shows, and real docx/xlsx/html/pdf tables. A *case* is a (family, gold) pair:
`render(family, gold_name)` returns the document and the gold it must parse to. That expected gold is
the original one, changed only where the layout itself says so (an unnumbered list is numbered by
position, a layout without units expects no units, a script or punctuation variant converts every
field the same way, synthetic category headings add `category`).

Families render only what a gold can express faithfully; `applies()` gives the reason when one cannot
(a title with a comma cannot be a `名称,内容;` entry, an untitled entry cannot be a heading over
sub-items, a layout with no empty-cell marker cannot hold a merged row, …).

Run `python -m tests.parsing.layouts.render FAMILY GOLD` to print one rendering (binary ones are
written to a file), `--families` to list them, `--charmap` to regenerate charmap.json with opencc.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARSING_TESTS = HERE.parent  # on sys.path (see __init__.py): builders.py is imported from there

GOLD_DIR = PARSING_TESTS / "corpus" / "shared" / "gold"  # copies of shared/corpus/gold and shared/gold
GOLD_NAMES: list[str] = sorted(p.stem for p in GOLD_DIR.glob("*.json"))
CHARMAP_PATH = HERE / "charmap.json"

Gold = dict[str, Any]


@functools.cache
def _gold_json(name: str) -> str:
    return (GOLD_DIR / f"{name}.json").read_text(encoding="utf-8")


def load_gold(name: str) -> Gold:
    """A fresh copy of the gold file `name` (renderers change their copy)."""
    return json.loads(_gold_json(name))


# --- numbering ------------------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 24 → 二十四 (lists are shorter than 100 entries)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def circled(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    raise ValueError(f"no circled numeral for {n}")


# --- punctuation and script ----------------------------------------------------------------------

Punct = dict[str, str]
FULL: Punct = {"comma": "，", "semi": "；", "colon": "：", "open": "（", "close": "）", "stop": "。"}
ASCII: Punct = {"comma": ",", "semi": ";", "colon": ":", "open": "(", "close": ")", "stop": "。"}
_TO_ASCII = {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")"}
_TO_FULL = {v: k for k, v in _TO_ASCII.items()}


def to_ascii_punct(text: str) -> str:
    return "".join(_TO_ASCII.get(c, c) for c in text)


def to_full_punct(text: str) -> str:
    # A comma or colon between digits is a thousands separator or a time, not punctuation.
    out = []
    for i, c in enumerate(text):
        between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        out.append(c if between_digits else _TO_FULL.get(c, c))
    return "".join(out)


@functools.cache
def charmap() -> dict[str, dict[str, str]]:
    """{"s2t": {简: 繁}, "t2s": {繁: 简}} for the characters of the golds (made by `--charmap`)."""
    return json.loads(CHARMAP_PATH.read_text(encoding="utf-8"))


def is_traditional(gold: Gold) -> bool:
    text = "".join(i["text"] for p in gold["projects"] for i in p["items"])
    t2s, s2t = charmap()["t2s"], charmap()["s2t"]
    return sum(c in t2s for c in text) > sum(c in s2t for c in text)


def map_strings(value: Any, convert: Callable[[str], str], skip: frozenset[str] = frozenset()) -> Any:
    """`value` with `convert` applied to every string in it (keys in `skip` are left alone)."""
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [map_strings(v, convert, skip) for v in value]
    if isinstance(value, dict):
        return {k: v if k in skip else map_strings(v, convert, skip) for k, v in value.items()}
    return value


def flip_script(gold: Gold) -> Gold:
    """The gold in the other script: simplified ↔ traditional, every field converted alike, except a
    target unit its quote does not write (the spec's 个 for `彭公桥等3市集`): that one stays."""
    table = charmap()["t2s" if is_traditional(gold) else "s2t"]
    flipped = map_strings(gold, lambda s: "".join(table.get(c, c) for c in s), frozenset({"op"}))
    for project, original in zip(flipped["projects"], gold["projects"], strict=True):
        for item, item_before in zip(project["items"], original["items"], strict=True):
            for target, before in zip(item["targets"], item_before["targets"], strict=True):
                if before.get("unit") and before["unit"] not in before.get("quote", ""):
                    target["unit"] = before["unit"]
    return flipped


def make_charmap() -> dict[str, dict[str, str]]:
    """Per character, what opencc makes of it most often inside the gold texts (phrase-aware, so
    公里 stays 公里), for simplified → traditional and back. Needs `pip install opencc`."""
    import opencc

    strings: list[str] = []

    def collect(s: str) -> str:
        strings.append(s)
        return s

    for name in GOLD_NAMES:
        map_strings(load_gold(name), collect)
    result: dict[str, dict[str, str]] = {}
    for config in ("s2t", "t2s"):
        converter = opencc.OpenCC(config)
        seen: dict[str, Counter[str]] = {}
        for s in strings:
            converted = converter.convert(s)
            if len(converted) != len(s):
                continue
            for a, b in zip(s, converted, strict=True):
                seen.setdefault(a, Counter())[b] += 1
        # A character left as it is more often than converted (里 in 公里) stays.
        mapping = {a: c.most_common(1)[0][0] for a, c in sorted(seen.items())}
        result[config] = {a: b for a, b in mapping.items() if a != b}
    return result


# --- what a gold can express ---------------------------------------------------------------------


class NotApplicable(Exception):
    """This family cannot express this gold faithfully; the message says why."""


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def is_titled(project: dict[str, Any]) -> bool:
    """The project has a name of its own (not just its single entry without the final stop)."""
    items = project["items"]
    return len(items) > 1 or project["name"] != strip_stop(items[0]["text"]) or bool(project.get("alias"))


def strip_stop(text: str) -> str:
    return text[:-1] if text.endswith(("。", ";", "；")) else text


def has_units(gold: Gold) -> bool:
    return any(i["lead_units"] or i["partner_units"] for p in gold["projects"] for i in p["items"])


def drop_units(gold: Gold) -> Gold:
    for p in gold["projects"]:
        for i in p["items"]:
            i["lead_units"], i["partner_units"] = [], []
    return gold


def renumber(gold: Gold) -> Gold:
    """An unnumbered list is numbered by position."""
    for position, p in enumerate(gold["projects"], start=1):
        p["no"] = position
    return gold


def require(condition: bool, reason: str) -> None:
    if not condition:
        raise NotApplicable(reason)


def require_untitled(gold: Gold) -> None:
    require(
        not any(is_titled(p) for p in gold["projects"]),
        "has projects with a name apart from their text (or several items): an entry line cannot carry both",
    )


def require_titled(gold: Gold) -> None:
    require(
        all(is_titled(p) for p in gold["projects"]),
        "has projects whose name is their whole text: a heading over sub-items would repeat it",
    )


SYNTHETIC_CATEGORIES = ["教育文化类", "医疗卫生类", "城乡建设类", "社会保障类"]


def with_categories(gold: Gold) -> Gold:
    """The gold's own category headings, or (when it has none) three or four synthetic ones over
    consecutive runs of projects: headings added above continuously numbered entries change nothing
    else."""
    projects = gold["projects"]
    require(len(projects) >= 2, "a single project cannot show category headings over it")
    if any(p.get("category") for p in projects):
        require(all(p.get("category") for p in projects), "only some projects have a category")
        runs = [k for k, _ in _runs([p["category"] for p in projects])]
        require(len(runs) == len(set(runs)), "a category's projects are not consecutive")
        return gold
    size = -(-len(projects) // min(3, len(projects)))
    names = SYNTHETIC_CATEGORIES
    if is_traditional(gold):
        names = ["".join(charmap()["s2t"].get(c, c) for c in n) for n in names]
    for index, p in enumerate(projects):
        p["category"] = names[index // size]
    return gold


def _runs(values: list[Any]) -> list[tuple[Any, int]]:
    out: list[tuple[Any, int]] = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1] = (v, out[-1][1] + 1)
        else:
            out.append((v, 1))
    return out


# --- text paragraphs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How the scaffolding (markers, unit labels, brackets) is punctuated and where units go."""

    punct: str = "full"  # full | ascii
    units: str = "line"  # line | bracket | none
    header: int = 0  # index into HEADERS for tables
    unit_cells: str = "join"  # join (A、B) | lines (one unit per line)

    @property
    def p(self) -> Punct:
        return FULL if self.punct == "full" else ASCII


def title_lines(gold: Gold) -> list[str]:
    if gold.get("title"):
        return [gold["title"]]
    return [f"{gold['year']}年民生实事项目" if gold.get("year") else "民生实事项目"]


def unit_label_text(item: dict[str, Any], p: Punct) -> str:
    """`责任单位：A、B` or `牵头单位：A、B；配合单位：C` (empty string without units)."""
    lead, partner = "、".join(item["lead_units"]), "、".join(item["partner_units"])
    if lead and partner:
        return f"牵头单位{p['colon']}{lead}{p['semi']}配合单位{p['colon']}{partner}"
    if lead:
        return f"责任单位{p['colon']}{lead}"
    if partner:
        return f"配合单位{p['colon']}{partner}"
    return ""


def item_lines(item: dict[str, Any], style: Style) -> list[str]:
    """An item's text with its units: on a line of their own, or in a bracket after the text."""
    units = unit_label_text(item, style.p) if style.units != "none" else ""
    if not units:
        return [item["text"]]
    if style.units == "bracket":
        return [f"{item['text']}{style.p['open']}{units}{style.p['close']}"]
    return [item["text"], units]


def name_line(project: dict[str, Any], p: Punct) -> str:
    """`名称（别名）`. A name of its own that ends in a bracket would read as name + alias."""
    alias = project.get("alias")
    require(
        bool(alias) or not project["name"].endswith((")", "）")),
        f"name {project['name']!r} ends in a bracket: on a line or in a cell of its own it reads as an alias",
    )
    return project["name"] + (f"{p['open']}{alias}{p['close']}" if alias else "")


def entry_lines(project: dict[str, Any], marker: str, style: Style) -> list[str]:
    """One list entry: `marker + text` for an untitled project, else `marker + name` on its own line
    (a title counts as separate when it has its own line) and each item below it."""
    if not is_titled(project):
        first, *rest = item_lines(project["items"][0], style)
        return [marker + first, *rest]
    lines = [marker + name_line(project, style.p)]
    for item in project["items"]:
        lines += item_lines(item, style)
    return lines


MARKERS: dict[str, Callable[[int, Punct], str]] = {
    "num_dot": lambda n, p: f"{n}.",
    "num_dunhao": lambda n, p: f"{n}、",
    "num_fullstop": lambda n, p: f"{n}。",
    "num_space": lambda n, p: f"{n} ",
    "paren_ascii": lambda n, p: f"({n})",
    "paren_full": lambda n, p: f"（{n}）",
    "circled": lambda n, p: circled(n),
    "cn_dunhao": lambda n, p: f"{cn_number(n)}、",
    "cn_paren": lambda n, p: f"（{cn_number(n)}）",
    "cn_shi": lambda n, p: f"{cn_number(n)}是",
    "cn_di": lambda n, p: f"第{cn_number(n)}项{p['colon']}",
}


def render_marked(gold: Gold, marker: str, style: Style) -> str:
    mark = MARKERS[marker]
    lines = title_lines(gold)
    for project in gold["projects"]:
        lines += entry_lines(project, mark(project["no"], style.p), style)
    return "\n".join(lines) + "\n"


def is_title_sentence(name: str) -> bool:
    """A name that reads as a title when it is the entry's first sentence: short, and without `,` `;`
    `:` outside brackets (the corpus convention; a first clause with a comma is content)."""
    return len(name) <= 20 and not re.search(r"[,，;；:：。]", _BRACKETED.sub("", name))


def render_title_sentence(gold: Gold, style: Style) -> str:
    """`1.名称。内容` on one line: the title is the short first sentence (02, 14, 18's shape)."""
    titled = [p for p in gold["projects"] if is_titled(p)]
    require(bool(titled), "no project with a name of its own")
    for project in titled:
        require(len(project["items"]) == 1, "a project with several items has no one-line entry")
        require(not project.get("alias"), "an alias after a title sentence is not a convention")
        require(is_title_sentence(project["name"]), f"name {project['name']!r} is long or has , ; :")
    lines = title_lines(gold)
    for project in gold["projects"]:
        first, *rest = item_lines(project["items"][0], style)
        title = f"{project['name']}。" if is_titled(project) else ""
        lines += [f"{project['no']}.{title}{first}", *rest]
    return "\n".join(lines) + "\n"


def render_number_line(gold: Gold, style: Style) -> str:
    """The number alone on its line, a blank line, then the entry (17's shape)."""
    lines = title_lines(gold)
    for project in gold["projects"]:
        lines += ["", str(project["no"]), "", *entry_lines(project, "", style)]
    return "\n".join(lines) + "\n"


def render_plain_lines(gold: Gold, style: Style) -> str:
    """One entry per line and no marker at all (16's shape): numbered by position."""
    require_untitled(gold)
    require(style.units != "line", "a unit line between unmarked entries would read as an entry")
    lines = title_lines(gold)
    for project in gold["projects"]:
        lines += item_lines(project["items"][0], style)
    return "\n".join(lines) + "\n"


def end_with_stop(gold: Gold) -> Gold:
    """Inline entries need a terminator: a text without one gets `。` (name unchanged)."""
    for project in gold["projects"]:
        item = project["items"][0]
        if not item["text"].endswith(("。", ";", "；")):
            item["text"] += "。"
    return gold


def render_inline_numbered(gold: Gold, style: Style) -> str:
    """The whole list in one paragraph `1.…。2.…。` (04's shape)."""
    require_untitled(gold)
    paragraph = "".join(f"{p['no']}.{p['items'][0]['text']}" for p in gold["projects"])
    return "\n".join([*title_lines(gold), paragraph]) + "\n"


def render_inline_named(gold: Gold, style: Style) -> str:
    """`名称，内容；名称，内容。` in one paragraph, no numbers (15's shape)."""
    p = style.p
    parts = []
    for index, project in enumerate(gold["projects"]):
        require(is_titled(project) and len(project["items"]) == 1, "an entry without a name of its own")
        require(not project.get("alias"), "an alias has no place in an inline name phrase")
        name, text = project["name"], strip_stop(project["items"][0]["text"])
        require(not re.search(r"[,，;；:：。]", _BRACKETED.sub("", name)), f"name {name!r} has , ; : or 。")
        require(
            not re.search(r"[;；。]", text), "an entry text with ; or 。 inside cannot be one inline entry"
        )
        last = index == len(gold["projects"]) - 1
        end = "。" if last else p["semi"]
        project["items"][0]["text"] = text + end
        parts.append(f"{name}{p['comma']}{text}{end}")
    return "\n".join([*title_lines(gold), "".join(parts)]) + "\n"


CATEGORY_STYLES: dict[str, Callable[[int, str, int, Punct], str]] = {
    "cat_cn_dunhao": lambda k, name, count, p: f"{cn_number(k)}、{name}",
    "cat_with_count": lambda k, name, count, p: f"{cn_number(k)}、{name}{p['comma']}共{count}项",
    "cat_cn_paren": lambda k, name, count, p: f"（{cn_number(k)}）{name}",
}


def render_categories(gold: Gold, heading: str, style: Style) -> str:
    """Category headings over `1.` entries numbered continuously across them (05's shape)."""
    head = CATEGORY_STYLES[heading]
    lines = title_lines(gold)
    projects = iter(gold["projects"])
    for k, (name, count) in enumerate(_runs([p["category"] for p in gold["projects"]]), start=1):
        lines.append(head(k, name, count, style.p))
        for _ in range(count):
            project = next(projects)
            lines += entry_lines(project, f"{project['no']}.", style)
    return "\n".join(lines) + "\n"


def render_sub_items(gold: Gold, style: Style) -> str:
    """Project headings `一、名称` over sub-item lines `（一）…`, numbering restarting per project (20)."""
    require_titled(gold)
    lines = title_lines(gold)
    p = style.p
    for project in gold["projects"]:
        lines.append(f"{cn_number(project['no'])}、{name_line(project, p)}")
        for k, item in enumerate(project["items"], start=1):
            first, *rest = item_lines(item, style)
            lines += [f"{p['open']}{cn_number(k)}{p['close']}{first}", *rest]
    return "\n".join(lines) + "\n"


# --- tables --------------------------------------------------------------------------------------

HEADERS = [
    {"no": "序号", "name": "项目名称", "content": "主要内容", "lead": "责任单位", "partner": "配合单位"},
    {"no": "序号", "name": "事项名称", "content": "实事内容", "lead": "牵头单位", "partner": "协同单位"},
    {"no": "序号", "name": "实事项目", "content": "项目内容", "lead": "主办单位", "partner": "协办单位"},
    {"no": "序号", "name": "项目名称", "content": "目标任务", "lead": "牵头单位", "partner": "共同责任单位"},
]


@dataclass
class Grid:
    """A logical table: header labels and data rows of cells (a cell's lines joined by "\\n")."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def table_grid(gold: Gold, style: Style) -> Grid:
    """序号 / name (when a project has a name of its own) / content / lead / partner (when the gold
    has them). A project's further items are rows with 序号 and name left empty and their own units;
    a row that is empty apart from its content continues the item above, so a further item whose
    units are empty can only be written when the project's first item has none either."""
    projects = gold["projects"]
    roles = ["no"]
    if any(is_titled(p) for p in projects):
        roles.append("name")
    roles.append("content")
    if style.units != "none":
        if any(i["lead_units"] for p in projects for i in p["items"]):
            roles.append("lead")
        if any(i["partner_units"] for p in projects for i in p["items"]):
            roles.append("partner")
    labels = HEADERS[style.header]
    joiner = "\n" if style.unit_cells == "lines" else "、"
    grid = Grid(header=[labels[r] for r in roles], roles=roles)
    for project in projects:
        for index, item in enumerate(project["items"]):
            if index and "lead" in roles:
                require(
                    bool(item["lead_units"]) or not project["items"][0]["lead_units"],
                    "a further item without units would inherit those of the item above",
                )
            cells = {
                "no": str(project["no"]) if index == 0 else "",
                "name": name_line(project, style.p) if index == 0 and "name" in roles else "",
                "content": item["text"],
                "lead": joiner.join(item["lead_units"]),
                "partner": joiner.join(item["partner_units"]),
            }
            grid.rows.append([cells[r] for r in roles])
    return grid


def display_width(text: str) -> int:
    """Columns a monospace editor gives `text` (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _tab_aligned(row: list[str], rows: list[list[str]]) -> str:
    """The row with each column starting at the same tab stop (every 8 columns) in every row, as an
    editor aligns a table typed with tabs: short cells are followed by several tabs."""
    starts = [0]
    for c in range(len(row) - 1):
        widest = max(display_width(r[c]) for r in rows)
        starts.append((starts[-1] + widest) // 8 * 8 + 8)
    out, position = "", 0
    for c, text in enumerate(row):
        out += text
        position += display_width(text)
        if c + 1 < len(row):
            tabs = max(1, (starts[c + 1] - position // 8 * 8) // 8)
            out += "\t" * tabs
            position = starts[c + 1]
    return out


def _without_trailing_empty(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _one_line_cells(grid: Grid, what: str) -> None:
    require(not any("\n" in c for row in grid.rows for c in row), f"{what} cannot hold a cell over two lines")


def render_table_rows(grid: Grid, gold: Gold, shape: str) -> str:
    """One row per line: cells separated by a tab, by runs of tabs, by pipes or by runs of spaces."""
    _one_line_cells(grid, shape)
    rows = [grid.header, *grid.rows]
    if shape in ("tab_runs", "space_runs"):
        require(
            all("" not in _without_trailing_empty(row) for row in grid.rows),
            "an empty cell inside a row cannot be told from the run that separates cells",
        )
    if shape == "tab_cells":
        body = ["\t".join(r) for r in rows]
    elif shape == "tab_runs":
        body = [_tab_aligned(r, rows).rstrip("\t") for r in rows]
    elif shape == "pipe_rows":
        body = ["| " + " | ".join(r) + " |" for r in rows]
    elif shape == "space_runs":
        widths = [max(display_width(r[c]) for r in rows) for c in range(len(grid.header))]
        body = ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    else:
        raise ValueError(shape)
    return "\n".join([*title_lines(gold), *body]) + "\n"


def render_cell_lines(grid: Grid, gold: Gold, shape: str) -> str:
    """The table flattened one cell per line (01, 07, 25, 26's shapes).

    `cells`: no blank lines, an empty unit cell written `/` (the spec's empty mark); a row with empty
    序号/name cells cannot be told apart, so golds with merged rows do not apply. `cells_blank`: a blank
    line between cells, an empty cell as an extra blank line (26). `cells_pipe`: every cell line ends
    with ` |` (25). `cells_wrapped`: blank lines between cells and long cells broken over lines of 18
    characters (never between two digits), unit cells one unit per line (01, 07). `cells_header_split`:
    like `cells_blank`, with each header label of four characters or more broken over two lines (01, 24)."""
    lines = title_lines(gold)
    rows = [grid.header, *grid.rows]
    unit_columns = {c for c, role in enumerate(grid.roles) if role in ("lead", "partner")}

    def cell_text(column: int, text: str) -> list[str]:
        if not text and column in unit_columns:
            return ["/"]
        if shape == "cells_wrapped" and column not in unit_columns:
            return wrap(text, 18)
        return text.split("\n") if text else [""]

    for row_index, row in enumerate(rows):
        if shape in ("cells", "cells_pipe"):
            require(
                all(c or column in unit_columns for column, c in enumerate(row)),
                "a merged row (empty 序号/name) cannot be told apart without blank lines",
            )
        for column, text in enumerate(row):
            if row_index:
                cell = cell_text(column, text)
            elif shape == "cells_header_split" and len(text) >= 4:
                cell = [text[: len(text) // 2], text[len(text) // 2 :]]  # 主要/内容, as 01 and 24 print it
            else:
                cell = text.split("\n")
            if shape == "cells":
                lines += cell
            elif shape == "cells_pipe":
                lines += [f"{c} |" for c in cell]
            else:
                lines += ["", *cell] if cell != [""] else [""]
    return "\n".join(lines) + "\n"


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines of about `width` characters, never between two digits."""
    out: list[str] = []
    start = 0
    while len(text) - start > width:
        cut = start + width
        while cut < len(text) and text[cut - 1].isdigit() and text[cut].isdigit():
            cut += 1
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


# --- binary formats ------------------------------------------------------------------------------


def _document(grid: Grid, gold: Gold) -> Any:
    from minsheng.parsing.blocks import Cell, Document, Paragraph, Row, Table

    rows = [Row([Cell(c) for c in r]) for r in [grid.header, *grid.rows]]
    return Document(blocks=[*(Paragraph(t) for t in title_lines(gold)), Table(rows=rows)])


def _paragraphs(text: str) -> Any:
    from minsheng.parsing.blocks import Document, Paragraph

    return Document(blocks=[Paragraph(line) for line in text.splitlines() if line])


def render_docx_paragraphs(gold: Gold, style: Style) -> bytes:
    """The `1.` rendering as Word paragraphs, one per line (how 03, 04, 19 are published)."""
    from builders import docx_from_document

    return docx_from_document(_paragraphs(render_marked(gold, "num_dot", style)))


def render_html_paragraphs(gold: Gold, style: Style) -> bytes:
    """The `1.` rendering as `<p>` paragraphs of a page with site navigation."""
    from builders import html_from_document

    return html_from_document(_paragraphs(render_marked(gold, "num_dot", style)))


def render_with_intro(gold: Gold, style: Style) -> str:
    """An introduction with counts and money before the `1.` list (a count in the introduction is
    neither a project nor a target; 12, 13, 14 have one)."""
    title, *rest = render_marked(gold, "num_dot", style).split("\n", 1)
    n = len(gold["projects"])
    intro = (
        f"经研究，{gold.get('year') or 2024}年共安排民生实事项目{n}项，总投资约3.5亿元，"
        "惠及群众20万人以上。现将项目清单公布如下："
    )
    return "\n".join([title, intro, *rest])


def render_docx(grid: Grid, gold: Gold) -> bytes:
    from builders import docx_from_document

    return docx_from_document(_document(grid, gold))


def render_html(grid: Grid, gold: Gold) -> bytes:
    from builders import html_from_document

    return html_from_document(_document(grid, gold))


def render_xlsx(grid: Grid, gold: Gold) -> bytes:
    """The table on sheet 清单 below the title row, cells with line breaks wrapped as Excel does."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "清单"
    for line in title_lines(gold):
        sheet.append([line])
    sheet.append(grid.header)
    for row in grid.rows:
        sheet.append(
            [int(c) if role == "no" and c.isdigit() else c for role, c in zip(grid.roles, row, strict=True)]
        )
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PDF_CACHE = Path(tempfile.gettempdir()) / "minsheng-layout-pdfs"


def render_pdf(grid: Grid, gold: Gold) -> bytes:
    """LibreOffice's PDF of the docx rendering, cached on disk (a conversion takes seconds). RuntimeError
    without LibreOffice."""
    from builders import pdf_from_docx

    # python-docx stamps the save time into the docx, so the key is what decides the document: the
    # table and the code that writes it.
    writer = (PARSING_TESTS / "builders.py").read_bytes()
    key = hashlib.sha256(json.dumps([title_lines(gold), grid.header, grid.rows]).encode() + writer)
    path = PDF_CACHE / f"{key.hexdigest()[:24]}.pdf"
    if not path.exists():
        PDF_CACHE.mkdir(parents=True, exist_ok=True)
        data = pdf_from_docx(render_docx(grid, gold))
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: two test workers may convert the same table
    return path.read_bytes()


def _five_columns(gold: Gold) -> Gold:
    """The gold as builders.py's Jintan table takes it (a title line; every project gets a name cell):
    序号/项目名称/主要内容/责任单位/配合单位 with the number and name merged down a project's rows and a
    unit cell merged over the items that share it."""
    for project in gold["projects"]:
        name_line(project, FULL)
    out = copy.deepcopy(gold)
    out["title"] = title_lines(gold)[0]
    return out


def render_docx_merged(gold: Gold, style: Style) -> bytes:
    from builders import build_docx

    return build_docx(gold)


def render_xlsx_merged(gold: Gold, style: Style) -> bytes:
    from builders import build_xlsx

    return build_xlsx(gold)


def render_html_rowspan(gold: Gold, style: Style) -> bytes:
    """A GBK page (as many government sites are) with rowspan cells."""
    from builders import build_html

    try:
        return build_html(gold)
    except UnicodeEncodeError as exc:
        raise NotApplicable(f"a character GBK cannot encode: {exc.object[exc.start : exc.end]!r}") from exc


# --- the families --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A layout family: how to turn an (expected) gold into a document.

    `prepare` changes the expected gold (and may raise NotApplicable); `render` makes the document from
    it. `extension` is the file name's (".txt" for text, parsed with parse_text)."""

    name: str
    render: Callable[[Gold, Style], str | bytes]
    style: Style = Style()
    prepare: tuple[Callable[[Gold], Gold], ...] = ()
    extension: str = ".txt"
    doc: str = ""
    # What applicable() runs instead of render() for a slow binary format (default: table_grid).
    check: Callable[[Gold, Style], object] | None = None

    @property
    def binary(self) -> bool:
        return self.extension != ".txt"


def _marked(marker: str) -> Callable[[Gold, Style], str]:
    return lambda gold, style: render_marked(gold, marker, style)


def _table(shape: str) -> Callable[[Gold, Style], str]:
    def render(gold: Gold, style: Style) -> str:
        grid = table_grid(gold, style)
        if shape.startswith("cells"):
            return render_cell_lines(grid, gold, shape)
        return render_table_rows(grid, gold, shape)

    return render


def _binary(make: Callable[[Grid, Gold], bytes]) -> Callable[[Gold, Style], bytes]:
    return lambda gold, style: make(table_grid(gold, style), gold)


def _cats(heading: str) -> Callable[[Gold, Style], str]:
    return lambda gold, style: render_categories(gold, heading, style)


def _no_units(gold: Gold) -> Gold:
    return drop_units(gold)


def _ascii(gold: Gold) -> Gold:
    return map_strings(gold, to_ascii_punct, frozenset({"op"}))


def _full(gold: Gold) -> Gold:
    return map_strings(gold, to_full_punct, frozenset({"op"}))


def _needs_units(gold: Gold) -> Gold:
    require(has_units(gold), "no units in the gold: nothing for a unit layout to show")
    return gold


def _single_items(gold: Gold) -> Gold:
    require(all(len(p["items"]) == 1 for p in gold["projects"]), "a project with several items")
    return gold


# LibreOffice takes about two seconds a file: the PDF family renders a representative subset (a
# wrapped two-line cell, a continuation row, a content-only progress table, lead and partner units, a
# bare-number target cell, traditional text with merged rows, Jintan's multi-item projects).
PDF_GOLDS = frozenset(
    {
        "01-jiangshan-2023",
        "07-dazhu-2016",
        "09-cangnan-2022",
        "21-lianyungang-2021",
        "24-yueyanglou-2019",
        "26-jiangbei-2023",
        "jintan-2024",
    }
)


def _pdf_subset(gold: Gold) -> Gold:
    require(gold["layout_gold"] in PDF_GOLDS, "pdf renders a representative subset only")
    return gold


def _circled_range(gold: Gold) -> Gold:
    # ㉑–㊿ exist, but lists (and Word's numbering) use ① to ⑳ only.
    require(max(p["no"] for p in gold["projects"]) <= 20, "circled numerals stop at ⑳ in practice")
    return gold


def _no_bare_number_items(gold: Gold) -> Gold:
    require(
        not any(i["text"].isdigit() for p in gold["projects"] for i in p["items"]),
        "an item that is a bare number (the `5` of 24) would read as the number line of the next entry",
    )
    return gold


FAMILIES: dict[str, Family] = {}


def _add(family: Family) -> None:
    FAMILIES[family.name] = family


# Numbered paragraphs: one family per marker; units on a line of their own after each item.
for _marker, _doc in [
    ("num_dot", "`1.` entries"),
    ("num_dunhao", "`1、` entries"),
    ("num_fullstop", "`1。` entries (22)"),
    ("num_space", "`1 ` number and a space (13)"),
    ("paren_ascii", "`(1)` entries (02)"),
    ("paren_full", "`（1）` entries"),
    ("circled", "`①` entries"),
    ("cn_dunhao", "`一、` entries (03)"),
    ("cn_paren", "`（一）` entries"),
    ("cn_shi", "`一是` ordinal paragraphs (19)"),
    ("cn_di", "`第一项：` entries"),
]:
    _add(
        Family(
            _marker,
            _marked(_marker),
            prepare=(_circled_range,) if _marker == "circled" else (),
            doc=_doc,
        )
    )
_add(
    Family(
        "number_line",
        render_number_line,
        prepare=(_no_bare_number_items,),
        doc="number alone on its line, then the entry (17)",
    )
)
_add(
    Family(
        "plain_lines",
        render_plain_lines,
        Style(units="none"),
        prepare=(_no_units, renumber),
        doc="one entry per line, no marker, numbered by position (16); units dropped",
    )
)
_add(
    Family(
        "inline_named",
        render_inline_named,
        Style(units="none"),
        prepare=(_no_units, renumber),
        doc="`名称，内容；名称，内容。` in one paragraph (15); units dropped",
    )
)
_add(
    Family(
        "inline_numbered",
        render_inline_numbered,
        Style(units="none"),
        prepare=(_no_units, _single_items, end_with_stop),
        doc="`1.…。2.…。` in one paragraph (04); units dropped",
    )
)
# Two levels.
for _heading, _doc in [
    ("cat_cn_dunhao", "category headings `一、…` over `1.` entries numbered continuously (05, 22)"),
    ("cat_with_count", "category headings `一、…，共N项` over `1.` entries (05)"),
    ("cat_cn_paren", "category headings `（一）…` over `1.` entries"),
]:
    _add(Family(_heading, _cats(_heading), prepare=(with_categories,), doc=_doc))
_add(
    Family("sub_items", render_sub_items, doc="project headings `一、名称` over `（一）` sub-item lines (20)")
)
# Tables flattened to text.
for _shape, _doc in [
    ("tab_cells", "table rows, cells separated by one tab"),
    ("tab_runs", "table rows, cells separated by runs of tabs (tab-aligned columns)"),
    ("pipe_rows", "table rows `| a | b |` (06)"),
    ("space_runs", "table rows, cells separated by runs of spaces (24)"),
    ("cells", "one cell per line, no blank lines, `/` for an empty unit cell"),
    ("cells_blank", "one cell per line, blank lines between cells (07, 26)"),
    ("cells_pipe", "one cell per line ending ` |` (25)"),
    ("cells_wrapped", "one cell per line, long cells wrapped over lines, one unit per line (01, 07)"),
    ("cells_header_split", "one cell per line, blank lines between, header labels broken in two (01, 24)"),
]:
    _style = Style(unit_cells="lines") if _shape == "cells_wrapped" else Style()
    _add(Family(_shape, _table(_shape), _style, doc=_doc))
# Real tables.
for _name, _make, _ext in [
    ("docx_table", render_docx, ".docx"),
    ("xlsx_table", render_xlsx, ".xlsx"),
    ("html_table", render_html, ".html"),
    ("pdf_table", render_pdf, ".pdf"),
]:
    _subset = (_pdf_subset,) if _ext == ".pdf" else ()
    _add(Family(_name, _binary(_make), prepare=_subset, extension=_ext, doc=f"a real {_ext[1:]} table"))
# Real tables with vertically merged cells, written by tests/parsing/builders.py.
_add(
    Family(
        "docx_merged",
        render_docx_merged,
        prepare=(_five_columns,),
        extension=".docx",
        doc="docx, number/name/units merged down",
    )
)
_add(
    Family(
        "xlsx_merged",
        render_xlsx_merged,
        prepare=(_five_columns,),
        extension=".xlsx",
        doc="xlsx with merged cells, a notes sheet first",
    )
)
_add(
    Family(
        "html_rowspan",
        render_html_rowspan,
        prepare=(_five_columns,),
        extension=".html",
        doc="a GBK page, rowspan cells",
    )
)
# Variants on a base family.
_add(
    Family("num_dot+intro", render_with_intro, doc="`1.` entries after an introduction with counts and money")
)
_add(
    Family(
        "docx_paragraphs",
        render_docx_paragraphs,
        extension=".docx",
        check=_marked("num_dot"),
        doc="`1.` entries as Word paragraphs, units on a line of their own",
    )
)
_add(
    Family(
        "html_paragraphs",
        render_html_paragraphs,
        extension=".html",
        doc="`1.` entries as <p> paragraphs of a page",
    )
)
_add(
    Family(
        "num_dot+title_sentence", render_title_sentence, doc="`1.名称。内容`: a short first sentence as title"
    )
)
_add(Family("num_dot+script", _marked("num_dot"), prepare=(flip_script,), doc="`1.` in the other script"))
_add(
    Family(
        "cells_blank+script", _table("cells_blank"), prepare=(flip_script,), doc="cells in the other script"
    )
)
_add(
    Family(
        "num_dot+ascii", _marked("num_dot"), Style(punct="ascii"), prepare=(_ascii,), doc="ASCII , ; : ( )"
    )
)
_add(Family("num_dot+fullwidth", _marked("num_dot"), prepare=(_full,), doc="full-width ， ； ： （ ）"))
_add(
    Family(
        "num_dot+unit_bracket",
        _marked("num_dot"),
        Style(units="bracket"),
        prepare=(_needs_units,),
        doc="units in a bracket after the text `（牵头单位：A；配合单位：B）` (18, 21)",
    )
)
_add(
    Family(
        "num_dot+unit_bracket_ascii",
        _marked("num_dot"),
        Style(units="bracket", punct="ascii"),
        prepare=(_needs_units, _ascii),
        doc="units in an ASCII bracket `(牵头单位:A;配合单位:B)`, ASCII punctuation throughout",
    )
)
_add(
    Family(
        "num_dot+no_units",
        _marked("num_dot"),
        Style(units="none"),
        prepare=(_needs_units, _no_units),
        doc="the gold's units left out",
    )
)
for _k in (1, 2, 3):
    _add(
        Family(
            f"tab_cells+header{_k}",
            _table("tab_cells"),
            Style(header=_k),
            prepare=(_needs_units,),
            doc=f"header synonyms {'/'.join(HEADERS[_k].values())}",
        )
    )
_add(
    Family(
        "docx_table+script",
        _binary(render_docx),
        prepare=(flip_script,),
        extension=".docx",
        doc="docx, other script",
    )
)
_add(
    Family(
        "docx_table+unit_lines",
        _binary(render_docx),
        Style(unit_cells="lines"),
        prepare=(_needs_units,),
        extension=".docx",
        doc="docx, one unit per line in a unit cell (07)",
    )
)
_add(
    Family(
        "xlsx_table+header3",
        _binary(render_xlsx),
        Style(header=3),
        prepare=(_needs_units,),
        extension=".xlsx",
        doc=f"xlsx with header synonyms {'/'.join(HEADERS[3].values())}",
    )
)
_add(
    Family(
        "tab_cells+no_units",
        _table("tab_cells"),
        Style(units="none"),
        prepare=(_needs_units, _no_units),
        doc="a table without its unit columns",
    )
)


@dataclass
class Case:
    family: str
    gold: str
    expected: Gold
    document: str | bytes
    filename: str


def normalized(gold: Gold, keep_categories: bool) -> Gold:
    """The gold as every rendering states it: names, aliases and categories without white space (the
    parser removes white space inside lines, and 10/17 keep a space in a name), and no categories
    unless the family prints category headings."""
    for p in gold["projects"]:
        for key in ("name", "alias", "category"):
            if isinstance(p.get(key), str):
                p[key] = re.sub(r"\s+", "", p[key])
        if not keep_categories:
            p.pop("category", None)
    return gold


def prepare_expected(family: Family, gold_name: str, keep: slice | None = None) -> Gold:
    """The gold this family's rendering must parse to; `keep` takes a slice of its projects (the
    report's shrinker uses it to find a small failing example)."""
    expected = normalized(load_gold(gold_name), keep_categories=with_categories in family.prepare)
    expected["layout_gold"] = gold_name  # an extra key: which gold this case renders
    if keep is not None:
        expected["projects"] = expected["projects"][keep]
        require(bool(expected["projects"]), "no project kept")
    for step in family.prepare:
        expected = step(expected)
    return expected


def render(family_name: str, gold_name: str, keep: slice | None = None) -> Case:
    """The case (family, gold): its document and the gold it must parse to. Raises NotApplicable."""
    family = FAMILIES[family_name]
    expected = prepare_expected(family, gold_name, keep)
    document = family.render(expected, family.style)
    safe = family_name.replace("+", "_")
    return Case(family_name, gold_name, expected, document, f"{gold_name}-{safe}{family.extension}")


def applicable(family_name: str, gold_name: str) -> str | None:
    """None when the family can render the gold, else the reason it cannot (docx, xlsx and pdf are only
    checked, not rendered: that takes long)."""
    family = FAMILIES[family_name]
    try:
        expected = prepare_expected(family, gold_name)
        if family.extension in (".docx", ".xlsx", ".pdf"):
            (family.check or table_grid)(expected, family.style)
        else:
            family.render(expected, family.style)
    except NotApplicable as exc:
        return str(exc)
    return None


def main(argv: list[str]) -> int:
    if "--charmap" in argv:
        CHARMAP_PATH.write_text(
            json.dumps(make_charmap(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )
        print(f"wrote {CHARMAP_PATH}")
        return 0
    if "--families" in argv or len(argv) < 2:
        for family in FAMILIES.values():
            print(f"{family.name:28} {family.doc}")
        return 0
    case = render(argv[0], argv[1])
    if isinstance(case.document, bytes):
        out = Path(tempfile.gettempdir()) / case.filename
        out.write_bytes(case.document)
        print(out)
    else:
        print(case.document, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
