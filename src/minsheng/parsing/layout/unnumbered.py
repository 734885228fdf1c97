"""Lists without markers: one entry per line under a list title, or `名称,内容;` entries in one paragraph.

Both are numbered by position (spec: "an unnumbered list is numbered by position"). They are candidate
readings like any other (`candidates.py`): a document with numbered entries scores higher with those.
"""

from __future__ import annotations

import re
import statistics

from minsheng.parsing.blocks import Paragraph
from minsheng.parsing.layout.columns import column_key
from minsheng.parsing.layout.lists import closing_start, has_marker
from minsheng.parsing.layout.meta import is_title_line
from minsheng.parsing.layout.names import clean_name, entry_name
from minsheng.parsing.model import Item, Project
from minsheng.parsing.normalize import compact, fold

__all__ = ["inline_entries", "line_entries"]

_MIN_ENTRIES = 3
_INTRO_END = re.compile(r"[:：]\s*$")
_NOTE_LINE = re.compile(r"^\s*[(（][^()（）]{1,30}[)）]\s*$")  # (按得票多少排序)
_SOURCE_LINE = re.compile(r"^(来源|来自|发布|发布时间|发布日期|作者|编辑|责任编辑|信息来源|浏览)")


_INTRO_WORDS = re.compile(r"实事|项目|清单|工程|如下|分别|以下|包括|为|是")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")


def _is_intro(text: str) -> bool:
    """A line that announces a list: a list title, or a sentence ending in a colon that speaks of a
    list (`确定以下10项为…民生实事项目:`; not a salutation such as `各科室:`)."""
    folded = fold(text).strip()
    if has_marker(folded):
        return False  # a numbered entry is not the title of an unnumbered list
    return bool(_INTRO_END.search(folded) and _INTRO_WORDS.search(folded)) or is_title_line(text)


_FIELD_LABEL = re.compile(r"^([^:,。;]{2,12}?):")


def _is_field(folded: str) -> bool:
    """A labelled field (`主要内容:…`, `责任单位:…`): part of an entry, never an entry of its own."""
    m = _FIELD_LABEL.match(folded)
    return bool(m and column_key(m.group(1)))


def _entry_like(text: str) -> bool:
    t = compact(text)
    folded = fold(t)
    return (
        4 <= len(t) <= 300
        and not has_marker(fold(text.strip()))  # as written: `1 推进…` is numbered
        and not _SOURCE_LINE.match(folded)
        and not _INTRO_END.search(folded)
        and not _DATE_LINE.match(folded)
        and not _is_field(folded)
        and closing_start(t) is None
    )


def line_entries(paragraphs: list[Paragraph]) -> tuple[list[Project], list[str]] | None:
    """One entry per line: the longest run of three or more entry-like lines right under a list title
    (a note line such as `(按得票多少排序)` may stand between). Returns (projects, preamble)."""
    texts = [p.text.strip() for p in paragraphs]
    best: tuple[int, int] | None = None
    i = 0
    while i < len(texts):
        if not _is_intro(texts[i]):
            i += 1
            continue
        start = i + 1
        while start < len(texts) and _NOTE_LINE.match(fold(texts[start])):
            start += 1
        end = start
        while end < len(texts) and _entry_like(texts[end]):
            end += 1
        end = _regular_prefix(texts, start, end)
        if end - start >= _MIN_ENTRIES and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
        i = max(i + 1, end)  # a title-like line inside the run does not start another one (linear)
    if best is None:
        return None
    start, end = best
    projects = []
    for no, index in enumerate(range(start, end), start=1):
        para = paragraphs[index]
        name, alias, starred = clean_name(entry_name(para.text), allow_alias=False)
        projects.append(
            Project(
                no=no,
                name=name,
                alias=alias,
                starred=starred,
                items=[Item(text=compact(para.text), location=para.location)],
            )
        )
    return projects, texts[:start]


def _regular_prefix(texts: list[str], start: int, end: int) -> int:
    """Leave out a last line that is not like the entries before it (the text after a list of names:
    `民生无小事，枝叶总关情。……`): far longer than they are, and written in sentences while they are not."""
    if end - start <= _MIN_ENTRIES:
        return end
    entries = [compact(t) for t in texts[start : min(end - 1, start + _SAMPLE)]]
    last = compact(texts[end - 1])
    typical = statistics.median(len(t) for t in entries)
    sentences = re.compile(r"[。，,；;]")
    if (
        len(last) > max(40, 3 * typical)
        and sentences.search(last)
        and not any(sentences.search(t) for t in entries)
    ):
        return end - 1
    return end


_SAMPLE = 20
_SENTENCE_MARK = re.compile(r"[。，,；;]")


# `名称,内容;名称:内容;…。`: the list after the colon that introduces it, entries split at `;` outside
# brackets, each entry led by a name phrase (no figures, at most 30 characters) and `,` or `:`.
# A bracketed aside without commas may sit inside the name: `新(改、扩)建一批中小学校,`.
_HEAD = re.compile(r"^((?:[^,，:：;；。()（）\d]|[(（][^()（）,，:：;；。\d]{1,8}[)）]){2,30}?)[,，:：]")
_OPEN = "(（“‘《[【"
_CLOSE = ")）”’》]】"


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        current.append(ch)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            pieces.append("".join(current))
            current = []
    if "".join(current).strip():
        pieces.append("".join(current))
    return pieces


def inline_entries(paragraphs: list[Paragraph]) -> tuple[list[Project], list[str]] | None:
    """`名称,内容;` entries in one paragraph; the paragraph giving the most entries wins."""
    best: tuple[list[Project], list[str]] | None = None
    for index, para in enumerate(paragraphs):
        text = compact(para.text)
        if has_marker(fold(text)):
            continue
        colon = re.search(r"[:：]", text)
        body = text[colon.end() :] if colon else text
        pieces = [p for p in _split_outside_brackets(body, ";；") if p.strip(";；。")]
        if len(pieces) < _MIN_ENTRIES:
            continue
        heads = [_HEAD.match(p) for p in pieces]
        if sum(1 for h in heads if h) * 10 < len(pieces) * 7:
            continue
        projects = []
        for no, (piece, head) in enumerate(zip(pieces, heads, strict=True), start=1):
            if head:
                name, content = head.group(1), piece[head.end() :]
            else:
                name, content = entry_name(piece), piece
            name, alias, starred = clean_name(name, allow_alias=False)
            projects.append(
                Project(
                    no=no,
                    name=name,
                    alias=alias,
                    starred=starred,
                    items=[Item(text=content, location=para.location)],
                )
            )
        if best is None or len(projects) > len(best[0]):
            preamble = [p.text for p in paragraphs[:index]]
            if colon:
                preamble.append(text[: colon.start()])
            best = (projects, preamble)
    return best
