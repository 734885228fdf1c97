"""Layouts 2-5: the list written as numbered paragraphs.

- numbered entries (`1.` `1、` `（1）` `(1)` `一、` `（一）` `第一项` `①`), each with a title and content,
  units on their own line or in brackets (`责任单位：…；配合单位：…`, `（牵头单位:市人社局）`);
- category headings (a heading-like outer numbering over the entries) → `Project.category`;
  with three levels the middle one is the project and the innermost its items;
- a whole list inline in one paragraph (`分别是：（1）…（2）…`, `1.…。2.…。`);
- a document cut off mid-entry: the broken last entry is dropped and reported.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from minsheng.parsing.blocks import Paragraph
from minsheng.parsing.layout.columns import column_key, extra_key, extra_value
from minsheng.parsing.layout.names import category_name, clean_name, entry_name, split_title
from minsheng.parsing.model import Item, ParseWarning, Project
from minsheng.parsing.normalize import compact, fold, marker_number
from minsheng.parsing.units import looks_like_unit, split_units

_CN = "一二三四五六七八九十百"
# Marker families. The first seven are always recognised; the others only when the structure finder
# (`layout/candidates.py`) tries a reading made of them, because their markers also occur inside
# ordinary text (`10 所`, a line that is only a page number).
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("di", re.compile(rf"第([{_CN}\d]+)[项件条个][、.:,\s]*")),
    ("pcn", re.compile(rf"\(([{_CN}]+)\)[、.]?\s*")),
    ("cn", re.compile(rf"([{_CN}]+)(?:、|\.(?!\d))\s*")),
    ("par", re.compile(r"\((\d{1,4})\)[、.]?\s*")),
    ("rpar", re.compile(r"(\d{1,4})\)\s*")),
    ("ar", re.compile(r"(\d{1,4})\s*(?:、|。|\.(?!\d))\s*")),
    ("circ", re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    ("shi", re.compile(rf"([{_CN}]+)是(?=[^,;。是]{{2}})")),  # 一是…，二是…
    ("sp", re.compile(r"(\d{1,3})[ \t]+(?=[^\d\s%])")),  # `1 实施…` at the start of a line only
    ("bare", re.compile(r"(\d{1,3})\s*$")),  # a number alone on its line; the entry is the next line
]
DEFAULT_FAMILIES = frozenset(("di", "pcn", "cn", "par", "rpar", "ar", "circ"))
EXTRA_FAMILIES = ("shi", "sp", "bare")
_LINE_START_ONLY = ("sp", "bare")
# Under a heading numbered 1. or 第一项, entries numbered (1) or ① are that project's items; under
# 一、 or （一） the numbered entries are projects grouped by category.
_PROJECT_STYLES = ("ar", "rpar", "di")
_ITEM_STYLES = ("par", "circ", "rpar")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_BOUNDARY = set("。；;:!?！？ \t")
_BOUNDARY_PAREN = _BOUNDARY | set(",，、")

_LEAD_LABELS = r"责任单位|牵头单位|主办单位|责任部门|牵头部门|主责单位|承办单位|实施单位|负责单位"
_PARTNER_LABELS = r"共同责任单位|配合单位|协办单位|配合部门|协作单位|参与单位|协同单位|协助单位"
_UNIT_LABEL = re.compile(rf"[(\[]?\s*({_LEAD_LABELS}|{_PARTNER_LABELS})\s*[:为]\s*")
_PARTNER_RE = re.compile(_PARTNER_LABELS)
_TERMINAL = tuple('。.！!？?；;)）”"')


def _number(style: str, raw: str) -> int | None:
    if style == "circ":
        return _CIRCLED.index(raw) + 1
    return marker_number(raw)


def _match_marker(
    folded: str, pos: int = 0, families: frozenset[str] = DEFAULT_FAMILIES
) -> tuple[str, int, int] | None:
    """(style, number, end of the marker) for a marker starting at `pos`."""
    for style, pattern in _MARKERS:
        if style not in families or (style in _LINE_START_ONLY and pos > 0):
            continue
        m = pattern.match(folded, pos)
        if m:
            number = _number(style, m.group(1))
            if number is not None and number > 0:
                return style, number, m.end()
    return None


@dataclass
class Segment:
    text: str  # as written
    location: str
    kind: str = "plain"  # plain, entry, units
    style: str = ""
    number: int = 0
    body: str = ""  # entry text after the marker


def _split_inline(text: str, families: frozenset[str] = DEFAULT_FAMILIES) -> list[str]:
    """Cut a paragraph at inline list markers that count up (1. … 2. … or （1）…（2）…)."""
    folded = fold(text)
    lead = _match_marker(folded.lstrip(), families=families)
    offset = len(folded) - len(folded.lstrip())
    best: list[int] = []
    for style, pattern in _MARKERS:
        if style not in families or style in _LINE_START_ONLY:
            continue
        if lead is not None and lead[0] != style:
            continue
        boundary = _BOUNDARY if style in ("ar", "cn", "di", "shi") else _BOUNDARY_PAREN
        starts: list[tuple[int, int]] = []
        matches = list(pattern.finditer(folded))
        if style == "ar":  # `。2.50个小区`: entry 2 when 2 comes next in the chain (a figure follows)
            matches += [m for m in _NUMBER_THEN_DIGIT.finditer(folded) if m.group(2) == "."]
            matches.sort(key=lambda m: m.start())
        for m in matches:
            p = m.start()
            if p > offset and folded[p - 1] not in boundary:
                continue
            number = _number(style, m.group(1))
            if number is not None:
                starts.append((p, number))
        chain: list[int] = []
        expected = lead[1] if lead is not None else 1
        for p, number in starts:
            if lead is not None and not chain and p != offset:
                continue
            if number == expected:
                chain.append(p)
                expected += 1
        if len(chain) >= 2 and len(chain) > len(best):
            best = chain
    if not best:
        return [text]
    cuts = ([0] if best[0] > offset else []) + best + [len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


# A category heading without a number: `教育类（3件）`, `【民生保障】`, `优化教育资源布局类,共2项`.
# The count must be marked as one (`,共3项`, `(3件)`, `共3项`): `…泊位7000个` is content, not a heading.
_COUNT_SUFFIX = r"(?:(?:[,，]\s*共?|\(\s*共?|共)\s*[0-9一二两三四五六七八九十]+\s*[件项个]\s*\)?)"
_BARE_CATEGORY = re.compile(
    rf"^\s*(?:\[[^\]]{{2,20}}\]|[^,，。;；:：]{{2,20}}?[类類]{_COUNT_SUFFIX}?|[^,，。;；:：()]{{2,20}}{_COUNT_SUFFIX})\s*$"
)
_NOT_CATEGORY = re.compile(r"(?:19|20)\d{2}|清单|计划|实事项目|附件|通知|公告")


def category_heading(text: str) -> str | None:
    """The category a heading paragraph names (`一、教育文体类（2件）` → 教育文体类, `【民生保障】`), or
    None when the paragraph is not a category heading."""
    folded = fold(text).strip()
    if not folded or _NOT_CATEGORY.search(folded):
        return None
    found = _match_marker(folded)
    if found and found[0] in ("cn", "pcn"):
        body = text.strip()[found[2] :]
        return category_name(body) if _heading_like(body) else None
    if _BARE_CATEGORY.match(folded):
        return category_name(text.strip().strip("[]【】"))
    return None


def _segments(paragraphs: list[Paragraph], families: frozenset[str] = DEFAULT_FAMILIES) -> list[Segment]:
    out: list[Segment] = []
    for para in paragraphs:
        for piece in _split_inline(para.text, families):
            seg = Segment(text=piece, location=para.location)
            folded = fold(piece).strip()
            if _UNIT_LABEL.match(folded):
                seg.kind = "units"
            elif out and out[-1].style == "bare" and not out[-1].body:
                # The line after a number alone on its line is that entry's text.
                out[-1].body = piece.strip()
                out[-1].text = f"{out[-1].text.strip()} {piece.strip()}"
                continue
            else:
                found = _match_marker(folded, families=families) or _number_before_number(
                    folded, out, families
                )
                if found:
                    seg.kind, seg.style, seg.number = "entry", found[0], found[1]
                    seg.body = piece.strip()[found[2] :].strip()
                elif _BARE_CATEGORY.match(folded) and not _NOT_CATEGORY.search(folded):
                    seg.kind = "category"
            out.append(seg)
    return out


_NUMBER_THEN_DIGIT = re.compile(r"(\d{1,3})(\.|[ \t]+)(?=\d)")
_YEAR_AHEAD = re.compile(r"(?:19|20)\d{2}年")


def _number_before_number(
    folded: str, before: list[Segment], families: frozenset[str]
) -> tuple[str, int, int] | None:
    """`2.50个小区…` (or `2 50个小区…`) after entry 1: entry 2 whose text starts with a figure (`1.5万`
    stays a number unless it is exactly the next entry's number)."""
    m = _NUMBER_THEN_DIGIT.match(folded)
    if not m:
        return None
    style = "ar" if m.group(2) == "." else "sp"
    if style not in families:
        return None
    last = next((s for s in reversed(before) if s.kind == "entry" and s.style == style), None)
    number = int(m.group(1))
    if last is None:
        # the first entry: only a year can follow its number straight away (`1.2025年村内…`)
        if number != 1 or not _YEAR_AHEAD.match(folded, m.end()):
            return None
    elif number != last.number + 1:
        return None
    return style, number, m.end()


def parse_units(text: str) -> tuple[str, list[str], list[str], str | None]:
    """Split unit labels off a text: (text without them, lead units, partner units, raw unit part).

    Handles a unit line (`主办单位:县城投公司,协办单位:住建局、凤城镇。`), labels at the end of an
    entry (`…。责任单位：区教育局；配合单位：各镇`) and brackets (`（牵头单位:市人社局；配合单位:…）`)."""
    folded = fold(text)
    if not _UNIT_LABEL.search(folded):
        return text, [], [], None
    lead: list[str] = []
    partner: list[str] = []
    raws: list[str] = []
    keep: list[str] = []
    cursor = 0
    # Brackets whose content starts with a unit label.
    for m in _BRACKETED_UNITS.finditer(folded):
        keep.append(text[cursor : m.start()])
        raws.append(text[m.start() : m.end()])
        _read_labelled(text[m.start() + 1 : m.end() - 1], lead, partner)
        cursor = m.end()
    keep.append(text[cursor:])
    rest = "".join(keep)
    # Labels after the content run to the end of the text.
    tail = _UNIT_LABEL.search(fold(rest))
    if tail:
        raws.append(rest[tail.start() :])
        _read_labelled(rest[tail.start() :], lead, partner)
        rest = rest[: tail.start()]
    return rest.strip(), lead, partner, "".join(raws).strip()


# A bracket of unit fields, perhaps after the leading official (`(牵头领导:庞超静,责任单位:区卫生健康局)`).
_BRACKETED_UNITS = re.compile(
    rf"\(\s*(?:(?:牵头|分管|责任)?领导\s*:[^():,;]{{1,12}}[,;]\s*)?(?:{_LEAD_LABELS}|{_PARTNER_LABELS})\s*[:为]"
    r"(?:[^()]|\([^()]*\))*\)"  # one nested (街道)
)


def _read_labelled(text: str, lead: list[str], partner: list[str]) -> None:
    """`责任单位：A、B；配合单位：C` → lead A, B and partner C."""
    folded = fold(text)
    matches = list(_UNIT_LABEL.finditer(folded))
    for idx, m in enumerate(matches):
        end = matches[idx + 1].start() if idx + 1 < len(matches) else len(text)
        units = _leading_units(text[m.end() : end].strip().rstrip("。.;；,，"))
        (partner if _PARTNER_RE.fullmatch(m.group(1)) else lead).extend(units)


def _leading_units(value: str) -> list[str]:
    """The units of a labelled value; a run after white space that holds no unit names (a district
    table flattened into the line: `各区政府 鄞州 海曙 … 合计 2 5 1`) is not a unit list."""
    parts = re.split(r"\s+", value.strip(), maxsplit=1)
    head, tail = (parts[0], parts[1]) if len(parts) == 2 else (value, "")
    rest = split_units(tail)
    if rest and any(not looks_like_unit(u) for u in rest) and any(ch.isdigit() for ch in tail):
        return split_units(head)
    return split_units(value)


# Labelled fields written one after another on one line (`… 牵头领导:林静国 责任单位:市公安局 配合单位:…`):
# each starts a new field, so they are cut apart before the entry is read.
_FIELD = re.compile(r"(?:(?<=\s)|(?<=[。;；]))([^\s:：,，。;；()（）]{2,8})\s*[:：]")
_FIELD_KEYS = frozenset(
    {"lead", "partner", "lead_leader", "project_owner", "progress", "remarks", "deadline"}
)


def _split_fields(text: str) -> list[str]:
    folded = fold(text)
    cuts = [
        m.start(1)
        for m in _FIELD.finditer(folded)
        if m.start(1) > 0
        and column_key(m.group(1)) in _FIELD_KEYS
        and folded.count("(", 0, m.start(1)) == folded.count(")", 0, m.start(1))  # not inside brackets
    ]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def _heading_like(text: str) -> bool:
    """A heading or title: short, no sentence inside and no sentence end (`人居环境提升工程`)."""
    t = compact(text)
    return 0 < len(t) <= 40 and "。" not in t and not t.endswith(("；", ";", ".", "!", "?", "！", "？"))


@dataclass
class Entry:
    segment: Segment
    lines: list[str] = field(default_factory=list)  # continuation lines
    unit_lines: list[str] = field(default_factory=list)
    unit_positions: list[int] = field(default_factory=list)  # continuation lines before each unit line
    category: str | None = None
    project: Segment | None = None  # the middle level, when there are three
    info: tuple[str | None, str, list[str], list[str], str | None] | None = None  # _entry_text, cached
    extra: dict[str, str | int | float] = field(default_factory=dict)  # labelled lines: 完成时限：…
    paragraphs: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # items under a title
    written: str = ""  # the entry's text as written (lines kept), for a name taken from the whole entry


@dataclass
class ListResult:
    projects: list[Project] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    truncated: bool = False
    preamble: list[str] = field(default_factory=list)
    has_units: bool = False
    numbers: list[int] = field(default_factory=list)  # the projects' numbers as printed
    # Projects over numbered items: the share of projects whose items are numbered 1, 2 … afresh.
    items_restart: float = 1.0
    restarts_per_category: bool = False  # entries numbered 1, 2 … afresh under each category
    headings: list[str] = field(default_factory=list)  # the outer level's headings (categories or projects)


_EVERY_FAMILY = frozenset(style for style, _ in _MARKERS)


def has_marker(folded: str) -> bool:
    """The (folded) line starts with a list marker of any family."""
    return _match_marker(folded.strip(), families=_EVERY_FAMILY) is not None


def marker_families(paragraphs: list[Paragraph]) -> set[str]:
    """The marker families that start at least two lines (or two inline entries) of the paragraphs."""
    every = _EVERY_FAMILY
    counts: dict[str, int] = {}
    for para in paragraphs:
        folded = fold(para.text).strip()
        found = _match_marker(folded, families=every)
        if found:
            counts[found[0]] = counts.get(found[0], 0) + 1
        for piece in _split_inline(para.text, every)[1:]:
            inline = _match_marker(fold(piece).strip(), families=every)
            if inline:
                counts[inline[0]] = counts.get(inline[0], 0) + 1
    return {family for family, count in counts.items() if count >= 2}


def parse_list(
    paragraphs: list[Paragraph],
    *,
    truncated_hint: bool = False,
    families: frozenset[str] = DEFAULT_FAMILIES,
    outer_projects: bool = False,
) -> ListResult:
    """Read the paragraphs as a numbered list whose markers belong to `families`. With two levels of
    numbering the outer level is a category, unless it numbers projects over items (`1.` over `(1)`),
    or `outer_projects` asks for that reading (`一、名称` over `(一)…` restarting under each)."""
    result = ListResult()
    segments = _segments(paragraphs, families)
    entries_segs = [s for s in segments if s.kind == "entry"]
    if not entries_segs:
        result.preamble = [s.text for s in segments]
        return result
    ignored = _other_numbered_run(entries_segs)
    entries_segs = [s for s in entries_segs if s.style not in ignored]
    styles: list[str] = []
    for s in entries_segs:
        if s.style not in styles:
            styles.append(s.style)
    category_style = project_style = None
    entry_style = styles[0]
    if len(styles) >= 2:
        outer = [s for s in entries_segs if s.style == styles[0]]
        if not (all(_heading_like(s.body) for s in outer) and _has_children(segments, styles[0], styles[1])):
            pass
        elif outer_projects or (styles[0] in _PROJECT_STYLES and styles[1] in _ITEM_STYLES):
            # `1. 优学工程` over `(1) …` `(2) …`: a project and its items, not a category.
            project_style, entry_style = styles[0], styles[1]
        else:
            category_style, entry_style = styles[0], styles[1]
            if len(styles) >= 3:
                middle = [s for s in entries_segs if s.style == styles[1]]
                if all(_heading_like(s.body) for s in middle) and _has_children(
                    segments, styles[1], styles[2]
                ):
                    project_style, entry_style = styles[1], styles[2]
    levels = [x for x in (category_style, project_style, entry_style) if x]
    last_entry = _split_closing(segments, entry_style)

    entries: list[Entry] = []
    category: str | None = None
    project_seg: Segment | None = None
    started = False
    for index, seg in enumerate(segments):
        if seg.kind == "entry" and seg.style in ignored:
            if started and entries:  # numbered paragraphs of the notice after the list
                started = False
                category_style = entry_style = project_style = "-"
            elif not entries:
                result.preamble.append(seg.text)
            continue
        if (seg.kind == "entry" and seg.style == category_style) or (
            seg.kind == "category" and category_style is None
        ):
            category = category_name(seg.body if seg.kind == "entry" else seg.text.strip().strip("[]【】"))
            project_seg = None
            started = True
            continue
        if seg.kind == "entry" and seg.style == project_style:
            project_seg = seg
            started = True
            continue
        if seg.kind == "entry" and seg.style == entry_style:
            entries.append(Entry(segment=seg, category=category, project=project_seg))
            started = True
            continue
        if not started:
            result.preamble.append(seg.text)
            continue
        if (
            project_seg is not None
            and seg.kind == "plain"
            and (not entries or entries[-1].project is not project_seg)
        ):
            # Content written straight under a project heading, without an item marker: its one item.
            item_seg = Segment(
                text=seg.text, location=seg.location, kind="entry", style=entry_style, number=1
            )
            item_seg.body = seg.text.strip()
            entries.append(Entry(segment=item_seg, category=category, project=project_seg))
            continue
        if not entries:
            continue
        current = entries[-1]
        if seg.kind == "units":
            current.unit_lines.append(seg.text)
            current.unit_positions.append(len(current.lines))
        elif seg.kind == "entry" and seg.style not in levels:
            current.lines.append(seg.text)  # a sub-point of the entry
        elif _ends_list(current, seg) or (index > last_entry and closing_start(seg.text) is not None):
            started = False
            category_style = entry_style = project_style = "-"  # later lines are not part of the list
        else:
            current.lines.append(seg.text)

    result.has_units = any(
        e.unit_lines or _UNIT_LABEL.search(fold(e.segment.body + "".join(e.lines))) for e in entries
    )
    if entries and _is_cut(entries, result.has_units, truncated_hint):
        cut = entries.pop()
        result.truncated = True
        result.warnings.append(
            ParseWarning(
                location=cut.segment.location,
                code="truncated",
                message="the document breaks off in this entry; it was left out",
            )
        )
    elif truncated_hint:
        result.truncated = True
    result.projects = _projects(entries, project_style is not None)
    _numbering(result, entries)
    return result


# A heading that reads as a project: it names works (`实施公交服务便民工程`), not a field (`交通出行`).
_PROJECT_WORDS = re.compile(
    r"实施|建设|新建|改建|扩建|改造|提升|推进|完善|改善|治理|打造|开展|加快|加强|继续|推动|工程|项目|行动"
)
_CATEGORY_WORDS = re.compile(r"[类類]$|领域$|方面$")


_ALIAS_AFTER = re.compile(r"\((?![^()]*\d+\s*[件项个类])[^()]{2,}\)$")


def heading_reads_as_project(heading: str) -> bool:
    """A two-level list's outer heading reads as a project (a name with works, or a name with its
    alias `优学金沙（常有优学）`), not a category word (`教育类`, `交通出行`, `民生保障（3件）`)."""
    t = fold(compact(heading))
    if _CATEGORY_WORDS.search(t):
        return False
    # A bracketed aside may cut a works word: `新(改、扩)建一批中小学校` is 新建….
    bare = re.sub(r"\([^()]{1,8}\)", "", t)
    return bool(_PROJECT_WORDS.search(t) or _PROJECT_WORDS.search(bare) or _ALIAS_AFTER.search(t))


def _numbering(result: ListResult, entries: list[Entry]) -> None:
    """How the entries are numbered: the projects' printed numbers, whether items restart under each
    project, whether entries restart under each category; and the outer headings."""
    numbers: dict[int, int] = {}  # the printed number of each project, in order
    for e in entries:
        head = e.project if e.project is not None else e.segment
        numbers.setdefault(id(head), head.number)
    result.numbers = list(numbers.values())
    inner: dict[int, list[int]] = {}
    for e in entries:
        if e.project is not None and e.segment.text:
            inner.setdefault(id(e.project), []).append(e.segment.number)
    if inner:
        fresh = sum(1 for nums in inner.values() if nums == list(range(1, len(nums) + 1)))
        result.items_restart = fresh / len(inner)
        bodies: dict[int, str] = {}
        for e in entries:
            if e.project is not None:
                bodies.setdefault(id(e.project), e.project.body)
        result.headings = list(bodies.values())  # as written: `优学金沙（常有优学）`
        return
    groups: list[tuple[str | None, list[int]]] = []
    for e in entries:
        if not groups or groups[-1][0] != e.category:
            groups.append((e.category, []))
        groups[-1][1].append(e.segment.number)
    if len(groups) > 1 and all(nums == list(range(1, len(nums) + 1)) for _, nums in groups):
        result.restarts_per_category = True
    result.headings = [c for c, _ in groups if c]


def _other_numbered_run(entries: list[Segment]) -> set[str]:
    """Numbered paragraphs of a notice (`一、加强组织领导。…`) before or after the list: two marker styles
    that never interleave, the first made of sentences rather than headings. The run with more entries
    (then more figures) is the list; the other style is ignored."""
    styles = list(dict.fromkeys(s.style for s in entries))
    if len(styles) < 2:
        return set()
    a, b = styles[0], styles[1]
    pos_a = [i for i, s in enumerate(entries) if s.style == a]
    pos_b = [i for i, s in enumerate(entries) if s.style == b]
    if not max(pos_a) < min(pos_b) or all(_heading_like(entries[i].body) for i in pos_a):
        return set()

    def weight(positions: list[int]) -> tuple[int, int]:
        return len(positions), sum(ch.isdigit() for i in positions for ch in entries[i].body)

    return {a} if weight(pos_b) >= weight(pos_a) else {b}


def _has_children(segments: list[Segment], outer: str, inner: str) -> bool:
    seen_outer = False
    for s in segments:
        if s.kind != "entry":
            continue
        if s.style == outer:
            seen_outer = True
        elif s.style == inner and seen_outer:
            return True
    return False


def _ends_list(current: Entry, seg: Segment) -> bool:
    """A short line after a finished entry (a signature, a date) is not part of the entry."""
    last = next(
        (t for t in reversed([current.segment.body, *current.lines, *current.unit_lines]) if t.strip()), ""
    )
    t = compact(seg.text)
    return last.rstrip().endswith(_TERMINAL) and len(t) <= 20 and not re.search(r"[，,。；;:：]", t)


# A sentence about the whole list (`区政府将把各项任务分解到责任部门，确保年底前全部完成。`): it closes
# the list and belongs to no entry. Such sentences carry no figures.
_CLOSING = re.compile(
    r"各项(?:任务|实事|项目|工作)|上述|以上(?:各项|项目|实事|任务)|分解到|全部完成|抓好落实|狠抓落实"
    r"|确保[^,。;]{0,12}(?:全面|全部|如期|按期|按时)|^特此"
)
_SENTENCE = re.compile(r"[^。!?！？]+[。!?！？]*")


def closing_start(text: str) -> int | None:
    """Where the closing sentences at the end of `text` start; None if there are none."""
    folded = fold(text)
    for m in _SENTENCE.finditer(folded):
        if _CLOSING.search(m.group()) and not re.search(r"\d", m.group()):
            return m.start()
    return None


def _split_closing(segments: list[Segment], style: str) -> int:
    """Cut a closing sentence off the last entry (an inline list ends with it) into a segment of its
    own; the index of the last entry, after which closing sentences end the list."""
    last = max((i for i, s in enumerate(segments) if s.kind == "entry" and s.style == style), default=-1)
    if last < 0:
        return last
    seg = segments[last]
    cut = closing_start(seg.body)
    if cut:  # never the entry's first sentence
        tail = seg.body[cut:]
        seg.body = seg.body[:cut].rstrip()
        seg.text = seg.text[: len(seg.text) - len(tail)].rstrip()
        segments.insert(last + 1, Segment(text=tail, location=seg.location))
    return last


def _entry_text(entry: Entry) -> tuple[str | None, str, list[str], list[str], str | None]:
    """(separate title or None, text, lead units, partner units, raw unit text)."""
    if entry.info is None:
        entry.info = _read_entry(entry)
    title, text, lead, partner, raw = entry.info
    return title, text, list(lead), list(partner), raw


def _read_entry(entry: Entry) -> tuple[str | None, str, list[str], list[str], str | None]:
    lead: list[str] = []
    partner: list[str] = []
    raws: list[str] = []
    parts = []
    labelled_title = None
    # Unit lines between the paragraphs of a titled entry belong to the paragraph above them.
    interleaved = len(set(entry.unit_positions)) > 1
    after: dict[int, list[str]] = {}
    if interleaved:
        for position, unit_line in zip(entry.unit_positions, entry.unit_lines, strict=True):
            after.setdefault(position, []).append(unit_line)
    pieces = (
        (piece, index)
        for index, text in enumerate([entry.segment.body, *entry.lines])
        for piece in [*_split_fields(text), *((None,) if index in after else ())]
    )
    for line, index in pieces:
        if line is None:  # the unit lines written after line `index`
            for unit_line in after[index]:
                _, lo, pa, raw = parse_units(unit_line)
                lead += lo
                partner += pa
                raws.append(raw or unit_line)
                parts.append(("", lo, pa))
            continue
        key, label, value = _labelled(line)
        piece = line
        if key == "text":
            piece = value
        elif key == "name":
            labelled_title = value
            continue
        elif key is not None:
            extra = extra_key(label)
            if extra:
                entry.extra[extra] = extra_value(
                    value, numeric=extra.endswith(("_wanyuan", "_yiyuan", "pct"))
                )
            continue
        rest, lo, pa, raw = parse_units(piece)
        lead += lo
        partner += pa
        if raw:
            raws.append(raw)
        parts.append((rest, lo, pa))
    shared_lead: list[str] = []
    shared_partner: list[str] = []
    for line in [] if interleaved else entry.unit_lines:
        _, lo, pa, raw = parse_units(line)
        shared_lead += lo
        shared_partner += pa
        raws.append(raw or line)
    lead += shared_lead
    partner += shared_partner
    title = labelled_title
    content = parts
    if (
        title is None
        and len(parts) > 1
        and _heading_like(parts[0][0])
        and not compact(parts[0][0]).endswith("。")
    ):
        title, content = parts[0][0], parts[1:]
    text = "".join(p[0] for p in content)
    entry.written = "\n".join(p[0] for p in content)
    if title is not None:
        paragraphs = _paragraphs(content, shared_lead, shared_partner)
        if len(paragraphs) > 1:
            entry.paragraphs = paragraphs
    return title, compact(text), lead, partner, ("".join(raws) if raws else None)


_SHORT_LINE = 30


def _paragraphs(
    content: list[tuple[str, list[str], list[str]]], lead: list[str], partner: list[str]
) -> list[tuple[str, list[str], list[str]]]:
    """Content lines under a title grouped into paragraphs (one item each): a paragraph ends at a line
    that closes a sentence or names its own units; a line without end punctuation is wrapped text.
    A paragraph without units of its own takes the entry's unit line."""
    out: list[tuple[str, list[str], list[str]]] = []
    current: list[str] = []
    # Short lines without end punctuation under a title are items of their own (`新购置公交车200辆` /
    # `新建改造100个公交站台`), not one sentence wrapped: wrapped lines are long.
    texts = [compact(t) for t, _, _ in content if t.strip()]
    one_per_line = len(texts) > 1 and all(
        len(t) <= _SHORT_LINE and not t.endswith(("，", ",", "、", "：", ":", "；", ";")) for t in texts
    )
    for text, own_lead, own_partner in content:
        if not text and (own_lead or own_partner):  # a unit line: the paragraph above it
            if current:
                out.append((compact("".join(current)), own_lead, own_partner))
                current = []
            elif out and not (out[-1][1] or out[-1][2]):
                out[-1] = (out[-1][0], own_lead, own_partner)
            continue
        current.append(text)
        if (
            own_lead
            or own_partner
            or compact(text).endswith(("。", "！", "？", "!", "?"))
            or (one_per_line and text.strip())
        ):
            units = (own_lead, own_partner) if own_lead or own_partner else (list(lead), list(partner))
            out.append((compact("".join(current)), *units))
            current = []
    if current and compact("".join(current)):
        out.append((compact("".join(current)), list(lead), list(partner)))
    return out


_LABELLED = re.compile(r"^\s*([^:,。;]{2,12}?)\s*:\s*")


def _labelled(line: str) -> tuple[str | None, str, str]:
    """(column key, label, value) for a labelled line such as `完成时限：2024年底` or `主要内容：…`;
    unit labels are left to `parse_units`."""
    m = _LABELLED.match(fold(line))
    if not m:
        return None, "", line
    key = column_key(m.group(1))
    if key in (None, "lead", "partner", "no", "category"):
        return None, "", line
    return key, line[: m.end(1)], line[m.end() :].strip()


def _is_cut(entries: list[Entry], has_units: bool, hint: bool) -> bool:
    last = entries[-1]
    others = entries[:-1]
    _, text, lead, partner, raw = _entry_text(last)
    if not text:
        return True
    if not others:
        return hint and not text.endswith(_TERMINAL)
    infos = [_entry_text(e) for e in others]
    if has_units:
        with_units = [i for i in infos if i[2] or i[3]]
        if len(with_units) * 3 >= len(others) * 2 and not (lead or partner):
            return True
        # Unit lines of their own that end in 。 everywhere else: one without it was cut off.
        lines = [e.unit_lines[-1] for e in others if e.unit_lines]
        ended = [line for line in lines if compact(line).endswith(_TERMINAL)]
        if (
            last.unit_lines
            and len(lines) >= 2  # one other entry is too little to know how unit lines end
            and len(lines) * 3 >= len(others) * 2
            and len(ended) * 3 >= len(lines) * 2
            and not compact(last.unit_lines[-1]).endswith(_TERMINAL)
        ):
            return True
        if raw:
            return False  # the unit part closes the entry
    ended_text = [i for i in infos if i[1].endswith(_TERMINAL)]
    return len(ended_text) * 3 >= len(others) * 2 and not text.endswith(_TERMINAL)


def _projects(entries: list[Entry], three_levels: bool) -> list[Project]:
    projects: list[Project] = []
    numbers = [e.segment.number for e in entries]
    printed = all(b > a for a, b in itertools.pairwise(numbers))
    by_project: dict[int, Project] = {}
    for index, entry in enumerate(entries):
        title, text, lead, partner, _ = _entry_text(entry)
        item = Item(
            text=text,
            lead_units=lead,
            partner_units=partner,
            extra=dict(entry.extra),
            location=entry.segment.location,
        )
        if three_levels and entry.project is not None:
            key = id(entry.project)
            project = by_project.get(key)
            if project is None:
                name, alias, starred = clean_name(entry.project.body.rstrip("。"))
                project = Project(
                    no=entry.project.number, name=name, alias=alias, category=entry.category, starred=starred
                )
                by_project[key] = project
                projects.append(project)
            project.items.append(item)
            continue
        if title is None:
            title, text_after = split_title(text)
            if title is not None:
                item.text = text_after
        if title is not None:
            name, alias, starred = clean_name(title.rstrip("。"))
        else:
            written = entry.written if compact(entry.written) == text else text
            name, alias, starred = clean_name(entry_name(written), allow_alias=False)
        no = entry.segment.number if printed else index + 1
        items = [item]
        if entry.paragraphs:
            items = [
                Item(text=t, lead_units=lo, partner_units=pa, extra=dict(entry.extra), location=item.location)
                for t, lo, pa in entry.paragraphs
            ]
        projects.append(
            Project(no=no, name=name, alias=alias, category=entry.category, starred=starred, items=items)
        )
    return projects
